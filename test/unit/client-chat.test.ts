// The chat controller over a FakeNetwork, read as transcripts: "alice sends ... bob receives ...".
// A tiny fake server on the same network answers what a client asks its own server: disco#info of the
// domain and of the account, carbons enable, and MAM queries over an archive the test fills.
import { describe, expect, it, vi } from 'vitest';
import type { Element } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { ChatController, ChatError } from '../../client/controllers/chat.ts';
import { CHAT_NS, child } from '../../client/controllers/chat-stanzas.ts';

import { ALICE, BOB, MALLORY, setUp, lines, receiptsFrom, statesFrom } from './client-chat.fixture.ts';


describe('messages and receipts', () => {
  it('alice sends, bob receives, bob’s receipt marks the message delivered', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const bob = chat(b);
    const sent = await alice.send('bob@localhost', 'Hello Bob');
    expect(lines(bob, 'alice@localhost')).toEqual(['in received: Hello Bob']);
    expect(lines(alice, 'bob@localhost')).toEqual(['out delivered: Hello Bob']);
    const stanza = a.sent.find((s) => child(s, 'body', CHAT_NS.client))!;
    expect(stanza.attrs).toMatchObject({ type: 'chat', to: 'bob@localhost', id: sent.id });
    expect(child(stanza, 'request', CHAT_NS.receipts)).toBeDefined();
    expect(child(stanza, 'origin-id', CHAT_NS.sid)?.attrs.id).toBe(sent.id);
    // Bob's ack goes to alice's full JID, carries only <received/>, never a request of its own.
    const [ack] = receiptsFrom(b);
    expect(ack?.attrs.to).toBe(ALICE);
    expect(ack?.children).toHaveLength(1);
    expect(child(ack!, 'received', CHAT_NS.receipts)?.attrs.id).toBe(sent.id);
  });

  it('only a receipt from the contact the message went to counts', async () => {
    const { link, chat } = setUp();
    const [a, b, m] = [link(ALICE), link(BOB), link(MALLORY)];
    const alice = chat(a);
    const sent = await alice.send('bob@localhost', 'for bob');
    await m.send(parseXml(`<message to='${ALICE}'><received xmlns='urn:xmpp:receipts' id='${sent.id}'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out sent: for bob']);
    expect(alice.contacts).toEqual(['bob@localhost']);
    await b.send(parseXml(`<message to='${ALICE}'><received xmlns='urn:xmpp:receipts' id='${sent.id}'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out delivered: for bob']);
  });

  it('answers a receipt request once, only when asked, and not when told not to', async () => {
    const { link, chat } = setUp();
    const [a, b, m] = [link(ALICE), link(BOB), link(MALLORY)];
    chat(a, { answerReceipts: (jid) => jid !== 'mallory@localhost' });
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='b1'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>`));
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='b2'><body>no request</body></message>`));
    await m.send(parseXml(`<message type='chat' to='alice@localhost' id='m1'><body>who is online?</body><request xmlns='urn:xmpp:receipts'/></message>`));
    expect(receiptsFrom(a).map((r) => [r.attrs.to, child(r, 'received', CHAT_NS.receipts)?.attrs.id])).toEqual([[BOB, 'b1']]);
  });

  it('an error bounce marks the message failed', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const sent = await alice.send('bob@localhost', 'are you there');
    await b.send(parseXml(`<message type='error' to='${ALICE}' id='${sent.id}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out failed: are you there']);
  });
});

describe('bodies are text', () => {
  it('HTML in a body stays the literal string; XHTML-IM is ignored', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='x1'><body>&lt;img src=x onerror=alert(1)&gt;</body><html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><b>bold</b></body></html></message>`));
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['<img src=x onerror=alert(1)>']);
    const sent = await alice.send('bob@localhost', '<script>alert(1)</script> & more');
    expect(sent.body).toBe('<script>alert(1)</script> & more');
    expect(a.sent.at(-1)!.toString()).toContain('<body>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</body>');
  });

  it('limits the length of a body and the number of messages and chats kept', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { maxBodyLength: 10, maxMessagesPerChat: 3, maxChats: 2 });
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='long'><body>${'x'.repeat(9)}😀tail</body></message>`));
    expect(alice.view('bob@localhost').messages[0]).toMatchObject({ body: 'x'.repeat(9), truncated: true });
    await expect(alice.send('bob@localhost', 'y'.repeat(11))).rejects.toThrow(ChatError);
    await expect(alice.send('bob@localhost', '   ')).rejects.toMatchObject({ condition: 'empty' });
    for (const n of [1, 2, 3]) await b.send(parseXml(`<message type='chat' to='alice@localhost' id='n${n}'><body>${n}</body></message>`));
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['1', '2', '3']);
    for (const who of ['c1', 'c2']) await link(`${who}@localhost/r`).send(parseXml(`<message type='chat' to='alice@localhost'><body>hi</body></message>`));
    expect(alice.contacts.sort()).toEqual(['c1@localhost', 'c2@localhost']);
  });
});

describe('unread counts', () => {
  it('counts what arrives while a chat is not open, and clears on opening', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const msg = (id: string): Element => parseXml(`<message type='chat' to='alice@localhost' id='${id}'><body>${id}</body></message>`);
    await b.send(msg('u1'));
    await b.send(msg('u2'));
    expect(alice.view('bob@localhost').unread).toBe(2);
    expect(alice.unreadTotal).toBe(2);
    alice.open('bob@localhost');
    expect(alice.view('bob@localhost').unread).toBe(0);
    await b.send(msg('u3'));
    expect(alice.unreadTotal).toBe(0);
    alice.open('');
    await b.send(msg('u4'));
    await b.send(msg('u4'));  // the same id again: a duplicate, not a second unread message
    expect(alice.unreadTotal).toBe(1);
  });
});

describe('chat states (XEP-0085)', () => {
  it('sends states only once the contact has shown support, never the same twice, paused after a pause', async () => {
    vi.useFakeTimers();
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { pausedAfterMs: 5_000 });
    const bob = chat(b);
    alice.typing('bob@localhost', 'H');
    expect(statesFrom(a)).toEqual([]);  // support unknown: no standalone state yet
    await alice.send('bob@localhost', 'Hi');
    expect(child(a.sent.find((s) => child(s, 'body', CHAT_NS.client))!, 'active', CHAT_NS.chatStates)).toBeDefined();
    expect(bob.view('alice@localhost').theirState).toBe('active');
    await bob.send('alice@localhost', 'Hi yourself');  // bob's reply carries <active/>: alice may go on
    alice.typing('bob@localhost', 'H');
    alice.typing('bob@localhost', 'Ho');
    expect(statesFrom(a)).toEqual(['composing']);
    expect(bob.view('alice@localhost').theirState).toBe('composing');
    vi.advanceTimersByTime(5_000);
    expect(statesFrom(a)).toEqual(['composing', 'paused']);
    expect(bob.view('alice@localhost').theirState).toBe('paused');
    alice.typing('bob@localhost', '');
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'active']);
    alice.open('bob@localhost');
    alice.open('');
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'active', 'inactive']);
    // A standalone state has nothing but the state element.
    expect(a.sent.filter((s) => !child(s, 'body', CHAT_NS.client) && s.name === 'message').every((s) => s.children.length === 1)).toBe(true);
  });

  it('stops sending states when the contact replies without one', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    await alice.send('bob@localhost', 'Hi');
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='r1'><body>plain reply</body></message>`));
    alice.typing('bob@localhost', 'x');
    await alice.send('bob@localhost', 'again');
    expect(statesFrom(a)).toEqual([]);
    expect(child(a.sent.at(-1)!, 'active', CHAT_NS.chatStates)).toBeUndefined();
  });

  it('sends none when the user turned them off; a contact going offline clears their state', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { sendChatStates: false });
    alice.open('bob@localhost');  // a state alone opens no chat: alice has bob's open
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><composing xmlns='${CHAT_NS.chatStates}'/></message>`));
    expect(alice.view('bob@localhost').theirState).toBe('composing');
    alice.typing('bob@localhost', 'x');
    await alice.send('bob@localhost', 'hello');
    expect(statesFrom(a)).toEqual([]);
    expect(child(a.sent.at(-1)!, 'active', CHAT_NS.chatStates)).toBeUndefined();
    await b.send(parseXml(`<presence type='unavailable' to='alice@localhost'/>`));
    expect(alice.view('bob@localhost').theirState).toBeUndefined();
  });
});

/** A carbon as the server sends it: from our bare JID, the original message inside. */
describe('as a Lit reactive controller', () => {
  it('adds itself to its host, asks it to update on changes, and stops with it', async () => {
    const { link } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const controllersAdded: unknown[] = [];
    const host = { addController: (c: unknown) => controllersAdded.push(c), removeController: () => undefined, requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
    const alice = new ChatController(a, { host });
    expect(controllersAdded).toEqual([alice]);
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>before connect</body></message>`));
    expect(alice.contacts).toEqual([]);
    alice.hostConnected();
    const listener = vi.fn();
    const off = alice.subscribe(listener);
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>hello</body></message>`));
    expect(host.requestUpdate).toHaveBeenCalled();
    expect(listener).toHaveBeenCalled();
    off();
    alice.hostDisconnected();
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>after</body></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: hello']);
  });
});
