// The component fuzz target: each fast-check run is a short sequence of generated stanzas fed to a
// fresh in-process component (test/fuzz/harness.ts), every step checked (test/fuzz/check.ts), and the
// component closed at the end. A failure shrinks to a minimal sequence.
import fc from 'fast-check';
import type { Element } from 'ltx';
import { isElement } from '../../schemas/xml.ts';
import { normalizeJid } from '../../component/sessions/index.ts';
import { checkReply, checkSent } from './check.ts';
import { startFuzzComponent, type FuzzComponent } from './harness.ts';
import { knownBug } from './known-bugs.ts';
import { countError, countKnown, timed, type Stats } from './stats.ts';
import { OWNER, TARGET_SIDS, buildStanza, input, sequence, type Input } from './stanzas.ts';
import { gcHeap } from '../../bench/report.ts';

interface Tracked {
  peer: string;
  sid: string;
}

function summaryOf(stanza: Element): string {
  const p = stanza.children.find(isElement);
  return `<${stanza.name} type=${String(stanza.attrs.type)} from=${String(stanza.attrs.from)}> <${String(p?.name)} action=${String(p?.attrs.action)} sid=${String(p?.attrs.sid)}>`;
}

/** One input: the stanza through the router, its reply, what was sent, and who else's session moved. */
async function step(h: FuzzComponent, input: Input, stats: Stats, tracked: Map<string, Tracked>, n: number): Promise<void> {
  const stanza = buildStanza(input);
  try {
    await check(h, stanza, stats, tracked);
  } catch (err) {
    const message = `input ${n}, ${stanza ? summaryOf(stanza) : 'tick'}: ${(err as Error).message}`;
    const bug = knownBug(message);
    if (!bug) throw new Error(message, { cause: err });
    countKnown(stats, bug.id);
    await h.settle();
    for (const [key] of tracked) if (!h.table.get(key)) tracked.delete(key);
  }
}

async function check(h: FuzzComponent, stanza: Element | undefined, stats: Stats, tracked: Map<string, Tracked>): Promise<void> {
  const sentBefore = h.sent.length;
  const failuresBefore = h.failures.length;
  stats.inputs++;
  if (!stanza) {
    // Time passes: calls past their limits end (anyone's; nobody sent anything).
    h.clock.now += 10 * 60_000;
    h.echo.tick();
    await h.settle();
    stats.none++;
  } else {
    h.clock.now += 250;
    const sender = normalizeJid(String(stanza.attrs.from));
    const payload = stanza.children.find(isElement);
    const sid = payload?.attrs.sid as string | undefined;
    const snapshot = new Map([...tracked.keys()].map((k) => [k, JSON.stringify(h.table.get(k))]));
    const hadSession = sid !== undefined && h.session(sender, sid) !== undefined;
    let res: Awaited<ReturnType<FuzzComponent['handle']>>;
    try {
      res = await h.handle(stanza);
    } catch (err) {
      throw new Error(`Router.handle rejected: ${(err as Error).message}`, { cause: err });
    }
    const outcome = checkReply(stanza, res.reply, { hadSession }, h.clock.now);
    if (outcome.kind === 'result') stats.results++;
    else if (outcome.kind === 'none') stats.none++;
    else countError(stats, outcome.condition);
    if (outcome.kind === 'result' && payload?.name === 'jingle' && payload.attrs.action === 'session-initiate' && sid !== undefined) {
      const s = h.session(sender, sid);
      if (s) tracked.set(s.key, { peer: s.peer, sid });
      else {
        // An offer the echo will not answer (no usable DTLS, nothing to answer) is acked, then terminated.
        await h.settle();
        const terminated = h.sent.some((e) => e.attrs.to === stanza.attrs.from && e.getChild('jingle')?.attrs.action === 'session-terminate'
          && e.getChild('jingle')?.attrs.sid === sid);
        if (!terminated) throw new Error('session-initiate accepted but no session and no session-terminate');
      }
    }
    await h.settle();
    for (const [key, t] of tracked) {
      const now = JSON.stringify(h.table.get(key));
      if (t.peer !== sender && now !== snapshot.get(key)) {
        throw new Error(`the session ${t.sid} of ${t.peer} went from ${String(snapshot.get(key))} to ${String(now)} on a stanza from ${sender}`);
      }
    }
  }
  for (const [key] of tracked) if (!h.table.get(key)) tracked.delete(key);
  if (h.failures.length > failuresBefore) throw new Error(`a handler failed: ${h.failures[failuresBefore]!}`);
  checkSent(h.sent.slice(sentBefore));
}

/** A fresh component for `body`, then close it and check that nothing is left: calls, peers, sessions. */
async function withComponent(stats: Stats, argv: readonly string[], body: (h: FuzzComponent, tracked: Map<string, Tracked>) => Promise<void>): Promise<void> {
  await timed(stats, async () => {
    const h = await startFuzzComponent(argv);
    const tracked = new Map<string, Tracked>(TARGET_SIDS.map((sid) => [h.session(OWNER, sid)!.key, { peer: normalizeJid(OWNER), sid }]));
    try {
      await body(h, tracked);
    } finally {
      const sentBefore = h.sent.length;
      await h.close();
      await h.settle();
      checkSent(h.sent.slice(sentBefore));
    }
    if (h.echo.activeCalls !== 0) throw new Error(`${h.echo.activeCalls} echo calls left after close`);
    const open = h.peers.filter((p) => !p.closed).length;
    if (open > 0) throw new Error(`${open} of ${h.peers.length} echo peers left open after close`);
    for (const [key] of tracked) if (h.table.get(key)) throw new Error(`session ${key} left in the table after close`);
  });
}

/** One fast-check run: the inputs, in order, to a fresh component. */
export function runSequence(inputs: readonly Input[], stats: Stats, argv: readonly string[] = []): Promise<void> {
  return withComponent(stats, argv, async (h, tracked) => {
    for (const [n, input] of inputs.entries()) for (let r = 0; r < input.times; r++) await step(h, input, stats, tracked, n);
  });
}

/**
 * Many inputs to one component, generated from `seed` in chunks: its heap (after a full gc) may not grow
 * with them, since everything it keeps per user is bounded. Returns the growth after the first 500 samples.
 */
export async function soakComponent(stats: Stats, count: number, seed: number, argv: readonly string[] = []): Promise<number> {
  let base = 0;
  let growth = 0;
  await withComponent(stats, argv, async (h, tracked) => {
    for (let done = 0; done < count; done += 100) {
      if (done === 500) base = gcHeap();
      for (const [n, i] of fc.sample(input, { numRuns: 100, seed: seed + done }).entries()) {
        for (let r = 0; r < i.times; r++) {
          await step(h, i, stats, tracked, done + n).catch((err: Error) => {
            throw new Error(`soak with seed ${seed}: ${err.message}`, { cause: err });
          });
        }
      }
    }
    growth = gcHeap() - base;
  });
  return growth;
}

export interface FuzzOptions {
  numRuns?: number;
  /** Stop generating after this long (the run so far counts; it is not a failure). */
  seconds?: number;
  seed?: number;
  argv?: readonly string[];
}

/** Runs the component target; throws fast-check's report (seed, shrunk counterexample) on a failure. */
export async function fuzzComponent(stats: Stats, o: FuzzOptions = {}): Promise<void> {
  await fc.assert(fc.asyncProperty(sequence, (inputs) => runSequence(inputs, stats, o.argv)), {
    numRuns: o.numRuns ?? Number.MAX_SAFE_INTEGER,
    includeErrorInReport: true,
    ...(o.seconds !== undefined ? { interruptAfterTimeLimit: o.seconds * 1000, markInterruptAsFailure: false } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
}
