// Calls in the conversation (issue 11 B5) and missed calls at login (B4), over a FakeNetwork with the
// fake server of client-chat.fixture.ts: XEP-0353 messages live, as carbons and from the archive, and
// the call controller's summaries, each call one entry whatever told us of it.
import { describe, expect, it, vi } from 'vitest';
import { parseXml } from '../../schemas/xml-text.ts';
import { describeCall, type CallEntry, type CallSummary, type ChatController } from '../../client/controllers/chat.ts';
import { CHAT_NS } from '../../client/controllers/chat-stanzas.ts';
import type { SeenStorage } from '../../client/controllers/chat-missed.ts';
import { ALICE, BOB, historyQueries, setUp } from './client-chat.fixture.ts';

const JMI = 'urn:xmpp:jingle-message:0';
const RTP = 'urn:xmpp:jingle:apps:rtp:1';

/** A JMI payload: propose carries its media, the others an optional reason. */
function jmi(action: string, sid: string, extra: { media?: string; reason?: string } = {}): string {
  const inner = action === 'propose' ? `<description xmlns='${RTP}' media='${extra.media ?? 'audio'}'/>`
    : extra.reason ? `<reason xmlns='urn:xmpp:jingle:1'><${extra.reason}/></reason>` : '';
  return `<${action} xmlns='${JMI}' id='${sid}'>${inner}</${action}>`;
}
const jmiMessage = (from: string, to: string, payload: string, id = Math.random().toString(36).slice(2)): string =>
  `<message xmlns='jabber:client' from='${from}' to='${to}' type='chat' id='${id}'>${payload}<store xmlns='urn:xmpp:hints'/></message>`;
const carbon = (direction: 'sent' | 'received', inner: string): string =>
  `<message from='alice@localhost' to='${ALICE}' type='chat'><${direction} xmlns='${CHAT_NS.carbons}'><forwarded xmlns='${CHAT_NS.forward}'>${inner}</forwarded></${direction}></message>`;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function calls(c: ChatController, contact = 'bob@localhost'): CallEntry[] {
  return c.view(contact).messages.flatMap((m) => (m.call ? [m.call] : []));
}

class MemoryStorage implements SeenStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
}

describe('calls in the conversation', () => {
  it('a live proposal then retract is one missed call in the caller\'s chat, not a text message', async () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const alice = chat(net.links.get(ALICE)!);
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('propose', 'c1', { media: 'video' })));
    expect(calls(alice)).toMatchObject([{ sid: 'c1', direction: 'incoming', media: 'video', outcome: 'ringing' }]);
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('retract', 'c1', { reason: 'cancel' })));
    const [entry] = calls(alice);
    expect(alice.view('bob@localhost').messages).toHaveLength(1);
    expect(entry).toMatchObject({ outcome: 'missed', by: 'peer' });
    expect(describeCall(entry!)).toBe('Missed video call');
    expect(alice.missedCalls).toMatchObject([{ contact: 'bob@localhost', sid: 'c1', media: 'video' }]);
    expect(alice.view('bob@localhost').missedCalls).toBe(1);
    expect(alice.unreadTotal).toBe(0);
    // Opening the chat is seeing them.
    alice.open('bob@localhost');
    expect(alice.missedCalls).toEqual([]);
  });

  it('live messages, their carbons, the archive and the summary of the same call make one entry', async () => {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    link(ALICE);
    const alice = chat(net.links.get(ALICE)!);
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    const t0 = Date.now() - 10 * 60_000;
    // Alice (this device) called bob, who answered; 2 min 5 s later alice hung up.
    net.server.deliver(ALICE, carbon('sent', jmiMessage(ALICE, 'bob@localhost', jmi('propose', 'c2'))));
    net.server.deliver(ALICE, jmiMessage(BOB, ALICE, jmi('proceed', 'c2')));
    const summary: CallSummary = {
      sid: 'c2', peer: 'bob@localhost', direction: 'outgoing', media: { audio: true, video: false }, test: false,
      startedAt: t0, connectedAt: t0 + 3_000, endedAt: t0 + 128_000, reason: { condition: 'success', by: 'us' }, missed: false,
    };
    alice.recordCall(summary);
    net.server.archive.set('alice@localhost', [
      { id: 'M1', stamp: iso(t0), xml: jmiMessage(ALICE, 'bob@localhost', jmi('propose', 'c2')) },
      { id: 'M2', stamp: iso(t0 + 3_000), xml: jmiMessage(BOB, ALICE, jmi('proceed', 'c2')) },
      { id: 'M3', stamp: iso(t0 + 128_000), xml: jmiMessage(ALICE, BOB, jmi('finish', 'c2', { reason: 'success' })) },
    ]);
    alice.open('bob@localhost');
    await vi.waitFor(() => expect(historyQueries(net)).toHaveLength(1));
    await vi.waitFor(() => expect(alice.view('bob@localhost').historyLoading).toBe(false));
    expect(alice.view('bob@localhost').messages).toHaveLength(1);
    const [entry] = calls(alice);
    expect(entry).toMatchObject({ direction: 'outgoing', outcome: 'answered', durationMs: 125_000, startedAt: t0, by: 'us' });
    expect(describeCall(entry!)).toBe('Outgoing call, 2:05');
    expect(alice.missedCalls).toEqual([]);
  });

  it('reads calls from archive pages that come newest first, and keeps text messages as they were', async () => {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    const t0 = Date.now() - 60 * 60_000;
    const body = (from: string, to: string, id: string, text: string, at: number): { id: string; stamp: string; xml: string } =>
      ({ id, stamp: iso(at), xml: `<message xmlns='jabber:client' from='${from}' to='${to}' type='chat' id='${id}'><body>${text}</body></message>` });
    net.server.archive.set('alice@localhost', [
      body(BOB, ALICE, 'T1', 'call me', t0),
      { id: 'A1', stamp: iso(t0 + 1_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'in1')) },
      { id: 'A2', stamp: iso(t0 + 5_000), xml: jmiMessage(ALICE, BOB, jmi('proceed', 'in1')) },
      { id: 'A3', stamp: iso(t0 + 65_000), xml: jmiMessage(BOB, ALICE, jmi('finish', 'in1', { reason: 'success' })) },
      { id: 'A4', stamp: iso(t0 + 70_000), xml: jmiMessage(ALICE, 'bob@localhost', jmi('propose', 'out1', { media: 'video' })) },
      { id: 'A5', stamp: iso(t0 + 72_000), xml: jmiMessage(BOB, ALICE, jmi('reject', 'out1', { reason: 'busy' })) },
      { id: 'A6', stamp: iso(t0 + 80_000), xml: jmiMessage(ALICE, 'bob@localhost', jmi('propose', 'out2')) },
      { id: 'A7', stamp: iso(t0 + 90_000), xml: jmiMessage(ALICE, 'bob@localhost', jmi('retract', 'out2')) },
      { id: 'A8', stamp: iso(t0 + 100_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'in2')) },
      { id: 'A9', stamp: iso(t0 + 101_000), xml: jmiMessage(ALICE, BOB, jmi('reject', 'in2', { reason: 'decline' })) },
      body(ALICE, 'bob@localhost', 'T2', 'sorry', t0 + 102_000),
    ]);
    const alice = chat(link(ALICE), { historyPageSize: 2 });
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    alice.open('bob@localhost');
    for (let i = 0; i < 6; i++) {
      await vi.waitFor(() => expect(alice.view('bob@localhost').historyLoading).toBe(false));
      await alice.loadOlder('bob@localhost');
    }
    const words = alice.view('bob@localhost').messages.map((m) => (m.call ? describeCall(m.call) : `${m.direction}: ${m.body}`));
    expect(words).toEqual([
      'in: call me',
      'Incoming call, 1:00',
      'Outgoing video call, busy',
      'Outgoing call, no answer',
      'Incoming call, you declined',
      'out: sorry',
    ]);
    // The archive is history: the unanswered call of an hour ago is not news.
    expect(alice.unreadTotal).toBe(0);
  });

  it('a call answered on another device of ours is answered, not missed', () => {
    const { net, link, chat } = setUp();
    link(ALICE);
    const alice = chat(net.links.get(ALICE)!);
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('propose', 'c3')));
    net.server.deliver(ALICE, carbon('sent', jmiMessage('alice@localhost/phone', BOB, jmi('proceed', 'c3'))));
    // Accept to our own bare JID names no contact: it opens no chat with ourselves.
    net.server.deliver(ALICE, jmiMessage('alice@localhost/phone', 'alice@localhost', jmi('accept', 'c3')));
    expect(alice.contacts).toEqual(['bob@localhost']);
    expect(calls(alice)).toMatchObject([{ sid: 'c3', direction: 'incoming', outcome: 'answered' }]);
    expect(alice.missedCalls).toEqual([]);
  });

  it('a proposal nobody answers or retracts rings out and is missed', () => {
    vi.useFakeTimers();
    const { net, link, chat } = setUp();
    link(ALICE);
    const alice = chat(net.links.get(ALICE)!, { ringLimitMs: 60_000 });
    const seen = vi.fn();
    alice.subscribe(seen);
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('propose', 'c4')));
    vi.advanceTimersByTime(59_000);
    expect(calls(alice)[0]!.outcome).toBe('ringing');
    seen.mockClear();
    vi.advanceTimersByTime(1_000);
    expect(calls(alice)[0]!.outcome).toBe('missed');
    expect(seen).toHaveBeenCalled();
    expect(alice.missedCalls).toHaveLength(1);
  });

  it('a summary of a declined or failed call says so; a test call is no conversation', () => {
    const { link, chat } = setUp();
    const alice = chat(link(ALICE));
    const t = Date.now();
    const base = { peer: 'bob@localhost', media: { audio: true, video: true }, test: false, startedAt: t - 5_000, endedAt: t, missed: false } as const;
    alice.recordCall({ ...base, sid: 's1', direction: 'outgoing', reason: { condition: 'decline', by: 'peer' } });
    alice.recordCall({ ...base, sid: 's2', direction: 'incoming', reason: { condition: 'connectivity-error', by: 'us' } });
    alice.recordCall({ ...base, sid: 's3', direction: 'incoming', reason: { condition: 'retracted', by: 'peer' }, missed: true });
    alice.recordCall({ ...base, sid: 's4', peer: 'echo.localhost', direction: 'outgoing', test: true, connectedAt: t - 4_000, reason: { condition: 'expired', by: 'peer' } });
    expect(calls(alice).map(describeCall)).toEqual(['Outgoing video call, declined', 'Video call failed', 'Missed video call']);
    // The echo test call opens no chat (it would be a request from our own component).
    expect(alice.contacts).toEqual(['bob@localhost']);
    expect(alice.missedCalls.map((m) => m.sid)).toEqual(['s3']);
  });
});

describe('missed calls at login (XEP-0313 since the last visit)', () => {
  it('asks the archive from the last time seen, without a with filter, and shows the calls missed since', async () => {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    const now = Date.now();
    const storage = new MemoryStorage();
    storage.setItem('jingle-gateway:last-seen:alice@localhost', String(now - 3 * 3_600_000));
    net.server.archive.set('alice@localhost', [
      // Before the last visit: seen then.
      { id: 'O1', stamp: iso(now - 5 * 3_600_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'old')) },
      { id: 'O2', stamp: iso(now - 5 * 3_600_000 + 9_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('retract', 'old')) },
      // Just before the last visit (inside the query's 5 min margin for clocks): read, but seen then.
      { id: 'E1', stamp: iso(now - 3 * 3_600_000 - 120_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'edge')) },
      { id: 'E2', stamp: iso(now - 3 * 3_600_000 - 110_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('retract', 'edge')) },
      { id: 'N1', stamp: iso(now - 3_600_000), xml: jmiMessage('carol@localhost/x', 'alice@localhost', jmi('propose', 'new1', { media: 'video' })) },
      { id: 'N2', stamp: iso(now - 3_600_000 + 1_000), xml: `<message xmlns='jabber:client' from='carol@localhost/x' to='alice@localhost' type='chat' id='t'><body>pick up</body></message>` },
      { id: 'N3', stamp: iso(now - 3_600_000 + 30_000), xml: jmiMessage('carol@localhost/x', 'alice@localhost', jmi('retract', 'new1')) },
      // Rang 10 minutes ago with no retract at all (the caller's client died): missed too.
      { id: 'N4', stamp: iso(now - 600_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'new2')) },
      // Answered on the phone: not missed.
      { id: 'N5', stamp: iso(now - 300_000), xml: jmiMessage(BOB, 'alice@localhost', jmi('propose', 'new3')) },
      { id: 'N6', stamp: iso(now - 299_000), xml: jmiMessage('alice@localhost/phone', BOB, jmi('proceed', 'new3')) },
    ]);
    const alice = chat(link(ALICE), { storage, historyPageSize: 2 });
    await vi.waitFor(() => expect(alice.missedCalls).toHaveLength(2));
    const catchUp = net.server.queries.filter((q) => !q.toString().includes('<field var="with">'));
    expect(catchUp[0]!.toString()).toContain(`<field var="start"><value>${iso(now - 3 * 3_600_000 - 5 * 60_000)}</value></field>`);
    expect(catchUp.length).toBeGreaterThanOrEqual(3);  // 8 results in pages of 2, forward with <after/>
    expect(catchUp[1]!.toString()).toContain('<after>E2</after>');
    expect(alice.missedCalls.map((m) => `${m.contact} ${m.sid} ${m.media}`)).toEqual(['carol@localhost new1 video', 'bob@localhost new2 audio']);
    expect(alice.view('carol@localhost').missedCalls).toBe(1);
    expect(calls(alice).map((c) => `${c.sid} ${c.outcome}`)).toEqual(['edge missed', 'new2 missed', 'new3 answered']);
    // Only call messages: the text message comes with the chat's own history.
    expect(alice.view('carol@localhost').messages).toHaveLength(1);
    // The visit is remembered for next time.
    await vi.waitFor(() => expect(Number(storage.getItem('jingle-gateway:last-seen:alice@localhost'))).toBeGreaterThanOrEqual(now));
  });

  it('without a stored time goes back catchUpDays, and reads at most catchUpPages pages', async () => {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    const now = Date.now();
    net.server.archive.set('alice@localhost', Array.from({ length: 40 }, (_, i) => (
      { id: `P${i}`, stamp: iso(now - 3_600_000 + i * 60_000), xml: jmiMessage(BOB, 'alice@localhost', jmi(i % 2 ? 'retract' : 'propose', `m${i >> 1}`)) })));
    const alice = chat(link(ALICE), { storage: undefined, historyPageSize: 4, catchUpPages: 3, catchUpDays: 2 });
    await vi.waitFor(() => expect(net.server.queries).toHaveLength(3));
    await vi.waitFor(() => expect(alice.missedCalls).toHaveLength(6));
    expect(net.server.queries[0]!.toString()).toContain(`<value>${iso(now - 2 * 86_400_000 - 5 * 60_000).slice(0, 15)}`);
  });

  it('unseen missed calls survive a reload until the chat is opened; another account sees none of them', async () => {
    const { net, link, chat } = setUp();
    const storage = new MemoryStorage();
    const a = link(ALICE);
    const first = chat(a, { storage });
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('propose', 'r1')));
    net.server.deliver(ALICE, jmiMessage(BOB, 'alice@localhost', jmi('retract', 'r1')));
    expect(first.missedCalls).toHaveLength(1);
    first.stop();
    // A reload: the archive is not even asked (no MAM here), yet the call is still news.
    const second = chat(a, { storage });
    expect(second.missedCalls.map((m) => m.sid)).toEqual(['r1']);
    // Carol logs in on the same page: alice's chats and missed calls are not hers.
    a.drop();
    a.reconnect('carol@localhost/web');
    expect(second.missedCalls).toEqual([]);
    expect(second.contacts).toEqual([]);
    // Alice again: her missed call is still unseen; opening the chat sees it, for good.
    a.drop();
    a.reconnect(ALICE);
    expect(second.missedCalls.map((m) => m.sid)).toEqual(['r1']);
    second.open('bob@localhost');
    expect(second.missedCalls).toEqual([]);
    second.stop();
    expect(chat(a, { storage }).missedCalls).toEqual([]);
  });

  it('keeps the last time seen fresh while online and idle, and writes it when the connection drops', async () => {
    vi.useFakeTimers();
    const t0 = Date.parse('2026-01-01T12:00:00Z');
    vi.setSystemTime(t0);
    const { link, chat } = setUp();
    const storage = new MemoryStorage();
    const a = link(ALICE);
    chat(a, { storage });
    await vi.advanceTimersByTimeAsync(0);
    const seen = (): number => Number(storage.getItem('jingle-gateway:last-seen:alice@localhost'));
    expect(seen()).toBe(t0);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(seen()).toBe(t0 + 5 * 60_000);
    await vi.advanceTimersByTimeAsync(30_000);
    a.drop();
    expect(seen()).toBe(t0 + 5.5 * 60_000);
    // While offline, nothing is seen.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(seen()).toBe(t0 + 5.5 * 60_000);
  });
});
