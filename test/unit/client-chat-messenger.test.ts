// What a messenger user expects of the chat controller (issue 11 C1, C4): unread counts that know
// whether the page is seen, typing notifications that expire, errors that go away when the connection
// is back, delivery ticks that survive a reload, and no silent cut of a long message.
import { describe, expect, it, vi } from 'vitest';
import type { Element } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { ChatError } from '../../client/controllers/chat.ts';
import { CHAT_NS } from '../../client/controllers/chat-stanzas.ts';
import { ALICE, BOB, lines, setUp, statesFrom } from './client-chat.fixture.ts';

const msg = (id: string, extra = ''): Element => parseXml(`<message type='chat' to='alice@localhost' id='${id}'><body>${id}</body>${extra}</message>`);

describe('unread counts (C1)', () => {
  it('counts messages to the open chat while the page is hidden, and clears them when it is seen again', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    let visible = true;
    const alice = chat(a, { isVisible: () => visible });
    alice.open('bob@localhost');
    await b.send(msg('seen'));
    expect(alice.unreadTotal).toBe(0);
    visible = false;
    await b.send(msg('while away 1'));
    await b.send(msg('while away 2'));
    expect(alice.view('bob@localhost').unread).toBe(2);
    expect(alice.unreadTotal).toBe(2);
    // Opening it again while hidden is not reading it.
    alice.open('');
    alice.open('bob@localhost');
    expect(alice.unreadTotal).toBe(2);
    visible = true;
    alice.open('');
    alice.open('bob@localhost');
    expect(alice.unreadTotal).toBe(0);
  });

  it('counts per contact and in total across every conversation of one controller', async () => {
    const { link, chat } = setUp();
    const [a, b, c] = [link(ALICE), link(BOB), link('carol@localhost/x')];
    const alice = chat(a);
    await b.send(msg('b1'));
    await c.send(msg('c1'));
    await c.send(msg('c2'));
    expect([alice.view('bob@localhost').unread, alice.view('carol@localhost').unread, alice.unreadTotal]).toEqual([1, 2, 3]);
  });
});

describe('typing notifications expire (XEP-0085 timings)', () => {
  it("a contact's composing is shown for 30 s unless another state follows", async () => {
    vi.useFakeTimers();
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const state = (s: string): Element => parseXml(`<message type='chat' to='alice@localhost'><${s} xmlns='${CHAT_NS.chatStates}'/></message>`);
    await b.send(msg('hi', `<active xmlns='${CHAT_NS.chatStates}'/>`));
    await b.send(state('composing'));
    vi.advanceTimersByTime(20_000);
    expect(alice.view('bob@localhost').theirState).toBe('composing');
    await b.send(state('composing'));  // a repeat restarts the 30 s
    vi.advanceTimersByTime(20_000);
    expect(alice.view('bob@localhost').theirState).toBe('composing');
    vi.advanceTimersByTime(10_000);
    expect(alice.view('bob@localhost').theirState).toBeUndefined();
    await b.send(state('paused'));
    vi.advanceTimersByTime(60_000);
    expect(alice.view('bob@localhost').theirState).toBe('paused');
  });

  it('we send paused after 30 s without typing and inactive after 2 min, by default', async () => {
    vi.useFakeTimers();
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const bob = chat(b);
    await alice.send('bob@localhost', 'Hi');
    await bob.send('alice@localhost', 'Hi yourself');
    alice.typing('bob@localhost', 'H');
    vi.advanceTimersByTime(29_000);
    expect(statesFrom(a)).toEqual(['composing']);
    vi.advanceTimersByTime(1_000);
    expect(statesFrom(a)).toEqual(['composing', 'paused']);
    vi.advanceTimersByTime(89_000);
    expect(statesFrom(a)).toEqual(['composing', 'paused']);
    vi.advanceTimersByTime(1_000);
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'inactive']);
    expect(bob.view('alice@localhost').theirState).toBe('inactive');
    alice.typing('bob@localhost', 'Ha');
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'inactive', 'composing']);
  });
});

describe('errors clear themselves (C4)', () => {
  it('"not connected" is the error until the link is back online; then it is gone', async () => {
    const { link, chat } = setUp();
    const a = link(ALICE);
    const alice = chat(a);
    const changes = vi.fn();
    alice.subscribe(changes);
    a.drop();
    expect(alice.sendBlocked).toBe('not connected');
    await expect(alice.send('bob@localhost', 'hello?')).rejects.toMatchObject({ condition: 'offline' });
    expect(alice.error?.message).toBe('not connected');
    changes.mockClear();
    a.reconnect();
    expect(alice.error).toBeUndefined();
    expect(alice.sendBlocked).toBeUndefined();
    expect(changes).toHaveBeenCalled();
  });

  it('an error that is not about the connection stays until the next send succeeds', async () => {
    const { link, chat } = setUp();
    const a = link(ALICE);
    const alice = chat(a, { maxBodyLength: 5 });
    await expect(alice.send('bob@localhost', 'too long')).rejects.toThrow(ChatError);
    a.drop();
    a.reconnect();
    expect(alice.error?.condition).toBe('too-long');
    await alice.send('bob@localhost', 'ok');
    expect(alice.error).toBeUndefined();
  });
});

describe('no silent cut of a long message', () => {
  it('says how far over the limit a draft is, and send refuses it whole', async () => {
    const { link, chat } = setUp();
    const a = link(ALICE);
    const alice = chat(a, { maxBodyLength: 10 });
    expect(alice.draftProblem('0123456789')).toBeUndefined();
    expect(alice.draftProblem('0123456789abc')).toMatchObject({ condition: 'too-long', message: 'message is 3 characters over the limit of 10' });
    expect(alice.draftProblem('  ')).toMatchObject({ condition: 'empty' });
    await expect(alice.send('bob@localhost', '0123456789abc')).rejects.toMatchObject({ condition: 'too-long' });
    expect(a.sent.filter((s) => s.name === 'message')).toEqual([]);
    expect(alice.view('bob@localhost').messages).toEqual([]);
  });
});

describe('delivery ticks survive a reload (receipts in MAM)', () => {
  it('an archived receipt marks the archived message delivered, even when it is read first (a newer page)', async () => {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    const at = (s: number): string => `2024-01-01T10:00:${String(s).padStart(2, '0')}Z`;
    const out = (id: string, body: string): string =>
      `<message xmlns='jabber:client' from='${ALICE}' to='bob@localhost' type='chat' id='${id}'><body>${body}</body><request xmlns='urn:xmpp:receipts'/></message>`;
    const ack = (id: string): string => `<message xmlns='jabber:client' from='${BOB}' to='${ALICE}' type='chat'><received xmlns='urn:xmpp:receipts' id='${id}'/></message>`;
    net.server.archive.set('alice@localhost', [
      { id: 'A1', stamp: at(1), xml: out('m1', 'first') },
      { id: 'A2', stamp: at(2), xml: out('m2', 'second') },
      { id: 'A3', stamp: at(3), xml: ack('m1') },
      { id: 'A4', stamp: at(4), xml: out('m3', 'third') },
      { id: 'A5', stamp: at(5), xml: ack('m2') },
    ]);
    const alice = chat(link(ALICE), { historyPageSize: 2 });
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    alice.open('bob@localhost');
    await vi.waitFor(() => expect(alice.view('bob@localhost').historyLoading).toBe(false));
    while (alice.view('bob@localhost').canLoadOlder) await alice.loadOlder('bob@localhost');
    expect(lines(alice, 'bob@localhost')).toEqual(['out delivered: first', 'out delivered: second', 'out sent: third']);
  });
});
