/**
 * `npm run fuzz`: the fuzz targets of test/fuzz/ for longer than CI runs them (FUZZ_SECONDS, default 120,
 * shared among the targets; FUZZ_SEED=<n> replays a run). The component in-process with every service
 * (short sequences to fresh components, the same with small limits, and long sessions to one), and the
 * translator both ways. Prints a table of inputs tried, results, errors by condition, known bugs hit and
 * time, then the heap over its baseline. Exits 1 on a failure, with fast-check's shrunk counterexample.
 */
import { gcHeap } from '../bench/report.ts';
import { fuzzComponent, soakComponent } from '../test/fuzz/component.ts';
import { KNOWN_BUGS } from '../test/fuzz/known-bugs.ts';
import { newStats, statsTable, type Stats } from '../test/fuzz/stats.ts';
import { fuzzTranslator, jingleToSdpProperty, sdpToJingleProperty } from '../test/fuzz/translator.ts';

const seconds = Number(process.env.FUZZ_SECONDS ?? 120);
if (!(seconds > 0)) {
  process.stderr.write(`fuzz: FUZZ_SECONDS must be a number of seconds above 0, not ${process.env.FUZZ_SECONDS}\n`);
  process.exit(2);
}
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const TIGHT = ['--stanzas-per-minute', '10', '--echo-calls-per-minute', '2', '--echo-max-sessions', '3'];
const MIB = 1024 * 1024;

const stats = {
  component: newStats('component: sequences, fresh components'),
  tight: newStats('component: sequences, small limits'),
  soak: newStats('component: long sessions, one component each'),
  sdp: newStats('translator: sdpToJingle'),
  jingle: newStats('translator: jingleToSdp'),
};
const share = (fraction: number): number => Math.max(1, seconds * fraction);

async function main(): Promise<number> {
  process.stdout.write(`fuzzing for ${seconds} s, seed ${seed} (FUZZ_SEED=${seed} replays it)\n`);
  await fuzzComponent(newStats('warm-up'), { numRuns: 30, seed });
  const baseline = gcHeap();
  let growth = 0;
  const failed = await run(async () => {
    await fuzzComponent(stats.component, { seconds: share(0.35), seed });
    await fuzzComponent(stats.tight, { seconds: share(0.1), seed, argv: TIGHT });
    const end = performance.now() + share(0.15) * 1000;
    for (let n = 0; performance.now() < end; n++) growth = Math.max(growth, await soakComponent(stats.soak, 3_000, seed + n * 100_000));
    fuzzTranslator(sdpToJingleProperty(stats.sdp), { seconds: share(0.2), seed });
    fuzzTranslator(jingleToSdpProperty(stats.jingle), { seconds: share(0.2), seed });
  });
  const all: Stats[] = Object.values(stats);
  process.stdout.write(`\n${statsTable(all)}\n\n`);
  const total = all.reduce((n, s) => n + s.inputs, 0);
  const over = gcHeap() - baseline;
  process.stdout.write(`${total} inputs tried. Heap after all components closed: ${(over / MIB).toFixed(2)} MiB over the baseline; `
    + `one component's heap grew at most ${(growth / MIB).toFixed(2)} MiB over a long session.\n`);
  const hit = KNOWN_BUGS.filter((b) => all.some((s) => s.known.has(b.id)));
  for (const b of hit) process.stdout.write(`known bug hit: ${b.id}: ${b.what}\n`);
  if (over > 8 * MIB || growth > 8 * MIB) {
    process.stdout.write('FAILED: the heap did not return to its baseline\n');
    return 1;
  }
  return failed ? 1 : 0;
}

/** Runs the targets; a failure is printed (fast-check's report names the seed and the counterexample). */
async function run(targets: () => Promise<void>): Promise<boolean> {
  try {
    await targets();
    return false;
  } catch (err) {
    const text = (err as Error).message.replace(/(.)\1{60,}/gs, '$1…');
    process.stdout.write(`\nFAILED:\n${text.slice(0, 8_000)}\n`);
    return true;
  }
}

process.exit(await main());
