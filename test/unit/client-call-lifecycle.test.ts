// How calls end (issue 11 B1-B3, issue 12 item 4) over FakeNetwork: one summary per call for the call
// history, a call that never connects, a call ended at once (logout, page closed), an iq error to our
// transport-info or ICE restart, and whose calls ring at all.
import { describe, expect, it } from 'vitest';
import { NS, buildJmiMessage } from '../../schemas/index.ts';
import type { CallSummary } from '../../client/controllers/call.ts';
import { summarizeStats } from '../../client/rtc/stats.ts';
import { connect, until, world } from './client-call.fixture.ts';

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

export { NS, buildJmiMessage };
