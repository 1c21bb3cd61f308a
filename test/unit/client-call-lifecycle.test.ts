// How calls end (issue 11 B1-B3) over FakeNetwork: one summary per call for the call
// history, a call that never connects, a call ended at once (logout, page closed), an iq error to our
// transport-info or ICE restart; whose calls ring is client-call-strangers.test.ts.
import type { Element } from 'ltx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NS, findJmi, parseJingle, sdpToJingle } from '../../schemas/index.ts';
import { CallController, describeEnd, type CallSummary, type EndReason } from '../../client/controllers/call.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { summarizeStats } from '../../client/rtc/stats.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { elements, x } from '../../client/xmpp/xml.ts';
import { BOOK, connect, jingleSent, jmiSent, servers, session, until, user, world } from './client-call.fixture.ts';

const record = (u: { call: { onEnded(l: (s: CallSummary) => void): () => void } }): CallSummary[] => {
  const list: CallSummary[] = [];
  u.call.onEnded((s) => list.push(s));
  return list;
};

describe('call summaries', () => {
  it('one per call on each side: who, which way, media, when it connected and ended, and why', async () => {
    let clock = 1_000;
    const w = world({ now: () => clock });
    const [alice, bob, bob2] = [record(w.alice), record(w.bob), record(w.bob2)];
    const sid = await connect(w, false);
    expect(w.alice.call.connectedAt).toBe(1_000);
    expect(bob2).toEqual([expect.objectContaining({ sid, direction: 'incoming', missed: false, reason: expect.objectContaining({ condition: 'answered-elsewhere' }) })]);
    clock = 61_000;
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    w.alice.call.hangUp(); // ended already: no second summary
    expect(alice).toEqual([{
      sid, peer: 'bob@localhost', direction: 'outgoing', media: { audio: true, video: false }, test: false,
      startedAt: 1_000, connectedAt: 1_000, endedAt: 61_000, reason: { condition: 'success', by: 'us', answered: true }, missed: false,
    }]);
    expect(bob).toEqual([expect.objectContaining({ sid, peer: 'alice@localhost', direction: 'incoming', connectedAt: 1_000, missed: false })]);
    expect(bob[0]!.reason).toMatchObject({ condition: 'success', by: 'peer' });
  });

  it('a call the caller gave up, or that rang out, is missed; a declined one is not', async () => {
    const w = world({ ringTimeoutMs: 100 });
    const bob = record(w.bob);
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.alice.call.hangUp();
    await until('bob ended', () => w.bob.call.state === 'ended');
    await w.alice.call.call('bob@localhost');
    await until('bob rings again', () => w.bob.call.state === 'ringing');
    w.bob.call.decline();
    await w.alice.call.call('bob@localhost');
    await until('rang out', () => bob.length === 3, 3_000);
    // The third: the caller's ring timer started first, so its retract ends it before ours runs out.
    expect(bob.map((s) => [s.reason.condition, s.missed, s.connectedAt])).toEqual([
      ['retracted', true, undefined], ['decline', false, undefined], ['retracted', true, undefined],
    ]);
    // Ringing out here (the caller keeps ringing longer) is missed too.
    const v = world({ ringTimeoutMs: 5_000 }); // bob's phone (bob2) keeps the fixture's 1.5 s
    const phone = record(v.bob2);
    await v.alice.call.call('bob@localhost');
    await until('rang out on the phone', () => phone.length === 1, 3_000);
    expect(phone[0]).toMatchObject({ missed: true, reason: { condition: 'timeout', by: 'us' } });
  });

  it('stats name the path: direct, or relayed when either end of the selected pair is a relay', async () => {
    const pair = (local: string, remote: string) => summarizeStats([
      { id: 't', type: 'transport', selectedCandidatePairId: 'p' },
      { id: 'p', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r' },
      { id: 'l', type: 'local-candidate', candidateType: local },
      { id: 'r', type: 'remote-candidate', candidateType: remote },
    ]).path;
    expect([pair('host', 'srflx'), pair('relay', 'host'), pair('prflx', 'relay')]).toEqual(['direct', 'relayed', 'relayed']);
    expect(summarizeStats([]).path).toBeUndefined();
    const w = world({ iceTransportPolicy: 'relay' });
    await connect(w);
    await until('stats', () => w.alice.call.stats?.path !== undefined);
    expect(w.alice.call.stats?.path).toBe('relayed');
  });
});

const reasonOf = (iq: Element) => parseJingle(elements(iq)[0]!).reason;

describe('a call that never connects (issue 11 B1)', () => {
  it('ends on both sides with failed-transport, "Connection failed", once connectTimeoutMs have passed since it was answered', async () => {
    const w = world({ connectTimeoutMs: 300 });
    // Relay-only without a TURN server: no candidate at all, ICE never leaves 'new'.
    w.alice.media.gatherNothing = w.bob.media.gatherNothing = true;
    await w.alice.call.call('bob@localhost');
    await until('bob rings', () => w.bob.call.state === 'ringing');
    const answered = Date.now();
    w.bob.call.accept();
    await until('alice connecting', () => w.alice.call.state === 'connecting');
    await new Promise((r) => setTimeout(r, 150));
    expect([w.alice.call.state, w.bob.call.state, session(w.alice).state]).toEqual(['connecting', 'connecting', 'new']);
    await until('both ended', () => w.alice.call.state === 'ended' && w.bob.call.state === 'ended', 3_000);
    expect(Date.now() - answered).toBeGreaterThanOrEqual(290);
    // Bob's timer started first (at accept): his session-terminate says why, and alice shows it.
    expect(w.bob.call.endReason).toMatchObject({ condition: 'failed-transport', by: 'us', text: 'no connection within 0 s' });
    expect(jingleSent(w.bob.link, 'session-terminate').map(reasonOf)).toEqual([{ condition: 'failed-transport', text: 'no connection within 0 s' }]);
    expect(w.alice.call.endReason).toMatchObject({ condition: 'failed-transport', by: 'peer' });
    expect(describeEnd(w.alice.call.endReason!, { peerName: 'Bob', direction: 'outgoing' })).toBe('Connection failed: no connection within 0 s');
    // JMI: both said it is over with <finish/> and connectivity-error.
    expect(findJmi(jmiSent(w.bob.link, 'finish')[0]!)!.reason?.condition).toBe('connectivity-error');
  });

  it('waits 30 s by default, and not for a call that connected', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const w = world();
      w.alice.media.gatherNothing = w.bob.media.gatherNothing = true;
      await w.alice.call.call('bob@localhost');
      await until('bob rings', () => w.bob.call.state === 'ringing');
      w.bob.call.accept();
      await until('alice connecting', () => w.alice.call.state === 'connecting');
      await vi.advanceTimersByTimeAsync(29_000);
      expect(w.bob.call.state).toBe('connecting');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(w.bob.call.endReason).toMatchObject({ condition: 'failed-transport', text: 'no connection within 30 s' });
      await until('alice ended', () => w.alice.call.state === 'ended');
      const v = world();
      await connect(v);
      await vi.advanceTimersByTimeAsync(31_000);
      expect([v.alice.call.state, v.bob.call.state]).toEqual(['connected', 'connected']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ending at once (issue 11 B2)', () => {
  const win = globalThis as { window?: EventTarget };
  afterEach(() => { delete win.window; });

  it('endNow() has written session-terminate and <finish/> before it returns', async () => {
    const w = world();
    const sid = await connect(w);
    const before = w.bob.link.sent.length;
    w.bob.call.endNow('the page was closed');
    const sent = w.bob.link.sent.slice(before);
    expect(sent.map((s) => (s.name === 'iq' ? elements(s)[0]!.attrs.action : findJmi(s)?.action))).toEqual(['session-terminate', 'finish']);
    expect(reasonOf(sent[0]!)).toEqual({ condition: 'success' });
    expect(findJmi(sent[1]!)).toMatchObject({ id: sid, reason: { condition: 'success' } });
    expect(w.bob.call.endReason).toMatchObject({ condition: 'success', by: 'us', text: 'the page was closed' });
    expect(w.alice.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
    expect(describeEnd(w.alice.call.endReason!, { peerName: 'Bob', direction: 'outgoing' })).toBe('Bob hung up');
  });

  /** `u` (made while no page existed) now listens to its own page, as if it were alone in a tab. */
  const onPage = (u: { call: CallController }): EventTarget => {
    const page = new EventTarget();
    u.call.stop();
    win.window = page;
    u.call.start();
    delete win.window;
    return page;
  };

  it('a page hidden for good or unloaded ends its call: pagehide, beforeunload; a proposal is retracted; a call ringing here is left', async () => {
    const w = world();
    const bobPage = onPage(w.bob);
    await connect(w);
    bobPage.dispatchEvent(new Event('pagehide'));
    expect(w.alice.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
    expect(w.bob.call.endReason).toMatchObject({ condition: 'success', by: 'us', text: 'the page was closed' });

    const v = world();
    const alicePage = onPage(v.alice);
    await v.alice.call.call('bob@localhost');
    await until('bob rings', () => v.bob.call.state === 'ringing');
    alicePage.dispatchEvent(new Event('beforeunload'));
    expect(jmiSent(v.alice.link, 'retract')).toHaveLength(1);
    expect(v.alice.call.endReason).toMatchObject({ condition: 'cancel', by: 'us', text: 'the page was closed' });
    await until('bob stops ringing', () => v.bob.call.state === 'ended');
    expect(describeEnd(v.bob.call.endReason!, { peerName: 'alice', direction: 'incoming' })).toBe('Missed call');

    // Ringing here: a proposal is left to our other devices (no reject, which would stop them too) ...
    const t = world();
    const phonePage = onPage(t.bob2);
    await t.alice.call.call('bob@localhost');
    await until('bob rings', () => t.bob.call.state === 'ringing' && t.bob2.call.state === 'ringing');
    const sent = t.bob2.link.sent.length;
    phonePage.dispatchEvent(new Event('pagehide'));
    expect(t.bob2.link.sent.slice(sent)).toEqual([]);
    expect(t.bob2.call.endReason).toMatchObject({ condition: 'gone', by: 'us', text: 'the page was closed' });
    await new Promise((r) => setTimeout(r, 20));
    expect([t.alice.call.state, t.bob.call.state]).toEqual(['proposing', 'ringing']);
    t.bob.call.accept();
    await until('answered on the other device', () => t.alice.call.state === 'connected');
    // ... a direct session-initiate rings only here: it ends with gone.
    const carol = user(t.net, 'carol@localhost/y');
    const carolPage = onPage(carol);
    const offerer = new FakeMedia().create({ media: { audio: true, video: false }, iceServers: [] });
    const caller = t.net.link('alice@localhost/old-client'); // a device of alice's without JMI
    const jingle = sdpToJingle(await offerer.createOffer(), { role: 'initiator', sid: 'direct1', initiator: caller.jid });
    await caller.request(x('iq', { type: 'set', to: 'carol@localhost/y' }, jingle));
    await until('carol rings', () => carol.call.state === 'ringing');
    carolPage.dispatchEvent(new Event('pagehide'));
    expect(jingleSent(carol.link, 'session-terminate').map((iq) => [iq.attrs.to, reasonOf(iq)?.condition])).toEqual([['alice@localhost/old-client', 'gone']]);

    // A stopped controller no longer listens to its page.
    const u = world();
    const page = onPage(u.alice);
    u.alice.call.stop();
    await u.alice.call.call('bob@localhost');
    page.dispatchEvent(new Event('pagehide'));
    expect(u.alice.call.state).toBe('proposing');
  });

  it('logging out ends the call before the stream closes (onBeforeClose)', async () => {
    const net = new FakeNetwork();
    servers(net);
    const alice = user(net, 'alice@localhost/web');
    const link = net.link('bob@localhost/web');
    const closing = new Set<() => void>();
    const logout = (): void => {
      for (const h of closing) h(); // what ConnectionController.logout() does first, while still online
      link.setStatus('offline');
    };
    const bob = new CallController(Object.assign(link, {
      onBeforeClose: (h: () => void) => { closing.add(h); return () => closing.delete(h); },
    }), { createMedia: new FakeMedia().create, peers: () => BOOK });
    try {
      await alice.call.call('bob@localhost');
      await until('bob rings', () => bob.state === 'ringing');
      bob.accept();
      await until('connected', () => alice.call.state === 'connected' && bob.state === 'connected');
      logout();
      expect(alice.call.endReason).toMatchObject({ condition: 'success', by: 'peer' });
      expect(bob.endReason).toMatchObject({ condition: 'success', by: 'us', text: 'you logged out' });
      expect(jingleSent(link, 'session-terminate')).toHaveLength(1);
    } finally {
      bob.stop();
    }
  });

  it('an iq error to our transport-info ends the call at once: service-unavailable (gone) or item-not-found (forgotten)', async () => {
    const w = world();
    await connect(w);
    w.bob.link.drop(); // bob's resource is gone: the server answers for it
    session(w.alice).gatherMore();
    await until('alice ended', () => w.alice.call.state === 'ended', 500);
    expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', by: 'us', text: 'the other side is no longer reachable' });
    expect(describeEnd(w.alice.call.endReason!, { peerName: 'Bob', direction: 'outgoing' })).toBe('Connection failed: the other side is no longer reachable');

    const v = world();
    await connect(v);
    v.bob.link.drop(); // bob's page reloads while his connection is down: his terminate never leaves
    v.bob.call.stop();
    v.bob.link.reconnect(); // the new page, under the same JID, knows nothing of the call
    const reloaded = new CallController(v.bob.link, { createMedia: new FakeMedia().create, peers: () => BOOK });
    try {
      session(v.alice).gatherMore();
      await until('alice ended', () => v.alice.call.state === 'ended', 500);
      expect(v.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', text: 'the other side no longer knows this call' });
    } finally {
      reloaded.stop();
    }
  });

  it('an iq error to our ICE restart ends the call at once', async () => {
    const w = world();
    await connect(w);
    w.bob.link.drop();
    await w.alice.call.restartIce();
    await until('alice ended', () => w.alice.call.state === 'ended', 500);
    expect(w.alice.call.endReason).toMatchObject({ condition: 'connectivity-error', text: 'the other side is no longer reachable' });
  });
});

describe('describeEnd (issue 11 B3)', () => {
  const say = (r: EndReason, direction: 'incoming' | 'outgoing' = 'outgoing', peerName = 'bob') => describeEnd(r, { peerName, direction });
  it('says who ended it, for every condition, and keeps the <text>', () => {
    const rows: [EndReason, 'incoming' | 'outgoing', string][] = [
      [{ condition: 'success', by: 'us', answered: true }, 'outgoing', 'You hung up'],
      [{ condition: 'success', by: 'peer', answered: true }, 'incoming', 'Bob hung up'],
      [{ condition: 'decline', by: 'peer' }, 'outgoing', 'Bob declined'],
      [{ condition: 'decline', by: 'us' }, 'incoming', 'You declined'],
      [{ condition: 'busy', by: 'peer' }, 'outgoing', 'Bob is busy'],
      [{ condition: 'cancel', by: 'us' }, 'outgoing', 'Cancelled'],
      [{ condition: 'cancel', by: 'us', answered: true }, 'outgoing', 'You hung up'],
      [{ condition: 'cancel', by: 'peer', answered: true }, 'incoming', 'Bob hung up'],
      [{ condition: 'cancel', by: 'peer' }, 'incoming', 'Missed call'],
      [{ condition: 'retracted', by: 'peer' }, 'incoming', 'Missed call'],
      [{ condition: 'timeout', by: 'us' }, 'outgoing', 'No answer'],
      [{ condition: 'timeout', by: 'us' }, 'incoming', 'Missed call'],
      [{ condition: 'timeout', by: 'peer', answered: true, text: 'echo test calls last at most 60 s' }, 'outgoing', 'Time limit reached: echo test calls last at most 60 s'],
      [{ condition: 'expired', by: 'peer', answered: true }, 'outgoing', 'Time limit reached'],
      [{ condition: 'gone', by: 'peer' }, 'outgoing', 'Bob is no longer available'],
      [{ condition: 'gone', by: 'us', text: 'the page was closed' }, 'incoming', 'You left: the page was closed'],
      [{ condition: 'alternative-session', by: 'peer' }, 'outgoing', 'Moved to another session'],
      [{ condition: 'connectivity-error', by: 'us', text: 'disconnected from the server' }, 'outgoing', 'Connection failed: disconnected from the server'],
      [{ condition: 'failed-transport', by: 'peer' }, 'incoming', 'Connection failed'],
      [{ condition: 'failed-application', by: 'peer', text: 'no media' }, 'outgoing', "Media failed on bob's side: no media"],
      [{ condition: 'media-error', by: 'us' }, 'outgoing', 'Media failed on this side'],
      [{ condition: 'security-error', by: 'us' }, 'incoming', 'Bob offered no secure connection'],
      [{ condition: 'security-error', by: 'peer' }, 'outgoing', 'Bob refused the connection as insecure'],
      [{ condition: 'unsupported-applications', by: 'peer' }, 'outgoing', 'Bob cannot take this kind of call'],
      [{ condition: 'unsupported-transports', by: 'peer' }, 'outgoing', 'Bob cannot take this kind of connection'],
      [{ condition: 'incompatible-parameters', by: 'peer' }, 'outgoing', "Bob's media does not fit this call"],
      [{ condition: 'answered-elsewhere', by: 'other-device' }, 'incoming', 'Answered on another device'],
      [{ condition: 'declined-elsewhere', by: 'other-device' }, 'incoming', 'Declined on another device'],
      [{ condition: 'general-error', by: 'peer' }, 'outgoing', "Bob's side failed"],
      [{ condition: 'error', by: 'us', text: 'Permission denied' }, 'outgoing', 'The call failed: Permission denied'],
    ];
    expect(rows.map(([r, d]) => say(r, d))).toEqual(rows.map(([, , want]) => want));
    expect(say({ condition: 'success', by: 'peer' }, 'outgoing', 'bob@example.org')).toBe('bob@example.org hung up');
    expect(say({ condition: 'timeout', by: 'peer', answered: true }, 'outgoing', 'the echo test')).toBe('Time limit reached');
    // Without a context: the short labels the view showed, a time limit no longer "no answer".
    expect(describeEnd({ condition: 'success', by: 'peer' })).toBe('hung up');
    expect(describeEnd({ condition: 'timeout', by: 'peer', answered: true })).toBe('time limit reached');
    expect(describeEnd({ condition: 'timeout', by: 'us' })).toBe('no answer');
  });

  it("the echo peer's time limit, as it ends a connected call, is not 'no answer'", async () => {
    const w = world();
    const sid = await connect(w);
    const terminate = x('iq', { type: 'set', to: 'alice@localhost/web' }, x('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid },
      x('reason', {}, x('timeout'), x('text', {}, 'echo test calls last at most 60 s'))));
    await w.bob.link.request(terminate);
    expect(w.alice.call.endReason).toMatchObject({ condition: 'timeout', by: 'peer', answered: true, text: 'echo test calls last at most 60 s' });
    expect(describeEnd(w.alice.call.endReason!, { peerName: 'the echo test', direction: 'outgoing' })).toBe('Time limit reached: echo test calls last at most 60 s');
    expect(describeEnd(w.alice.call.endReason!)).toBe('time limit reached');
  });
});
