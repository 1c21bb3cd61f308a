// npm run bench:load — N concurrent echo call sessions (signalling only) through a real Prosody to the
// component in its own process (--echo-media off: answers built from the offer, no WebRTC), from 100
// logged-in users, each holding N/100 sessions, with translate IQs mixed in. Each user sets up WINDOW
// calls at a time (a call leaves the window once its session is up), so the N sessions are reached
// at the servers' pace rather than as one burst queued for tens of seconds; once all N are up they
// are terminated together. For each N: stanzas/s through the component, CPU of the component and of
// Prosody, p50/p99 of every request/response step, the component's memory with N sessions held and
// after, and lost or error answers, which must be 0. The floor in the same run: N XEP-0199 pings to
// the component from the same users, WINDOW per user in flight. A report: it always exits 0.
// BENCH_QUICK=1: 10 users, N = 100 (a CI smoke run). BENCH_SIZES=100,1000, BENCH_USERS, BENCH_WINDOW override.
// BENCH_CLUSTER=1: two clustered ejabberd 23.01 nodes, one component instance per node, users on both
// (bench/load-servers.ts); figures are summed over the instances, and printed per instance at the end.
// BENCH_CPU_PROF=<dir>: the component runs under `node --cpu-prof`; its top frames are printed at the end.
// BENCH_COMPONENT_ROOT=<checkout>: the component from another checkout (an A/B of two commits on one machine).
// RSS growth counts garbage V8 has not collected yet; the heap a held call retains after gc is
// bench/echo-memory.ts's figure (in-process, with the component's CPU per session-initiate).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { el } from '../schemas/xml.ts';
import { freePorts } from '../test/harness/ports.ts';
import { initiateTemplate, runFlow, type FlowTargets } from './load-flow.ts';
import { cpuMs, waitFor } from './load-proc.ts';
import { spawnInstances, startServers } from './load-servers.ts';
import { STEPS, Tally } from './load-tally.ts';
import { LoadUser, login } from './load-user.ts';
import { formatTop } from './profile-top.ts';
import { percentile, table } from './report.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const USERS = Number(process.env.BENCH_USERS ?? (QUICK ? 10 : 100));
const WINDOW = Number(process.env.BENCH_WINDOW ?? 2);
const SIZES = (process.env.BENCH_SIZES ?? (QUICK ? '100' : '100,1000,5000')).split(',').map(Number);
/** Rounds per N, so that the small sizes run long enough to measure. */
const rounds = (n: number): number => (QUICK ? 2 : n <= 100 ? 5 : n <= 1000 ? 2 : 1);
const TIMEOUT_MS = 60_000;
const DOMAIN = 'jingle.localhost';
const SECRET = 'load-secret';
const targets: FlowTargets = { domain: DOMAIN, echo: `echo@${DOMAIN}`, echoFull: `echo@${DOMAIN}/echo` };
const name = (i: number): string => `u${String(i).padStart(3, '0')}`;

interface Round {
  tally: Tally;
  setupMs: number;
  wallMs: number;
  stanzas: { in: number; out: number };
  cpu: { component: number; prosody: number; users: number };
  peak: { active: number; rss: number };
  activeAfter: number;
}

const started = performance.now();
const CLUSTER = process.env.BENCH_CLUSTER === '1';
const servers = await startServers(CLUSTER, Object.fromEntries(Array.from({ length: USERS }, (_, i) => [name(i), 'loadpw'])), { [DOMAIN]: SECRET });
const PROF_DIR = process.env.BENCH_CPU_PROF;
if (PROF_DIR) mkdirSync(PROF_DIR, { recursive: true });
const instances = await spawnInstances(servers.componentServices, (service, httpPort) => [
  'bin/jingle-gateway.js', 'component', '--service', service, '--domain', DOMAIN,
  '--secret', SECRET, '--hosts', 'localhost', '--stun-port', '0', '--http-port', String(httpPort), '--log-level', 'warn',
  '--echo-media', 'off', '--echo-max-sessions', '10000', '--echo-max-per-user', '100', '--echo-calls-per-minute', '10000',
  '--echo-max-seconds', '600', '--stanzas-per-minute', '1000000',
], PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : [], process.env.BENCH_COMPONENT_ROOT ?? new URL('..', import.meta.url));
const metrics = () => instances.metrics();
const serverCpu = (): number => (servers.serverPid ? cpuMs(servers.serverPid) : NaN);
const users: LoadUser[] = [];
let problems = 0;

/** One round: N sessions up at once, set up WINDOW per user at a time, then all terminated. */
async function round(n: number): Promise<Round> {
  const tally = new Tally();
  for (const u of users) u.tally = tally;
  const before = await metrics();
  const cpu0 = { component: instances.cpuMs(), prosody: serverCpu(), users: process.cpuUsage() };
  let held = 0;
  let allHeld!: () => void;
  const heldAll = new Promise<void>((ok) => { allHeld = ok; });
  let release!: () => void;
  const released = new Promise<void>((ok) => { release = ok; });
  const flows: Promise<void>[] = [];
  const t0 = performance.now();
  const worker = async (u: LoadUser, template: ReturnType<typeof initiateTemplate>, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((up) => {
        flows.push(runFlow(u, template, targets, () => { up(); if (++held === n) allHeld(); }, released));
      });
    }
  };
  const share = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
  users.forEach((u, i) => {
    const mine = share(n, users.length, i);
    for (let w = 0; w < WINDOW; w++) void worker(u, templates[i]!, share(mine, WINDOW, w));
  });
  await heldAll;
  const setupMs = performance.now() - t0;
  const peak = { active: (await metrics()).active, rss: instances.rssKiB() };
  release();
  await Promise.all(flows);
  const wallMs = performance.now() - t0;
  const after = await metrics();
  return {
    tally, setupMs, wallMs, peak, activeAfter: after.active,
    stanzas: { in: after.stanzasIn - before.stanzasIn, out: after.stanzasOut - before.stanzasOut },
    cpu: { component: instances.cpuMs() - cpu0.component, prosody: serverCpu() - cpu0.prosody, users: usedMs(process.cpuUsage(cpu0.users)) },
  };
}

/** The floor: N pings to the component, WINDOW per user in flight. */
async function pings(n: number): Promise<number[]> {
  const lat: number[] = [];
  let next = 0;
  await Promise.all(users.flatMap((u) => Array.from({ length: WINDOW }, async () => {
    while (next++ < n) {
      const t = performance.now();
      await u.xmpp.iqCaller.request(el('iq', { type: 'get', to: DOMAIN, id: `ping-${randomBytes(6).toString('hex')}` }, [el('ping', { xmlns: 'urn:xmpp:ping' })]), TIMEOUT_MS);
      lat.push(performance.now() - t);
    }
  })));
  return lat;
}

const usedMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const pct = (v: number[]): string => (v.length === 0 ? '-' : `${percentile(v, 50).toFixed(1)} / ${percentile(v, 99).toFixed(1)}`);
const mib = (kib: number): string => (kib / 1024).toFixed(1);
let templates: ReturnType<typeof initiateTemplate>[] = [];

try {
  await waitFor(async () => (await metrics().catch(() => undefined))?.online === true, 20_000, 'the component online');
  for (let i = 0; i < USERS; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, USERS - i) }, (_, j) => login(servers.c2s[(i + j) % servers.c2s.length]!, name(i + j), 'loadpw')));
    for (const x of batch) users.push(new LoadUser(x, new Tally(), TIMEOUT_MS, targets.echoFull));
  }
  templates = users.map((u) => initiateTemplate(u.jid));
  const idleRss = instances.rssKiB();
  console.log(`${USERS} users logged in after ${((performance.now() - started) / 1000).toFixed(1)} s; component RSS idle ${mib(idleRss)} MiB`);
  await round(Math.min(100, USERS * WINDOW)); // warm-up, discarded
  await pings(100);
  // Memory per session is measured from here: the code is loaded and warm, the process idle again.
  const baseRss = instances.rssKiB();
  const goals: string[] = [];

  const rows: string[][] = [];
  const steps = new Map<string, string[]>(STEPS.map((s) => [s, [s]]));
  const floor = ['floor: ping the component'];
  const ratios: string[] = [];
  for (const n of SIZES) {
    const all = new Tally();
    const sum = { setup: 0, wall: 0, stanzas: 0, component: 0, prosody: 0, users: 0, peakActive: 0, peakRss: 0 };
    const notes: string[] = [];
    for (let r = 0; r < rounds(n); r++) {
      const res = await round(n);
      all.merge(res.tally);
      sum.setup += res.setupMs;
      sum.wall += res.wallMs;
      sum.stanzas += res.stanzas.in + res.stanzas.out;
      sum.component += res.cpu.component;
      sum.prosody += res.cpu.prosody;
      sum.users += res.cpu.users;
      sum.peakActive = Math.max(sum.peakActive, res.peak.active);
      sum.peakRss = Math.max(sum.peakRss, res.peak.rss);
      // Every stanza a user sent the component arrived, and everything it sent arrived: counted on both ends.
      if (res.stanzas.in !== res.tally.toComponent || res.stanzas.out !== res.tally.fromComponent) {
        notes.push(`round ${r + 1}: the component counted ${res.stanzas.in} in / ${res.stanzas.out} out, the users ${res.tally.toComponent} sent / ${res.tally.fromComponent} received`);
      }
      if (res.activeAfter !== 0) notes.push(`round ${r + 1}: ${res.activeAfter} echo calls still active after it`);
    }
    await new Promise((ok) => setTimeout(ok, 1_000));
    const afterRss = instances.rssKiB();
    // The same CPU reading over the pings: what a stanza costs the component when it does nothing but
    // parse, route and answer (xmpp.js, the router), the floor of its µs/stanza.
    const pingBefore = { cpu: instances.cpuMs(), m: await metrics() };
    // At least 1,000 (outside the quick mode): /proc counts CPU in 10 ms ticks.
    const floorLat = await pings(QUICK ? n : Math.max(n, 1000));
    const pingAfter = { cpu: instances.cpuMs(), m: await metrics() };
    const pingStanzas = pingAfter.m.stanzasIn - pingBefore.m.stanzasIn + pingAfter.m.stanzasOut - pingBefore.m.stanzasOut;
    const pingUs = ((pingAfter.cpu - pingBefore.cpu) * 1000) / pingStanzas;
    const flows = n * rounds(n);
    const seconds = sum.wall / 1000;
    rows.push([
      String(n), String(flows), (sum.setup / 1000).toFixed(1), (sum.stanzas / seconds).toFixed(0), (flows / seconds).toFixed(0),
      `${((sum.component / sum.wall) * 100).toFixed(0)}%`, ((sum.component * 1000) / sum.stanzas).toFixed(0), (Number.isNaN(sum.prosody) ? '-' : `${((sum.prosody / sum.wall) * 100).toFixed(0)}%`), `${((sum.users / sum.wall) * 100).toFixed(0)}%`,
      String(sum.peakActive), mib(sum.peakRss), ((sum.peakRss - baseRss) / n).toFixed(2), mib(afterRss), `${all.lostCount}/${all.expected}`, String(all.errorCount + notes.length),
    ]);
    for (const s of STEPS) steps.get(s)!.push(pct(all.latency.get(s)!));
    floor.push(pct(floorLat));
    const ratio = percentile(all.latency.get('session-initiate -> session-accept')!, 50) / percentile(floorLat, 50);
    ratios.push(`N=${n}: ${ratio.toFixed(1)}x`);
    const us = (sum.component * 1000) / sum.stanzas;
    const perSession = (sum.peakRss - baseRss) / n;
    goals.push(`N=${n}: ${us.toFixed(0)} µs/stanza (goal <= 100: ${us <= 100 ? 'met' : 'NOT met'}; pings alone ${pingUs.toFixed(0)} µs/stanza), accept/ping p50 ${ratio.toFixed(1)}x (goal <= 3x: ${ratio <= 3 ? 'met' : 'NOT met'}), `
      + `RSS growth ${perSession.toFixed(2)} KiB/session (goal <= 2: ${perSession <= 2 ? 'met' : 'NOT met'}), p99 accept ${percentile(all.latency.get('session-initiate -> session-accept')!, 99).toFixed(0)} ms, lost ${all.lostCount}`);
    problems += all.lostCount + all.errorCount + notes.length;
    const trouble = [all.problems(), ...notes].filter(Boolean).join('; ');
    console.log(`N=${n}: ${rounds(n)} round(s), ${seconds.toFixed(1)} s${trouble ? `; PROBLEMS: ${trouble}` : ''}`);
  }

  console.log(`\nEcho call flows, signalling only (--echo-media off), through ${servers.label}, each instance in its own process:`);
  console.log(`${USERS} users, N sessions up at once (N/${USERS} per user, set up ${WINDOW} per user at a time); component at --log-level warn,`);
  console.log(`RSS idle ${mib(idleRss)} MiB. CPU is of one core over the run's wall time (2 cores for all three processes here).`);
  console.log(table(
    ['N at once', 'flows', 'setup s', 'stanzas/s', 'calls/s', 'component CPU', 'µs/stanza', 'server CPU', 'users CPU', 'peak active', 'RSS peak MiB', 'RSS/session KiB', 'RSS after MiB', 'lost/expected', 'errors'],
    rows,
  ));
  console.log('\nLatency p50 / p99 (ms), from the user\'s send to the answer, same runs; floor: N pings to the component, same window');
  console.log(table(['step', ...SIZES.map((n) => `N=${n}`)], [...steps.values(), floor]));
  console.log(`session-initiate -> session-accept p50 vs the ping floor p50: ${ratios.join(', ')}`);
  console.log(`RSS/session: the component's peak RSS at N less its RSS after the warm-up (${mib(baseRss)} MiB), over N.`);
  if (instances.pids.length > 1) {
    const each = await instances.each();
    console.log(`\nPer instance, over the whole run (logins, warm-up and pings included): ${each.map((x, i) => `#${i + 1} ${x.stats.stanzasIn + x.stats.stanzasOut} stanzas, `
      + `${((x.cpuMs * 1000) / (x.stats.stanzasIn + x.stats.stanzasOut)).toFixed(0)} µs/stanza, ${x.stats.active} active at the end`).join('; ')}`);
  }
  console.log(`\nGoals (issue 13):\n${goals.join('\n')}`);
} finally {
  await Promise.all(users.map((u) => u.stop()));
  await instances.stop();
  await servers.stop();
}
for (const pid of PROF_DIR ? instances.pids : []) {
  const file = readdirSync(PROF_DIR!).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`))[0];
  console.log(file ? `\nComponent CPU profile (${join(PROF_DIR!, file)}), whole run:\n${formatTop(JSON.parse(readFileSync(join(PROF_DIR!, file), 'utf8')), 30)}` : `no CPU profile of ${pid} in ${PROF_DIR}`);
}
console.log(`${problems === 0 ? 'zero' : problems} lost, unanswered or error answers; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
process.exitCode = 0;
