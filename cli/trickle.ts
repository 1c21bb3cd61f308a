/**
 * `translate` for trickle ICE: a Jingle transport-info <-> candidate lines as an SDP media section
 * writes them. The text form, both ways:
 *
 *   a=mid:0                 the content (m-line) the lines below belong to
 *   a=ice-ufrag:T9A+        optional: the ICE generation (a new one is an ICE restart)
 *   a=candidate:1 1 udp ... one candidate a line; `candidate:...` without `a=` too (as browsers give it)
 *   a=end-of-candidates     optional: the last one of this mid
 *
 * Candidates before any a=mid line belong to `--mid`. Blank lines are skipped; any other line is an error.
 */
import type { Element } from 'ltx';
import { TranslateError, candidatesToTransportInfo, transportInfoToCandidates, type CandidateInit, type TransportInfoOptions } from '../schemas/index.ts';

/** Candidate lines of every content of a transport-info, each block under its a=mid. */
export function transportInfoToText(jingle: Element): string {
  let out = '';
  let mid: string | undefined;
  let ufrag: string | undefined;
  for (const c of transportInfoToCandidates(jingle)) {
    if (c.sdpMid !== mid) {
      mid = c.sdpMid ?? undefined;
      ufrag = undefined;
      out += `a=mid:${mid ?? ''}\r\n`;
    }
    if (c.usernameFragment && c.usernameFragment !== ufrag) {
      ufrag = c.usernameFragment;
      out += `a=ice-ufrag:${ufrag}\r\n`;
    }
    out += c.candidate === '' ? 'a=end-of-candidates\r\n' : `a=${c.candidate}\r\n`;
  }
  return out;
}

export interface TextToTransportInfoOptions extends TransportInfoOptions {
  /** The mid of candidates before any a=mid line. */
  mid?: string;
}

export function textToTransportInfo(text: string, opts: TextToTransportInfoOptions): Element {
  const inits: CandidateInit[] = [];
  let mid = opts.mid;
  let ufrag: string | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const ref = { line: { number: i + 1, text: line } };
    if (line === '') return;
    if (line.startsWith('a=mid:')) {
      mid = line.slice(6);
      ufrag = undefined;
    } else if (line.startsWith('a=ice-ufrag:')) ufrag = line.slice(12);
    else if (line === 'a=end-of-candidates') inits.push({ candidate: '', sdpMid: need(mid, ref) });
    else if (line.startsWith('a=candidate:') || line.startsWith('candidate:')) {
      const candidate = line.startsWith('a=') ? line.slice(2) : line;
      inits.push(ufrag === undefined ? { candidate, sdpMid: need(mid, ref) } : { candidate, sdpMid: need(mid, ref), usernameFragment: ufrag });
    } else throw new TranslateError('malformed', 'expected a=mid:, a=ice-ufrag:, a=candidate: or a=end-of-candidates', ref);
  });
  if (inits.length === 0) throw new TranslateError('missing', 'no candidate lines');
  return candidatesToTransportInfo(inits, opts);
}

function need(mid: string | undefined, ref: { line: { number: number; text: string } }): string {
  if (mid === undefined || mid === '') throw new TranslateError('missing', 'a candidate needs its mid: an a=mid: line before it, or --mid', ref);
  return mid;
}
