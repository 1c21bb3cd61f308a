// npm run bench: SDP -> Jingle -> SDP round trips per second, ours beside two baselines, in one run.
// Ours twice: on the wire path (ltx toString and @xmpp/xml's parser, as the component and the client
// send and receive stanzas; the goal is judged there) and on the CLI's path (our own text serializer
// and strict parser).
// Rates are per second of this process's CPU time, not of the wall clock: on a shared machine a
// round trip descheduled half-way would otherwise count the other programs' time.
// BENCH_SECONDS (default 3) is the timed budget per implementation, split into BENCH_ROUNDS (default 3)
// interleaved rounds; the median round counts. A report, not a test: it always exits 0.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface Adapter { label: string; roundTrip(sdp: string): string }
interface Candidate { key: 'ours' | 'wire' | 'stanza' | 'sjj'; label: string; run?: (sdp: string) => string; problem?: string; rates: number[]; heap: number }

const fixtureUrl = new URL('../../shared/fixtures/sdp/chromium-audio-video-offer.sdp', import.meta.url);
const sdp = readFileSync(fixtureUrl, 'utf8');
const seconds = envNumber('BENCH_SECONDS', 3);
const rounds = Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 3)));
const warmupSeconds = Math.min(1, seconds / 3);
const rewarmSeconds = Math.min(0.2, seconds / rounds / 5);

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

// A real gc() without --expose-gc on the command line, so heap growth means retained memory, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function load(key: Candidate['key'], fallbackLabel: string, loader: () => Promise<Adapter>): Promise<Candidate> {
  try {
    const adapter = await loader();
    return { key, label: adapter.label, run: adapter.roundTrip, rates: [], heap: 0 };
  } catch (err) {
    return { key, label: fallbackLabel, problem: `not loaded: ${(err as Error).message.split('\n')[0]}`, rates: [], heap: 0 };
  }
}

// Line kinds whose count must survive the round trip (a browser needs every one of them).
const CHECKED = ['m=', 'a=rtpmap:', 'a=fmtp:', 'a=rtcp-fb:', 'a=extmap:', 'a=extmap-allow-mixed', 'a=candidate:',
  'a=fingerprint:', 'a=setup:', 'a=ice-ufrag:', 'a=ice-pwd:', 'a=mid:', 'a=group:', 'a=ssrc-group:', 'a=msid:',
  'a=rtcp-mux', 'a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive'];

function countLines(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const kind = CHECKED.find((prefix) => line.startsWith(prefix));
    if (kind !== undefined) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/** One untimed round trip; returns what differs from the input, or why it failed. */
function sanityCheck(c: Candidate): string[] {
  if (!c.run) return [];
  let out: string;
  try {
    out = c.run(sdp);
  } catch (err) {
    c.problem = `round trip throws: ${(err as Error).message.split('\n')[0]}`;
    return [];
  }
  const want = countLines(sdp);
  const got = countLines(out);
  const diffs: string[] = [];
  for (const kind of CHECKED) {
    const a = want.get(kind) ?? 0;
    const b = got.get(kind) ?? 0;
    if (a !== b) diffs.push(`${kind} ${a} -> ${b}`);
  }
  if ((want.get('m=') ?? 0) !== (got.get('m=') ?? 0) || (want.get('a=rtpmap:') ?? 0) !== (got.get('a=rtpmap:') ?? 0)) {
    c.problem = `broken round trip (${diffs.join(', ')})`;
  }
  return diffs;
}

let sink = 0; // keeps the results observable so no work is optimised away

/** CPU time this process has used, in µs: time spent descheduled (a loaded machine) does not count. */
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Runs for about `budget` seconds of CPU; returns round trips per CPU second. */
function timed(run: (s: string) => string, budget: number, batch: number): number {
  const start = cpuNow();
  const end = start + budget * 1e6;
  let n = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink += run(sdp).length;
    n += batch;
    now = cpuNow();
  }
  return n / ((now - start) / 1e6);
}

const candidates = [
  await load('wire', 'jingle-gateway, wire', () => import('./baselines/ours-wire.ts')),
  await load('ours', 'jingle-gateway', () => import('./baselines/ours.ts')),
  await load('stanza', 'StanzaJS (XML)', () => import('./baselines/stanza.ts')),
  await load('sjj', 'sdp-jingle-json (JSON)', () => import('./baselines/sdp-jingle-json.ts')),
];
const warnings: string[] = [];
for (const c of candidates) {
  const diffs = sanityCheck(c);
  if (diffs.length > 0 && !c.problem) warnings.push(`warning: ${c.label} changes the SDP: ${diffs.join(', ')}`);
}
const live = candidates.filter((c) => c.run && !c.problem);

// Warm-up doubles as calibration: a batch is about 5 ms of work, so the clock is read rarely.
const batches = new Map<Candidate, number>();
for (const c of live) batches.set(c, Math.max(1, Math.round(timed(c.run!, warmupSeconds, 1) * 0.005)));

for (let r = 0; r < rounds; r++) {
  const order = live.map((_, i) => live[(i + r) % live.length]!); // rotate who goes first
  for (const c of order) {
    gc();
    const before = process.memoryUsage().heapUsed;
    // A forced gc() may drop compiled code of functions idle while the others ran (V8's code flushing):
    // each round warms its implementation up again, untimed, so every rate is steady-state throughput.
    timed(c.run!, rewarmSeconds, batches.get(c)!);
    c.rates.push(timed(c.run!, seconds / rounds, batches.get(c)!));
    gc();
    c.heap += process.memoryUsage().heapUsed - before;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const rate = (c: Candidate | undefined): number => (c && c.rates.length ? median(c.rates) : NaN);
const byKey = (key: Candidate['key']) => candidates.find((c) => c.key === key);
const stanzaRate = rate(byKey('stanza'));
const sjjRate = rate(byKey('sjj'));
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '-');
const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '-';

const header = ['implementation', 'round trips/CPU s', 'CPU µs/trip', 'spread', 'heap Δ', 'vs StanzaJS', 'vs sdp-jingle-json'];
const rows = candidates.map((c) => {
  if (c.problem) return [c.label, `SKIPPED: ${c.problem}`];
  const r = rate(c);
  const spread = (Math.max(...c.rates) - Math.min(...c.rates)) / r;
  return [c.label, fmt(r), fmt(1e6 / r, 1), `±${fmt(spread * 50, 1)}%`, `${fmt(c.heap / 1024)} kB`,
    ratio(r, stanzaRate), ratio(r, sjjRate)];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((row) => row.length > 2).map((row) => row[i]!.length)));
const line = (cells: string[]): string =>
  cells.length === 2 ? `${cells[0]!.padEnd(widths[0]!)}   ${cells[1]}`
    : cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   ');

const fixtureName = basename(fileURLToPath(fixtureUrl));
console.log(`SDP -> Jingle XML -> SDP round trips, ${fixtureName} (${Buffer.byteLength(sdp)} bytes)`);
console.log(`${rounds} interleaved rounds of ${fmt(seconds / rounds, 2)} s each (after ${fmt(warmupSeconds, 2)} s warm-up, and ${fmt(rewarmSeconds, 2)} s untimed before each round); median round; heap Δ = retained after gc, summed over rounds`);
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const w of warnings) console.log(w);

for (const key of ['wire', 'ours'] as const) {
  const c = byKey(key);
  const r = rate(c);
  const met = r >= 10 * stanzaRate && r > sjjRate;
  // The ratio per round (rounds are interleaved, so each pair shares the machine's load of the moment).
  const perRound = c?.rates.map((x, i) => x / (byKey('stanza')?.rates[i] ?? NaN)).filter(Number.isFinite) ?? [];
  const spread = perRound.length > 0 ? `, per round ${Math.min(...perRound).toFixed(1)}-${Math.max(...perRound).toFixed(1)}x` : '';
  const why = c?.problem ? ` (${c.problem})` : '';
  console.log(`goal, ${c?.label ?? key}: >= 10x StanzaJS and > sdp-jingle-json: ${ratio(r, stanzaRate)}${spread}: ${met ? 'MET' : 'NOT MET'}${why}`);
}
if (sink < 0) console.log(sink);
process.exitCode = 0;
