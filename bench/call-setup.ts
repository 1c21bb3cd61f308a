// npm run bench:call — call setup time in real headless Chromium: from clicking "Audio call" in alice's
// page to both pages connected (RTCPeerConnection 'connected', DTLS done), over XMPP through a real
// Prosody (XEP-0353 propose/proceed, session-initiate/accept, trickle ICE), with bob accepting the
// moment his call rings. The floor, in the same run: two RTCPeerConnections in one page signalled by
// direct function calls, each with its own getUserMedia, as the call has. Runs alternate; medians.
// Two series: Prosody as the test harness configures it, then with Nagle's algorithm off.
// A report: it always exits 0 (BENCH_RUNS=N for more runs, default 10).
import type { Page } from 'playwright-core';
import { startClientE2E } from '../test/harness/client-e2e.ts';
import { readyToCall } from '../test/harness/call-page.ts';
import { percentile, table } from './report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const GOAL = 1.5;

type Controller = { state: string; subscribe(l: () => void): () => void; accept(): void; hangUp(): void; dismiss(): void };
type CallEl = HTMLElement & { controller: Controller; peer: string };

/** Bob accepts the moment his call rings (a user with an instant finger). */
async function autoAccept(page: Page): Promise<void> {
  await page.locator('jg-call').evaluate((el) => {
    const c = (el as CallEl).controller;
    c.subscribe(() => { if (c.state === 'ringing') c.accept(); });
  });
}

/** Resolves in the page when its call is connected, with the absolute time (ms) it happened. */
function connectedAt(page: Page): Promise<number> {
  return page.locator('jg-call').evaluate((el) => new Promise<number>((resolve, reject) => {
    const c = (el as CallEl).controller;
    const timer = setTimeout(() => reject(new Error('the call did not connect within 20 s')), 20_000);
    const off = c.subscribe(() => {
      if (c.state !== 'connected') return;
      off();
      clearTimeout(timer);
      resolve(performance.timeOrigin + performance.now());
    });
  }));
}

async function viaXmpp(alice: Page, bob: Page): Promise<{ total: number; alice: number; bob: number }> {
  const done = Promise.all([connectedAt(alice), connectedAt(bob)]);
  await new Promise((r) => setTimeout(r, 50)); // both listeners are in place
  const t0 = await alice.locator('jg-call').evaluate((el) => {
    const button = [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === 'Audio call');
    if (!button) throw new Error('no Audio call button');
    const t = performance.timeOrigin + performance.now();
    button.click();
    return t;
  });
  const [a, b] = await done;
  await alice.locator('jg-call').evaluate((el) => (el as CallEl).controller.hangUp());
  for (const p of [alice, bob]) await p.locator('jg-call[data-state="ended"]').waitFor({ timeout: 10_000 });
  for (const p of [alice, bob]) await p.locator('jg-call').evaluate((el) => (el as CallEl).controller.dismiss());
  return { total: Math.max(a, b) - t0, alice: a - t0, bob: b - t0 };
}

/** The floor: two peer connections in one page, getUserMedia each, offer/answer and candidates handed over directly. */
function direct(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const pcs = [new RTCPeerConnection({ bundlePolicy: 'max-bundle' }), new RTCPeerConnection({ bundlePolicy: 'max-bundle' })] as const;
    const [p1, p2] = pcs;
    p1.onicecandidate = (e) => { if (e.candidate) void p2.addIceCandidate(e.candidate); };
    p2.onicecandidate = (e) => { if (e.candidate) void p1.addIceCandidate(e.candidate); };
    const connected = pcs.map((pc) => new Promise<void>((ok, fail) => {
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') ok();
        if (pc.connectionState === 'failed') fail(new Error('failed'));
      };
    }));
    const [m1, m2] = await Promise.all([navigator.mediaDevices.getUserMedia({ audio: true }), navigator.mediaDevices.getUserMedia({ audio: true })]);
    for (const t of m1.getTracks()) p1.addTrack(t, m1);
    await p1.setLocalDescription(await p1.createOffer());
    await p2.setRemoteDescription(p1.localDescription!);
    for (const t of m2.getTracks()) p2.addTrack(t, m2);
    await p2.setLocalDescription(await p2.createAnswer());
    await p1.setRemoteDescription(p2.localDescription!);
    await Promise.all(connected);
    const ms = performance.now() - t0;
    for (const pc of pcs) pc.close();
    for (const t of [...m1.getTracks(), ...m2.getTracks()]) t.stop();
    return ms;
  });
}

const med = (v: number[]): number => percentile(v, 50);
const row = (name: string, v: number[]): string[] =>
  [name, med(v).toFixed(1), percentile(v, 90).toFixed(1), Math.min(...v).toFixed(1), Math.max(...v).toFixed(1)];

const e2e = await startClientE2E({ users: { alice: 'alice-pw', bob: 'bob-pw' }, componentArgs: ['--credentials-per-minute', '1000'] });
try {
  // Contacts both ways: calls ring only for contacts (call-policy.ts).
  const [alice, bob] = await readyToCall(e2e);
  await autoAccept(bob.page);
  const floorPage = await (await e2e.browser.newContext()).newPage();
  await floorPage.goto(e2e.appUrl.replace(/index\.html$/, ''));
  const floor: number[] = [];
  /** RUNS calls, each followed by one floor run; after a warm-up of each. */
  const series = async (): Promise<{ total: number[]; alice: number[]; bob: number[] }> => {
    await alice.page.locator('jg-call').evaluate((el) => { (el as CallEl).peer = 'bob@localhost'; });
    await alice.page.locator('jg-call').getByRole('button', { name: 'Audio call' }).waitFor();
    await viaXmpp(alice.page, bob.page);
    await direct(floorPage);
    const out = { total: [] as number[], alice: [] as number[], bob: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const r = await viaXmpp(alice.page, bob.page);
      out.total.push(r.total);
      out.alice.push(r.alice);
      out.bob.push(r.bob);
      floor.push(await direct(floorPage));
    }
    return out;
  };
  // Prosody runs as our configs set it: network_settings = { nagle = false } (scripts/prosody-config.ts).
  const calls = await series();
  console.log(`Call setup, ${RUNS} runs, each call followed by a floor run (ms; headless Chromium, loopback)\n`);
  console.log(table(['', 'median', 'p90', 'min', 'max'], [
    row('XMPP call via Prosody: "Audio call" -> both connected', calls.total),
    row('  alice (caller) connected', calls.alice),
    row('  bob (callee) connected', calls.bob),
    row('floor: 2 peer connections in 1 page, direct signaling', floor),
  ]));
  const ratio = med(calls.total) / med(floor);
  console.log(`ratio: ${ratio.toFixed(2)}x the floor (goal <= ${GOAL}x: ${ratio <= GOAL ? 'met' : 'not met'})`);
} finally {
  await e2e.stop();
}
