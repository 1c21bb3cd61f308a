// Checks shared by the translator property tests and their minimal counterexamples.
import { expect } from 'vitest';
import { TranslateError } from '../../schemas/errors.ts';
import type { Role } from '../../schemas/jingle/xep0166-types.ts';
import { jingleToSdp, sdpToJingle } from '../../schemas/translate.ts';
import { parseXml, serializeXml } from '../../schemas/xml-text.ts';

const CONDITIONS = ['malformed', 'invalid-value', 'missing', 'too-large', 'unsupported', 'security-error'];

/** SDP -> Jingle element -> XML text -> element -> SDP, as a peer across XMPP would see it. */
export function viaJingle(sdp: string, r: Role): string {
  return jingleToSdp(parseXml(serializeXml(sdpToJingle(sdp, { role: r, sid: 'prop' }))), { role: r });
}

/**
 * (d) CRLF-terminated whole lines of `<type>=<value>`, no line without `=`, and nothing injected: the
 * garbage values carry a line break followed by `a=injected`, which must never become a line of its own.
 */
export function expectWholeLines(sdp: string, fromJingle = true): void {
  expect(sdp.endsWith('\r\n'), JSON.stringify(sdp.slice(-20))).toBe(true);
  for (const line of sdp.slice(0, -2).split('\r\n')) {
    expect(line).toMatch(/^[a-z]=[^\r\n]*$/);
    // A mutated SDP may hold the marker as a line of its own already; only Jingle input cannot.
    if (fromJingle) expect(line).not.toMatch(/^a=injected/);
  }
}

/** (d) No control character (Unicode Cc: C0, DEL, C1) outside the CRLF line ends. */
export function expectNoControl(sdp: string): void {
  for (const line of sdp.split('\r\n')) expect(line).not.toMatch(/\p{Cc}/u);
}

export function expectCleanSdp(sdp: string): void {
  expectWholeLines(sdp);
  expectNoControl(sdp);
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: TranslateError };
/** Runs `f`; anything thrown but a TranslateError with a known condition fails the test, as does a slow call. */
export function attempt<T>(f: () => T): Outcome<T> {
  const start = performance.now();
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!(e instanceof TranslateError)) throw new Error(`not a TranslateError: ${String(e)}`, { cause: e });
    expect(CONDITIONS).toContain(e.condition);
    return { ok: false, error: e };
  } finally {
    expect(performance.now() - start).toBeLessThan(1000);
  }
}

/** SDP errors name their line (1-based, within the text), unless they are about the whole text. */
export function expectLineNamed(e: TranslateError, sdp: string): void {
  const wholeText = e.condition === 'missing' || (e.condition === 'too-large' && Buffer.byteLength(sdp) > 256 * 1024);
  if (wholeText && e.line === undefined) return;
  expect(e.line, e.message).toBeDefined();
  expect(e.line!.number, e.message).toBeGreaterThanOrEqual(1);
  expect(e.line!.number, e.message).toBeLessThanOrEqual(sdp.split('\n').length);
}
