// Strangers cannot grow the chat controller's memory (issue 12 item 6): chats with people not in the
// roster are requests, at most maxRequestChats of them with maxRequestMessages each, and they never push
// out a contact's chat.
import { describe, expect, it, vi } from 'vitest';
import { Timers } from '../../client/controllers/chat-states.ts';
import { ALICE, BOB, setUp } from './client-chat.fixture.ts';

const JMI = 'urn:xmpp:jingle-message:0';

describe('messages from strangers', () => {
  it('10,000 strangers keep at most 20 request chats of 20 messages; contacts keep theirs', () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const roster = new Set(['bob@localhost']);
    const alice = chat(net.links.get(ALICE)!, { isContact: (jid) => roster.has(jid) });
    for (let i = 0; i < 30; i++) net.server.deliver(ALICE, `<message from='${BOB}' to='${ALICE}' type='chat' id='b${i}'><body>bob ${i}</body></message>`);
    for (let i = 0; i < 10_000; i++) {
      const from = `s${i % 5_000}@evil.example/r`;
      net.server.deliver(ALICE, `<presence from='${from}'/>`);
      net.server.deliver(ALICE, `<message from='${from}' to='${ALICE}' type='chat' id='m${i}'><body>${'spam '.repeat(20)}</body></message>`);
      net.server.deliver(ALICE, `<message from='${from}' to='${ALICE}' type='chat' id='j${i}'><propose xmlns='${JMI}' id='call${i}'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>`);
    }
    // Stored entries, counted: bob's chat and 20 requests, none over its limit.
    expect(alice.contacts).toHaveLength(21);
    expect(alice.requests).toHaveLength(20);
    for (const c of alice.requests) {
      expect(alice.view(c).isRequest).toBe(true);
      expect(alice.view(c).messages.length).toBeLessThanOrEqual(20);
    }
    expect(alice.view('bob@localhost').isRequest).toBe(false);
    expect(alice.view('bob@localhost').messages).toHaveLength(30);
    // Requests are not in the unread total (the title), only contacts are.
    expect(alice.unreadTotal).toBe(30);
    // Strangers may not ring: their calls are entries of their requests, not missed calls to tell about.
    expect(alice.view(alice.requests[0]!).messages.some((m) => m.call?.sid.startsWith('call'))).toBe(true);
    expect(alice.missedCalls).toEqual([]);
  });

  it('a request whose sender joins the roster becomes a chat like any other, with the full limit', () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const roster = new Set<string>();
    const alice = chat(net.links.get(ALICE)!, { isContact: (jid) => roster.has(jid), maxRequestMessages: 3, maxMessagesPerChat: 10 });
    const say = (n: number): void => net.server.deliver(ALICE, `<message from='${BOB}' to='${ALICE}' type='chat' id='n${n}'><body>${n}</body></message>`);
    for (let n = 0; n < 5; n++) say(n);
    expect(alice.view('bob@localhost')).toMatchObject({ isRequest: true, unread: 3 });
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['2', '3', '4']);
    expect(alice.requests).toEqual(['bob@localhost']);
    roster.add('bob@localhost');
    for (let n = 5; n < 10; n++) say(n);
    expect(alice.view('bob@localhost').isRequest).toBe(false);
    expect(alice.requests).toEqual([]);
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('notes to ourselves are no request, though we are not in our own roster', async () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const alice = chat(net.links.get(ALICE)!, { isContact: () => false });
    await alice.send('alice@localhost', 'remember the milk');
    expect(alice.view('alice@localhost')).toMatchObject({ isRequest: false });
    expect(alice.requests).toEqual([]);
  });

  it('keeps at most 256 composing timers: past that the oldest state expires at once', () => {
    vi.useFakeTimers();
    const timers = new Timers(256);
    const expired: string[] = [];
    for (let i = 0; i < 10_000; i++) timers.set(`s${i}`, 30_000, () => expired.push(`s${i}`));
    expect(timers.size).toBe(256);
    expect(expired).toHaveLength(10_000 - 256);
    expect(expired[0]).toBe('s0');
    vi.advanceTimersByTime(30_000);
    expect(expired).toHaveLength(10_000);
    expect(timers.size).toBe(0);
  });

  it("a contact's missed call noted before the roster was loaded shows once it is; strangers' never push it out", () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const roster = new Set<string>();
    const alice = chat(net.links.get(ALICE)!, { isContact: (jid) => roster.has(jid) });
    const call = (from: string, sid: string): void => {
      for (const action of ['propose', 'retract']) {
        net.server.deliver(ALICE, `<message from='${from}' to='alice@localhost' type='chat'><${action} xmlns='${JMI}' id='${sid}'/></message>`);
      }
    };
    call(BOB, 'from-bob');
    expect(alice.missedCalls).toEqual([]);
    roster.add('bob@localhost');  // the roster arrives
    expect(alice.missedCalls.map((m) => m.sid)).toEqual(['from-bob']);
    for (let i = 0; i < 500; i++) call(`s${i}@evil.example/r`, `spam${i}`);
    expect(alice.missedCalls.map((m) => m.sid)).toEqual(['from-bob']);
    expect(alice.view('bob@localhost').missedCalls).toBe(1);
  });
});
