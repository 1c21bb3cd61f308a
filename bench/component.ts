// npm run bench:component — IQ round trips through a real Prosody to the component (ping, translate)
// beside the floor, in one run: the same client pinging a trivial @xmpp/component that only answers
// ping (bench/floor-component.ts, its own process, through the same Prosody hop). Pinging Prosody
// itself is printed too, labelled: it skips the component hop, so it is no floor for our cost.
// BENCH_SECONDS (default 3) per request, split into BENCH_RUNS (default 3) interleaved rounds; the median rate counts
// and the spread of our ping/floor ratio over the rounds is printed. Also the memory one idle Jingle
// session costs in the component's session table. A report: it always exits 0.
import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { SessionTable } from '../component/sessions/index.ts';
import { NS, parseXml } from '../schemas/index.ts';
import { freePorts, waitForPort } from '../test/harness/ports.ts';
import { startProsody } from '../test/harness/prosody.ts';
import { connectClient, type TestClient } from '../test/harness/xmpp.ts';
import { cpuMs } from './load-proc.ts';
import { gcHeap, percentile, table } from './report.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
/** BENCH_SECONDS is each request's timed budget, split into BENCH_RUNS rounds (as bench:translate splits it). */
const roundSeconds = seconds / RUNS;
const WINDOW = 16; // requests in flight at once, as a busy client or a load balancer would have
const DOMAIN = 'jingle.localhost';
const FLOOR = 'floor.localhost';
const offer = readFileSync(new URL('../../shared/fixtures/sdp/chromium-audio-offer.sdp', import.meta.url), 'utf8');

/** Sends `make()` iqs for `seconds`, WINDOW at a time; returns round trips/s and latencies (ms). */
async function measure(client: TestClient, make: () => Element, forSeconds = roundSeconds): Promise<{ rate: number; lat: number[] }> {
  const lat: number[] = [];
  const end = performance.now() + forSeconds * 1000;
  let failures = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await client.iq(make(), 10_000);
      if (res.attrs.type !== 'result') failures++;
      lat.push(performance.now() - t);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: WINDOW }, worker));
  if (failures > 0) throw new Error(`${failures} requests failed`);
  return { rate: lat.length / ((performance.now() - start) / 1000), lat };
}

/** Waits until `to` answers a ping with a result. */
async function answering(client: TestClient, to: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await client.iq(parseXml(`<iq type='get' to='${to}'><ping xmlns='urn:xmpp:ping'/></iq>`)).catch(() => undefined);
    if (r?.attrs.type === 'result') return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`${to} does not answer pings`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const prosody = await startProsody({ users: { bench: 'benchpw' }, components: { [DOMAIN]: 'bench-secret', [FLOOR]: 'floor-secret' } });
const [stunPort] = await freePorts(1, { udp: true });
const service = `xmpp://127.0.0.1:${prosody.componentPort}`;
const cwd = new URL('..', import.meta.url);
/** BENCH_COMPONENT_ROOT=<checkout>: our component from another checkout (an A/B of two commits on one machine). */
const componentCwd = process.env.BENCH_COMPONENT_ROOT ?? cwd;
const component = spawn(process.execPath, [
  'bin/jingle-gateway.js', 'component', '--service', service, '--domain', DOMAIN,
  '--secret', 'bench-secret', '--hosts', 'localhost', '--stun-port', String(stunPort), '--stun-bind', '127.0.0.1',
  '--log-level', 'warn',
  // One user sends thousands of requests here: lift the per-user flood limit for the measurement.
  '--stanzas-per-minute', '1000000',
], { cwd: componentCwd, stdio: ['ignore', 'ignore', 'inherit'] });
const floor = spawn(process.execPath, ['--import', 'tsx', 'bench/floor-component.ts', service, FLOOR, 'floor-secret'], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await waitForPort(prosody.componentPort, 5_000);
  const client = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: 'bench', password: 'benchpw' });
  // Each request in flight waits on its own listener.
  (client.xmpp as unknown as EventEmitter).setMaxListeners(WINDOW * 4);
  await answering(client, DOMAIN);
  await answering(client, FLOOR);
  const ping = (to: string) => () => parseXml(`<iq type='get' to='${to}'><ping xmlns='urn:xmpp:ping'/></iq>`);
  const translate = () => {
    const iq = parseXml(`<iq type='get' to='${DOMAIN}'><translate xmlns='${NS.translate}' role='initiator'><sdp/></translate></iq>`);
    ((iq.children[0] as Element).children[0] as Element).children.push(offer);
    return iq;
  };
  // Each case with the process that answers it, whose CPU time per request is read from /proc.
  const cases: [string, () => Element, number | undefined][] = [
    ['floor: ping a trivial @xmpp/component', ping(FLOOR), floor.pid],
    ['ping the component', ping(DOMAIN), component.pid],
    ['translate SDP -> Jingle', translate, component.pid],
    ['ping Prosody itself (no component hop)', ping('localhost'), undefined],
  ];
  for (const [, make] of cases) await measure(client, make, roundSeconds / 2); // warm-up round, discarded
  const results = cases.map(([label]) => ({ label, rates: [] as number[], lat: [] as number[], cpu: 0 }));
  for (let r = 0; r < RUNS; r++) {
    // Interleaved, and who goes first rotates: load from others on the machine falls on every case alike.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + r) % cases.length;
      const pid = cases[i]![2];
      const cpu0 = pid ? cpuMs(pid) : 0;
      const m = await measure(client, cases[i]![1]);
      results[i]!.rates.push(m.rate);
      results[i]!.lat.push(...m.lat);
      results[i]!.cpu += pid ? cpuMs(pid) - cpu0 : NaN;
    }
  }
  const floorRates = results[0]!.rates;
  const ratios = results[1]!.rates.map((rate, r) => rate / floorRates[r]!);
  console.log(`IQ round trips through Prosody 0.12, ${WINDOW} in flight, ${RUNS} interleaved rounds of ${roundSeconds.toFixed(2)} s per request (each component in its own process)`);
  console.log(table(['request', 'round trips/s (median)', 'p50 ms', 'p99 ms', 'vs floor (rate)', 'answerer CPU µs/request'], results.map((r) => [
    r.label, median(r.rates).toFixed(0), percentile(r.lat, 50).toFixed(2), percentile(r.lat, 99).toFixed(2), `${(median(r.rates) / median(floorRates)).toFixed(2)}x`,
    Number.isNaN(r.cpu) ? '-' : ((r.cpu * 1000) / r.lat.length).toFixed(0),
  ])));
  const ratio = median(ratios);
  console.log(`ping ours vs the trivial component, per round: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} (median ${ratio.toFixed(2)}x, spread ${(Math.min(...ratios)).toFixed(2)}-${(Math.max(...ratios)).toFixed(2)}x); goal >= 0.9x: ${ratio >= 0.9 ? 'MET' : 'NOT MET'}`);
  // CPU per request is steadier than the rate on a shared machine: the other load slows both round trips alike.
  const cpuPer = (r: (typeof results)[number]): number => (r.cpu * 1000) / r.lat.length;
  console.log(`CPU per ping: ours ${cpuPer(results[1]!).toFixed(0)} µs vs the trivial component ${cpuPer(results[0]!).toFixed(0)} µs (${(cpuPer(results[0]!) / cpuPer(results[1]!)).toFixed(2)}x its efficiency)`);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${component.pid}/status`, 'utf8'))?.[1] ?? 0);
  console.log(`component process resident memory after the run: ${(rss / 1024).toFixed(1)} MiB`);
  await client.stop();
} finally {
  const exited = [component, floor].filter((p) => p.exitCode === null).map((p) => new Promise((ok) => p.once('exit', ok)));
  component.kill('SIGTERM');
  floor.kill('SIGTERM');
  await Promise.all(exited);
  await prosody.stop();
}

// Memory of idle sessions: the session table holding 1,000 pending sessions, measured after gc.
const table1k = new SessionTable({ maxSessions: 100_000, maxSessionsPerPeer: 100_000 });
const before = gcHeap();
for (let i = 0; i < 1000; i++) {
  table1k.receive(`user${i}@localhost/phone`, `echo@${DOMAIN}/echo`, {
    action: 'session-initiate', sid: `sid-${i}-${Math.random().toString(36).slice(2)}`, contents: [{}],
  }, Date.now());
}
const after = gcHeap();
console.log(`session table: ${table1k.size} idle sessions hold ${((after - before) / 1024).toFixed(0)} KiB (${((after - before) / table1k.size).toFixed(0)} bytes each)`);
process.exitCode = 0;
