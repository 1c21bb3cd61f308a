// The echo service's signalling with a fake context and fake peers: JMI, session-initiate to
// session-accept, trickle both ways, terminate, strangers, limits, time limit, failures, shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { NS, candidatesToTransportInfo, findJmi, parseJingle, transportInfoToCandidates } from '../../schemas/index.ts';
import { ALICE, CANDIDATE, ECHO, ECHO_FULL, errorOf, jingleOf, startEcho, type Harness } from './echo-fixture.ts';

let h: Harness;
afterEach(async () => { await h?.service.close(); });

const propose = (from: string, sid: string, extra = ''): string =>
  `<message from='${from}' to='${ECHO}' type='chat' id='m-${sid}'><propose xmlns='${NS.jmi}' id='${sid}'><description xmlns='${NS.rtp}' media='audio'/></propose>${extra}</message>`;
const trickle = (port: number): string => candidatesToTransportInfo([CANDIDATE(port)], { sid: 'x', creator: 'initiator' }).children.map(String).join('');
const actionOf = (i: number): string | undefined => jingleOf(h.requests[i])?.attrs.action as string | undefined;
const logged = (msg: string) => h.logs.filter((l) => l.msg === msg);

describe('XEP-0353 Jingle Message Initiation', () => {
  it('answers a propose with a receipt, ringing and proceed to the caller\'s full JID', async () => {
    h = startEcho();
    await h.handle(propose(ALICE, 's1', `<request xmlns='${NS.receipts}'/>`));
    expect(h.sent.map((m) => [m.attrs.to, m.attrs.from, m.attrs.type])).toEqual(Array(3).fill([ALICE, ECHO_FULL, 'chat']).map((a, i) => (i === 0 ? [ALICE, ECHO_FULL, undefined] : a)));
    expect(h.sent[0]?.getChild('received', NS.receipts)?.attrs.id).toBe('m-s1');
    expect(h.sent.slice(1).map((m) => findJmi(m))).toEqual([
      { action: 'ringing', id: 's1', media: [] }, { action: 'proceed', id: 's1', media: [] },
    ]);
    expect(h.sent[2]?.getChild('store', NS.hints)).toBeDefined();
    await h.initiate(ALICE, 's1');
    await h.initiate(ALICE, 's2'); // no propose before it: accepted too
    expect(logged('echo call started').map((l) => [l.sid, l.proposed])).toEqual([['s1', true], ['s2', false]]);
  });

  it('forgets a retracted proposal and ignores strangers', async () => {
    h = startEcho();
    await h.handle(propose(ALICE, 's1'));
    await h.handle(`<message from='${ALICE}' to='${ECHO}' type='chat'><retract xmlns='${NS.jmi}' id='s1'/></message>`);
    await h.initiate(ALICE, 's1');
    expect(logged('echo call started')[0]?.proposed).toBe(false);
    const before = h.sent.length;
    await h.handle(propose('mallory@evil.example/x', 's9'));
    expect(h.sent.length).toBe(before);
    expect(logged('echo: ignored a Jingle message from a user of a domain we do not serve')).toHaveLength(1);
  });
});

describe('a call', () => {
  it('acks session-initiate at once, then sends session-accept built from the peer\'s answer', async () => {
    h = startEcho();
    const reply = await h.initiate(ALICE, 'c1');
    expect(reply.attrs.type).toBe('result');
    expect(h.requests).toHaveLength(0);
    await h.settle();
    expect(h.peers[0]?.offers[0]).toMatch(/a=mid:0[\s\S]*a=rtpmap:111 opus\/48000\/2[\s\S]*a=mid:1/);
    const accept = h.requests[0]!;
    expect([accept.attrs.type, accept.attrs.to, accept.attrs.from]).toEqual(['set', ALICE, ECHO_FULL]);
    const j = parseJingle(jingleOf(accept)!);
    expect([j.action, j.sid, j.initiator, j.responder]).toEqual(['session-accept', 'c1', ALICE, ECHO_FULL]);
    expect(j.contents.map((c) => [c.name, c.description?.media])).toEqual([['0', 'audio'], ['1', 'video']]);
    expect(h.ctx.metrics.get('echo_calls_total')).toBe(1);
    expect(h.ctx.metrics.text()).toContain('echo_calls_active 1');
  });

  it('trickles candidates both ways with transport-info', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    await h.settle();
    // The candidate found while answering went out after the session-accept; a later one at once.
    expect([actionOf(0), actionOf(1)]).toEqual(['session-accept', 'transport-info']);
    h.peers[0]!.options.onCandidate(CANDIDATE(40001));
    h.peers[0]!.options.onCandidate({ candidate: '', sdpMid: '0' });
    await h.settle();
    const ours = h.requests.slice(1).map((iq) => transportInfoToCandidates(jingleOf(iq)!));
    expect(ours.map((cs) => cs.map((c) => c.candidate.split(' ')[5] ?? 'end'))).toEqual([['40000'], ['40001'], ['end']]);
    expect(jingleOf(h.requests[1])?.getChild('content')?.attrs).toMatchObject({ creator: 'initiator', name: '0' });
    // Theirs: to the peer, after the answer.
    expect((await h.jingle(ALICE, 'transport-info', 'c1', trickle(50000))).attrs.type).toBe('result');
    await h.settle();
    expect(h.peers[0]?.candidates.map((c) => [c.candidate.split(' ')[5], c.sdpMid])).toEqual([['50000', '0']]);
  });

  it('ends on session-terminate: peer closed, session forgotten', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    await h.settle();
    expect((await h.jingle(ALICE, 'session-terminate', 'c1', '<reason><success/></reason>')).attrs.type).toBe('result');
    await h.settle();
    expect(h.peers[0]?.closed).toBe(true);
    expect(h.service.activeCalls).toBe(0);
    expect(logged('echo call ended')[0]).toMatchObject({ sid: 'c1', caller: ALICE, reason: 'success' });
    expect(errorOf(await h.jingle(ALICE, 'transport-info', 'c1', trickle(1)))).toMatchObject({ condition: 'item-not-found', jingle: 'unknown-session' });
  });

  it('acks session-info, refuses unknown info payloads and renegotiation', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    expect((await h.jingle(ALICE, 'session-info', 'c1', `<mute xmlns='${NS.rtpInfo}' name='0'/>`)).attrs.type).toBe('result');
    expect(errorOf(await h.jingle(ALICE, 'session-info', 'c1', `<x xmlns='urn:example'/>`))).toMatchObject({ condition: 'feature-not-implemented', jingle: 'unsupported-info' });
    expect(errorOf(await h.jingle(ALICE, 'content-add', 'c1', `<content creator='initiator' name='2'/>`)).condition).toBe('feature-not-implemented');
    expect(errorOf(await h.jingle(ALICE, 'session-initiate', 'c1', '<content/>')).condition).toBe('bad-request');
    expect([h.peers.length, h.service.activeCalls]).toEqual([1, 1]);
  });
});

describe('who may call', () => {
  it('refuses users of other domains and a bad resource', async () => {
    h = startEcho();
    expect(errorOf(await h.initiate('mallory@evil.example/x', 'c1'))).toMatchObject({ type: 'cancel', condition: 'forbidden' });
    expect(errorOf(await h.jingle(ALICE, 'session-initiate', 'c2', '', `${ECHO}/other`)).condition).toBe('service-unavailable');
    expect(h.peers).toHaveLength(0);
  });

  it('answers a third user acting on someone else\'s sid with unknown-session, the call unaffected', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    await h.settle();
    for (const action of ['transport-info', 'session-terminate']) {
      const reply = await h.jingle('bob@example.com/laptop', action, 'c1', action === 'transport-info' ? trickle(6666) : '');
      expect(errorOf(reply)).toEqual({ type: 'cancel', condition: 'item-not-found', jingle: 'unknown-session' });
    }
    expect(h.peers[0]?.closed).toBe(false);
    expect(h.peers[0]?.candidates).toHaveLength(0);
    expect((await h.jingle(ALICE, 'transport-info', 'c1', trickle(7777))).attrs.type).toBe('result');
    expect(h.service.activeCalls).toBe(1);
  });

  it('keeps to echo-max-per-user and echo-max-sessions, and says busy to a proposal over them', async () => {
    h = startEcho(['--echo-max-sessions', '3', '--echo-max-per-user', '2']);
    expect((await h.initiate(ALICE, 'a1')).attrs.type).toBe('result');
    expect((await h.initiate('alice@example.com/desk', 'a2')).attrs.type).toBe('result');
    expect(errorOf(await h.initiate(ALICE, 'a3'))).toMatchObject({ type: 'wait', condition: 'resource-constraint' });
    await h.handle(propose(ALICE, 'a4'));
    expect(findJmi(h.sent.at(-1)!)).toMatchObject({ action: 'reject', id: 'a4', reason: { condition: 'busy' } });
    expect((await h.initiate('bob@example.com/x', 'b1')).attrs.type).toBe('result');
    expect(errorOf(await h.initiate('carol@example.com/x', 'c1')).condition).toBe('resource-constraint');
    expect(h.service.activeCalls).toBe(3);
  });
});

describe('ending calls ourselves', () => {
  const terminates = () => h.requests.concat(h.sent).map(jingleOf).filter((j) => j?.attrs.action === 'session-terminate');
  const reasonOf = (j: ReturnType<typeof jingleOf>) => parseJingle(j!).reason;

  it('terminates with <timeout/> after echo-max-seconds (fake clock)', async () => {
    // A watchdog longer than the call: this one is about the call's time limit alone.
    h = startEcho(['--echo-max-seconds', '30', '--echo-idle-seconds', '60']);
    await h.initiate(ALICE, 'c1');
    await h.settle();
    h.clock.now += 29_000;
    h.service.tick();
    expect(terminates()).toHaveLength(0);
    h.clock.now += 2_000;
    h.service.tick();
    await h.settle();
    expect(reasonOf(terminates()[0])).toEqual({ condition: 'timeout', text: 'echo test calls last at most 30 s' });
    expect(h.requests.at(-1)?.attrs.to).toBe(ALICE);
    expect(h.peers[0]?.closed).toBe(true);
    expect(h.service.activeCalls).toBe(0);
  });

  it('terminates with <media-error/> a call whose echoed packets stop growing for echo-idle-seconds (fake clock)', async () => {
    h = startEcho(['--echo-max-seconds', '120', '--echo-idle-seconds', '20']);
    await h.initiate(ALICE, 'w1');
    await h.settle();
    h.peers[0]!.options.onState('connected');
    // Media flows for 60 s: echoed packets grow between every tick.
    for (let i = 0; i < 6; i++) {
      h.clock.now += 10_000;
      h.peers[0]!.echoed.packets += 500;
      h.service.tick();
    }
    expect(terminates()).toHaveLength(0);
    // Then nothing more comes: 19 s is not enough, 20 s is.
    h.clock.now += 10_000;
    h.service.tick();
    h.clock.now += 9_000;
    h.service.tick();
    expect(terminates()).toHaveLength(0);
    h.clock.now += 1_000;
    h.service.tick();
    await h.settle();
    expect(reasonOf(terminates()[0])).toEqual({ condition: 'media-error', text: 'no media reached the echo test call for 20 s' });
    expect(h.peers[0]?.closed).toBe(true);
    expect(h.service.activeCalls).toBe(0);
  });

  it('the watchdog also ends a call whose media never connected, and counts data channel messages as media', async () => {
    h = startEcho(['--echo-idle-seconds', '20']);
    await h.initiate(ALICE, 'w2');
    await h.initiate(ALICE, 'w3');
    await h.settle();
    h.clock.now += 15_000;
    h.peers[1]!.echoed.messages += 1;
    h.service.tick();
    h.clock.now += 6_000;
    h.service.tick();
    await h.settle();
    expect(terminates().map((j) => j!.attrs.sid)).toEqual(['w2']);
    expect(h.service.activeCalls).toBe(1);
  });

  it('terminates when the caller refuses the session-accept, the offer cannot be answered, or ICE fails', async () => {
    h = startEcho();
    h.answer = async (iq) => { throw new Error(actionOf(h.requests.indexOf(iq)) === 'session-accept' ? 'item-not-found' : 'x'); };
    await h.initiate(ALICE, 'c1');
    await h.settle();
    expect(reasonOf(terminates()[0])?.condition).toBe('general-error');
    h = startEcho([], { failAnswer: new Error('negotiate codecs failed.') });
    await h.initiate(ALICE, 'c2');
    await h.settle();
    expect(reasonOf(terminates()[0])?.condition).toBe('failed-application');
    h = startEcho();
    await h.initiate(ALICE, 'c3');
    await h.settle();
    h.peers[0]!.options.onState('failed');
    await h.settle();
    expect(reasonOf(terminates()[0])?.condition).toBe('failed-transport');
    expect(h.service.activeCalls).toBe(0);
  });

  it('close() tells every caller the echo is gone and closes the peers', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    await h.initiate('bob@example.com/x', 'c2');
    await h.settle();
    await h.service.close();
    expect(h.sent.map(jingleOf).map((j) => j && [j.attrs.sid, reasonOf(j)?.condition])).toEqual([['c1', 'gone'], ['c2', 'gone']]);
    expect(h.peers.every((p) => p.closed)).toBe(true);
  });
});
