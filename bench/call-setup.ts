// npm run bench:call — call setup time in real headless Chromium: from clicking "Audio call" in alice's
// page to both pages connected (RTCPeerConnection 'connected', DTLS done), over XMPP through a real
// Prosody (XEP-0353 propose/proceed, session-initiate/accept, trickle ICE), with bob accepting the
// moment his call rings. The floor, in the same run: two RTCPeerConnections in one page signalled by
// direct function calls, each with its own getUserMedia, as the call has. Runs alternate; medians.
// Two series: Prosody as the test harness configures it, then with Nagle's algorithm off.
// Each step of the setup is marked in both pages by the call controller's timings sink
// (client/controllers/call-timing.ts) and broken down in the report (bench/call-steps.ts), beside the
// floor's own steps. A report: it always exits 0 (BENCH_RUNS=N for more runs, default 10).
import type { Page } from 'playwright-core';
import { startClientE2E } from '../test/harness/client-e2e.ts';
import { readyToCall } from '../test/harness/call-page.ts';
import { CALL_STEPS, type CallStep } from '../client/controllers/call-timing.ts';
import { breakdown, sinceStart, type Mark, type RunSteps } from './call-steps.ts';
import { percentile, table } from './report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const GOAL = 1.5;

type Controller = {
  state: string; subscribe(l: () => void): () => void; accept(): void; hangUp(): void; dismiss(): void;
  timings: ((step: CallStep, sid: string) => void) | undefined;
};
type CallEl = HTMLElement & { controller: Controller; peer: string };
type MarkWindow = Window & { jgMarks?: Mark[] };

/** The controller marks each step of its calls into the page's window.jgMarks. */
async function recordSteps(page: Page): Promise<void> {
  await page.locator('jg-call').evaluate((el) => {
    const w = window as MarkWindow;
    (el as CallEl).controller.timings = (step) => { (w.jgMarks ??= []).push({ step, at: performance.timeOrigin + performance.now() }); };
  });
}

/** The marks since the last take, and none kept. */
function takeMarks(page: Page): Promise<Mark[]> {
  return page.evaluate(() => {
    const w = window as MarkWindow;
    const out = w.jgMarks ?? [];
    w.jgMarks = [];
    return out;
  });
}

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

/**
 * One iq round trip from alice's page to bob's page and back through Prosody (bob answers a ping it
 * does not know with an error, at once): a JMI call needs two of them (propose, proceed; session-initiate,
 * session-accept) before ICE can start, so twice this is what its signalling costs at the least.
 */
function roundTrip(alice: Page, bobFull: string): Promise<number> {
  return alice.locator('jg-call').evaluate(async (el, to) => {
    type Plain = { name: string; attrs: Record<string, string>; children: Plain[] };
    const link = (el as HTMLElement & { link: { request(iq: Plain, timeoutMs?: number): Promise<unknown> } }).link;
    const iq: Plain = { name: 'iq', attrs: { type: 'get', to, id: `bench-${Math.random().toString(36).slice(2)}` }, children: [{ name: 'ping', attrs: { xmlns: 'urn:xmpp:ping' }, children: [] }] };
    const t = performance.now();
    await link.request(iq, 5_000).catch(() => undefined);
    return performance.now() - t;
  }, bobFull);
}

interface CallRun { total: number; alice: number; bob: number; steps: { alice: RunSteps; bob: RunSteps } }

async function viaXmpp(alice: Page, bob: Page): Promise<CallRun> {
  await Promise.all([takeMarks(alice), takeMarks(bob)]);
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
  await new Promise((r) => setTimeout(r, 100)); // gathering completes, in most runs (it is not waited for)
  const [ma, mb] = await Promise.all([takeMarks(alice), takeMarks(bob)]);
  await alice.locator('jg-call').evaluate((el) => (el as CallEl).controller.hangUp());
  for (const p of [alice, bob]) await p.locator('jg-call[data-state="ended"]').waitFor({ timeout: 10_000 });
  for (const p of [alice, bob]) await p.locator('jg-call').evaluate((el) => (el as CallEl).controller.dismiss());
  return { total: Math.max(a, b) - t0, alice: a - t0, bob: b - t0, steps: { alice: sinceStart(ma, t0), bob: sinceStart(mb, t0) } };
}

/**
 * The floor: two peer connections in one page, getUserMedia each, offer/answer and candidates handed
 * over directly. Its steps are those of the first peer connection (the offerer, as the caller's).
 */
function direct(page: Page): Promise<{ ms: number; steps: RunSteps }> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const steps: Record<string, number> = { start: 0 };
    const mark = (step: string): void => { steps[step] ??= performance.now() - t0; };
    const pcs = [new RTCPeerConnection({ bundlePolicy: 'max-bundle' }), new RTCPeerConnection({ bundlePolicy: 'max-bundle' })] as const;
    const [p1, p2] = pcs;
    p1.onicecandidate = (e) => { if (e.candidate) void p2.addIceCandidate(e.candidate); };
    p2.onicecandidate = (e) => { if (e.candidate) void p1.addIceCandidate(e.candidate); };
    p1.oniceconnectionstatechange = () => {
      if (p1.iceConnectionState === 'checking') mark('ice-checking');
      if (p1.iceConnectionState === 'connected' || p1.iceConnectionState === 'completed') mark('ice-connected');
    };
    const connected = pcs.map((pc) => new Promise<void>((ok, fail) => {
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') ok();
        if (pc.connectionState === 'failed') fail(new Error('failed'));
      };
    }));
    const [m1, m2] = await Promise.all([navigator.mediaDevices.getUserMedia({ audio: true }), navigator.mediaDevices.getUserMedia({ audio: true })]);
    mark('devices-open');
    for (const t of m1.getTracks()) p1.addTrack(t, m1);
    await p1.setLocalDescription(await p1.createOffer());
    mark('offer-made');
    await p2.setRemoteDescription(p1.localDescription!);
    for (const t of m2.getTracks()) p2.addTrack(t, m2);
    await p2.setLocalDescription(await p2.createAnswer());
    await p1.setRemoteDescription(p2.localDescription!);
    mark('answer-applied');
    await connected[0];
    mark('connected');
    await Promise.all(connected);
    const ms = performance.now() - t0;
    for (const pc of pcs) pc.close();
    for (const t of [...m1.getTracks(), ...m2.getTracks()]) t.stop();
    return { ms, steps };
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
  await Promise.all([recordSteps(alice.page), recordSteps(bob.page)]);
  const floorPage = await (await e2e.browser.newContext()).newPage();
  await floorPage.goto(e2e.appUrl.replace(/index\.html$/, ''));
  await floorPage.evaluate('window.__name = (f) => f'); // tsx names the floor's inner functions with esbuild's helper
  const bobFull = await bob.page.locator('jg-call').evaluate((el) => (el as HTMLElement & { link: { jid: string } }).link.jid);
  const floor: number[] = [];
  const rtt: number[] = [];
  const floorSteps: RunSteps[] = [];
  /** RUNS calls, each followed by one floor run; after a warm-up of each. */
  const series = async (): Promise<{ total: number[]; alice: number[]; bob: number[]; steps: CallRun['steps'][] }> => {
    await alice.page.locator('jg-call').evaluate((el) => { (el as CallEl).peer = 'bob@localhost'; });
    await alice.page.locator('jg-call').getByRole('button', { name: 'Audio call' }).waitFor();
    await viaXmpp(alice.page, bob.page);
    await direct(floorPage);
    const out = { total: [] as number[], alice: [] as number[], bob: [] as number[], steps: [] as CallRun['steps'][] };
    for (let i = 0; i < RUNS; i++) {
      const r = await viaXmpp(alice.page, bob.page);
      out.total.push(r.total);
      out.alice.push(r.alice);
      out.bob.push(r.bob);
      out.steps.push(r.steps);
      const f = await direct(floorPage);
      floor.push(f.ms);
      floorSteps.push(f.steps);
      rtt.push(await roundTrip(alice.page, bobFull));
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
    row('iq round trip alice -> bob -> alice via Prosody (a JMI call signals 2 before ICE)', rtt),
  ]));
  const ratio = med(calls.total) / med(floor);
  console.log(`ratio: ${ratio.toFixed(2)}x the floor (goal <= ${GOAL}x: ${ratio <= GOAL ? 'met' : 'not met'})\n`);
  console.log(breakdown(calls.steps.map((s) => s.alice), calls.steps.map((s) => s.bob), floorSteps, CALL_STEPS));
} finally {
  await e2e.stop();
}
