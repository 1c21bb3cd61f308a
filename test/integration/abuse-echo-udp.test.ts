// Issue 12 item 1: "the echo peer sends UDP wherever a caller says". A user of a served domain puts
// candidates in a call to echo@ that point at UDP sockets this test owns; through real Prosody and the
// real werift echo peer, those sockets must get nothing unless the operator allowed their network, and
// of 250 candidates in one call at most 20 are ever used.
import { describe, expect, it } from 'vitest';
import { lastJson, runInNetns } from '../harness/netns.ts';
import { runScenario, type ScenarioOptions, type ScenarioResult } from './netns/echo-udp-scenario.ts';

const hit = (r: ScenarioResult): string[] => Object.entries(r.received).filter(([, n]) => n > 0).map(([k]) => k);
const total = (r: ScenarioResult): number => Object.values(r.received).reduce((a, b) => a + b, 0);

describe('the echo peer and UDP the caller aims', () => {
  it('loopback candidates (the echo\'s own address included) get not one datagram by default', async () => {
    const r = await runScenario({ targets: ['127.0.0.1', '127.0.0.2'], perAddress: 3, inOffer: 2, flags: [], listenMs: 4000 });
    expect(r.accepted).toBe(true);
    expect(total(r)).toBe(0);
    expect(r.logs).toContain('echo: refused a remote candidate');
  });

  it('with loopback allowed, 250 candidates in one call reach at most 20 targets, and say so once', async () => {
    const r = await runScenario({ targets: ['127.0.0.2'], perAddress: 250, inOffer: 10, flags: ['--echo-allow-networks', '127.0.0.0/8'], listenMs: 6000 });
    expect(r.accepted).toBe(true);
    // Allowed targets are really used (so the zero above means refused, not "never tried")...
    expect(hit(r).length).toBeGreaterThan(0);
    // ...but no more than 20 of them, the first 20 sent.
    expect(hit(r).length).toBeLessThanOrEqual(20);
    const order = Object.keys(r.received);
    for (const k of hit(r)) expect(order.indexOf(k)).toBeLessThan(20);
    expect(r.logs.filter((m) => m === 'echo: the caller sent more candidates than a call uses; the rest are ignored')).toHaveLength(1);
  });

  it('in a namespace: private, shared, link-local and multicast-adjacent targets get nothing; an allowed public-looking network does', async () => {
    const options: ScenarioOptions = {
      targets: ['10.0.0.2', '192.168.1.2', '172.16.0.2', '100.64.0.2', '169.254.1.2', '198.51.100.2'],
      perAddress: 1, inOffer: 3, flags: ['--echo-allow-networks', '198.51.100.0/24'], listenMs: 4000,
    };
    const run = await runInNetns('test/integration/netns/echo-udp-scenario.ts',
      ['10.0.0.2/8', '192.168.1.2/24', '172.16.0.2/12', '100.64.0.2/10', '169.254.1.2/16', '198.51.100.2/24'], [JSON.stringify(options)], 90_000);
    const r = lastJson<ScenarioResult>(run);
    expect(r.accepted).toBe(true);
    const byAddress = Object.fromEntries(Object.entries(r.received).map(([k, n]) => [k.slice(0, k.lastIndexOf(':')), n]));
    expect(byAddress['198.51.100.2']).toBeGreaterThan(0);
    for (const a of ['10.0.0.2', '192.168.1.2', '172.16.0.2', '100.64.0.2', '169.254.1.2']) expect(byAddress[a], a).toBe(0);
  }, 120_000);
});
