// The call controller's timings sink (call-timing.ts), over FakeNetwork: each step of a call's setup
// is marked once, in the order the protocol makes them happen, on both sides, with the call's sid; a
// sink set during a call gets the steps from then on, and a throwing sink does not break the call.
import { describe, expect, it } from 'vitest';
import type { CallStep } from '../../client/controllers/call-timing.ts';
import { connect, until, world } from './client-call.fixture.ts';

function recorder(): { steps: CallStep[]; sids: Set<string>; sink: (step: CallStep, sid: string) => void } {
  const steps: CallStep[] = [];
  const sids = new Set<string>();
  return { steps, sids, sink: (step, sid) => { steps.push(step); sids.add(sid); } };
}

/** `steps` holds `expected` in this order (other steps may come between). */
function inOrder(steps: readonly CallStep[], expected: readonly CallStep[]): void {
  const positions = expected.map((s) => steps.indexOf(s));
  expect(positions.every((p) => p >= 0), `missing: ${expected.filter((_, i) => positions[i]! < 0).join(', ')} in ${steps.join(', ')}`).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
}

describe('call set-up timings', () => {
  it('marks each step once, in protocol order, on both sides, with the call sid', async () => {
    const a = recorder();
    const b = recorder();
    const w = world();
    w.alice.call.timings = a.sink;
    w.bob.call.timings = b.sink;
    const sid = await connect(w, false);
    await until('the acks', () => a.steps.includes('initiate-acked') && b.steps.includes('accept-acked'));
    inOrder(a.steps, ['call', 'ice-servers', 'pc-created', 'offer-made', 'initiate-sent', 'accept-received', 'answer-applied', 'connected']);
    inOrder(a.steps, ['call', 'propose-sent', 'proceed-received', 'initiate-sent']);
    inOrder(a.steps, ['initiate-sent', 'initiate-acked']);
    inOrder(a.steps, ['pc-created', 'devices-opening', 'devices-open']);
    inOrder(a.steps, ['pc-created', 'offer-made']);
    inOrder(b.steps, ['propose-received', 'accept-pressed', 'proceed-sent', 'initiate-received', 'answer-made', 'accept-sent', 'accept-acked']);
    inOrder(b.steps, ['answer-made', 'connected']);
    inOrder(b.steps, ['accept-pressed', 'devices-opening', 'devices-open']);
    for (const steps of [a.steps, b.steps]) expect(new Set(steps).size).toBe(steps.length);
    expect([...a.sids]).toEqual([sid]);
    expect([...b.sids]).toEqual([sid]);
    // Steps of the other side are not marked here.
    expect(a.steps).not.toContain('accept-pressed');
    expect(b.steps).not.toContain('propose-sent');
  });

  it('a sink set mid-call gets the later steps; a throwing sink leaves the call alone', async () => {
    const w = world({ timings: () => { throw new Error('a broken sink'); } });
    await w.alice.call.call('bob@localhost', { audio: true, video: false });
    const late = recorder();
    w.bob.call.timings = late.sink;
    await until('bob rings', () => w.bob.call.state === 'ringing');
    w.bob.call.accept();
    await until('both connected', () => w.alice.call.state === 'connected' && w.bob.call.state === 'connected');
    expect(late.steps).toContain('accept-pressed');
    expect(late.steps).toContain('connected');
  });
});
