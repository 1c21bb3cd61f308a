// The translator fuzz targets, free of vitest so scripts/fuzz.ts runs them too: SDP text (arbitrary,
// mutated generated SDPs, mutated real fixtures) into sdpToJingle, and Jingle (mutated generated and
// fixture Jingle) into jingleToSdp. Every input ends in a result or a TranslateError with a known
// condition, quickly; what comes out, the translator reads back.
import fc, { type Arbitrary } from 'fast-check';
import type { Element } from 'ltx';
import {
  TranslateError, jingleToSdp, parseJingle, parseSdp, parseXml, sdpToJingle, serializeXml, type Role,
} from '../../schemas/index.ts';
import { session } from '../unit/translator.arbitraries.ts';
import { arbitraryText, mutatedJingle } from '../unit/translator.mutations.ts';
import { writeSdp } from '../../schemas/sdp/write.ts';
import { knownBug } from './known-bugs.ts';
import { SDP_MUTATIONS, XML_MUTATIONS, copy, mutateSdp, mutateXml, mutations } from './mutate.ts';
import { countError, countKnown, type Stats } from './stats.ts';
import { ANSWERS, OFFERS, OFFER_JINGLE } from './stanzas.ts';

const CONDITIONS = ['malformed', 'invalid-value', 'missing', 'too-large', 'unsupported', 'security-error'];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/;
const role: Arbitrary<Role> = fc.constantFrom('initiator', 'responder');
const ANSWER_JINGLE = ANSWERS.map((s) => sdpToJingle(s, { role: 'responder', action: 'session-accept', sid: 'fuzz' }));

// Not translator.mutations.ts's mutatedSdp: its mutateSdp reads lines[NaN] once a truncate and a delete have
// emptied the SDP, and the next 'number' mutation throws a TypeError while generating.
export const sdpInputs: Arbitrary<{ sdp: string; role: Role }> = fc.record({
  sdp: fc.oneof(
    arbitraryText,
    fc.tuple(session, mutations(SDP_MUTATIONS, 3)).map(([s, ms]) => mutateSdp(writeSdp(s), ms)),
    fc.tuple(fc.nat(), mutations(SDP_MUTATIONS, 4)).map(([n, ms]) => mutateSdp([...OFFERS, ...ANSWERS][n % (OFFERS.length + ANSWERS.length)]!, ms)),
  ),
  role,
});

/** `text`: the input as text where there is one (an error may quote it); the fixtures' mutations are XML-clean. */
export const jingleInputs: Arbitrary<{ jingle: () => Element; text: string; role: Role }> = fc.oneof(
  mutatedJingle.map(({ role: r, xml }) => ({ jingle: () => parseXml(xml), text: xml, role: r })),
  fc.tuple(fc.nat(), mutations(XML_MUTATIONS, 4), role).map(([n, ms, r]) => {
    const all = [...OFFER_JINGLE, ...ANSWER_JINGLE];
    return { jingle: () => mutateXml(copy(all[n % all.length]!), ms), text: '', role: r };
  }),
);

/** Runs one translation; a TranslateError is an outcome, anything else thrown (or a slow call) a failure. */
function attempt<T>(what: string, input: string, f: () => T): { ok: true; value: T } | { ok: false; error: TranslateError } {
  const start = performance.now();
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!(e instanceof TranslateError)) throw new Error(`${what} threw ${String(e)}, not a TranslateError`, { cause: e });
    if (!CONDITIONS.includes(e.condition)) throw new Error(`${what}: TranslateError with condition ${e.condition}`);
    if (!LONE_SURROGATE.test(input) && LONE_SURROGATE.test(e.message)) {
      const c = LONE_SURROGATE.exec(e.message)![0].charCodeAt(0).toString(16);
      throw new Error(`${what}: the error text holds U+${c}, which XML cannot carry: ${e.message.slice(0, 200)}`);
    }
    return { ok: false, error: e };
  } finally {
    const ms = performance.now() - start;
    if (ms > 1000) throw new Error(`${what} took ${Math.round(ms)} ms`);
  }
}

/** What the translator wrote, its other half reads: Jingle back in, SDP into parseSdp, no control characters. */
function readBack(sdpOrJingle: string | Element, r: Role): void {
  if (typeof sdpOrJingle === 'string') {
    const bad = CONTROL.exec(sdpOrJingle.replace(/\r\n/g, ''));
    if (bad) throw new Error(`translate wrote SDP that parseSdp refuses: line 0: character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed`);
    try {
      parseSdp(sdpOrJingle);
    } catch (e) {
      throw new Error(`translate wrote SDP that parseSdp refuses: ${(e as Error).message}`, { cause: e });
    }
    return;
  }
  let text: string;
  try {
    text = serializeXml(sdpOrJingle);
    parseJingle(parseXml(text));
  } catch (e) {
    throw new Error(`translate wrote Jingle that parseJingle refuses: ${(e as Error).message}`, { cause: e });
  }
  let sdp: string;
  try {
    sdp = jingleToSdp(parseXml(text), { role: r });
  } catch (e) {
    // An SDP without a usable fingerprint translates to Jingle, but never back (schemas/translate/dtls.ts).
    if (e instanceof TranslateError && e.condition === 'security-error') return;
    throw e;
  }
  readBack(sdp, r);
}

/** Counts the input's outcome; a known bug is counted, not thrown. */
function outcome(stats: Stats, run: () => { ok: boolean; error?: TranslateError }): void {
  stats.inputs++;
  const start = performance.now();
  try {
    const o = run();
    if (o.ok) stats.results++;
    else countError(stats, o.error!.condition);
  } catch (e) {
    const bug = knownBug((e as Error).message);
    if (!bug) throw e;
    countKnown(stats, bug.id);
  } finally {
    stats.ms += performance.now() - start;
  }
}

export const sdpToJingleProperty = (stats: Stats) => fc.property(sdpInputs, ({ sdp, role: r }) => outcome(stats, () => {
  const o = attempt('sdpToJingle', sdp, () => sdpToJingle(sdp, { role: r, sid: 'fuzz' }));
  if (o.ok) readBack(o.value, r);
  return o;
}));

export const jingleToSdpProperty = (stats: Stats) => fc.property(jingleInputs, ({ jingle, text, role: r }) => outcome(stats, () => {
  const o = attempt('jingleToSdp', text, () => jingleToSdp(jingle(), { role: r }));
  if (o.ok) readBack(o.value, r);
  return o;
}));

export interface RunOptions {
  numRuns?: number;
  seconds?: number;
  seed?: number;
}

export function fuzzTranslator<T extends [unknown]>(property: fc.IProperty<T>, o: RunOptions): void {
  fc.assert(property, {
    numRuns: o.numRuns ?? Number.MAX_SAFE_INTEGER,
    includeErrorInReport: true,
    ...(o.seconds !== undefined ? { interruptAfterTimeLimit: o.seconds * 1000, markInterruptAsFailure: false } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
}
