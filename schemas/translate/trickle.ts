/**
 * Trickle ICE: one browser candidate (RTCIceCandidateInit) <-> a transport-info. A new ufrag in a
 * transport-info is an ICE restart, so the candidate's ufrag travels as the <transport ufrag>; an
 * empty candidate string is the browser's end-of-candidates and travels as our a=end-of-candidates line.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import { parseCandidate, writeCandidate } from '../sdp/candidate.ts';
import { buildJingle, parseJingle, type Jingle } from '../jingle/xep0166.ts';
import type { Creator } from '../jingle/xep0166-types.ts';
import type { IceCandidate, IceUdpTransport } from '../jingle/xep0176.ts';
import { toIceCandidate } from './to-jingle.ts';
import { toSdpCandidate } from './to-sdp.ts';

/** The fields of RTCIceCandidateInit we use (defined here so Node code needs no DOM types). */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  usernameFragment?: string | null;
}

const END_OF_CANDIDATES = 'a=end-of-candidates';

/** One `candidate:` line <-> one <candidate/>. The ufrag, if the line has one, is returned beside it. */
export function candidateLineToJingle(line: string): { candidate: IceCandidate; ufrag?: string } {
  const c = parseCandidate(line.trim());
  const candidate = toIceCandidate(c, false);
  return c.ufrag !== undefined ? { candidate, ufrag: c.ufrag } : { candidate };
}

export function candidateToSdpLine(candidate: IceCandidate, ufrag?: string): string {
  const c = toSdpCandidate(candidate);
  if (ufrag !== undefined && c.ufrag === undefined) c.ufrag = ufrag;
  return writeCandidate(c);
}

export interface TransportInfoOptions {
  sid: string;
  initiator?: string;
  responder?: string;
  creator?: Creator;
}

/** Browser candidates -> one transport-info with a <content> per mid, in first-seen order. */
export function candidatesToTransportInfo(candidates: readonly CandidateInit[], opts: TransportInfoOptions): Element {
  const j: Jingle = { action: 'transport-info', sid: opts.sid, contents: [], groups: [], info: [], lines: [] };
  if (opts.initiator !== undefined) j.initiator = opts.initiator;
  if (opts.responder !== undefined) j.responder = opts.responder;
  const byMid = new Map<string, IceUdpTransport>();
  for (const init of candidates) {
    const mid = init.sdpMid;
    if (mid === undefined || mid === null || mid === '') throw new TranslateError('missing', 'a trickled candidate needs its sdpMid');
    let t = byMid.get(mid);
    if (!t) {
      t = { candidates: [], fingerprints: [], lines: [] };
      byMid.set(mid, t);
      j.contents.push({ creator: opts.creator ?? 'initiator', name: mid, transport: t, lines: [] });
    }
    if (init.candidate === '') {
      t.lines.push(END_OF_CANDIDATES);
      continue;
    }
    const { candidate, ufrag } = candidateLineToJingle(init.candidate);
    const frag = init.usernameFragment ?? ufrag;
    if (frag !== undefined && frag !== null) {
      if (t.ufrag !== undefined && t.ufrag !== frag) throw new TranslateError('invalid-value', `candidates of two ICE generations for mid '${mid}'`);
      t.ufrag = frag;
    }
    t.candidates.push(candidate);
  }
  return buildJingle(j);
}

/** A transport-info (or any Jingle with transports) -> candidates for RTCPeerConnection.addIceCandidate. */
export function transportInfoToCandidates(jingle: Element, limits?: Partial<Limits>): CandidateInit[] {
  const j = parseJingle(jingle, withLimits(limits));
  const out: CandidateInit[] = [];
  for (const c of j.contents) {
    const t = c.transport;
    if (!t) continue;
    for (const ic of t.candidates) {
      const init: CandidateInit = { candidate: candidateToSdpLine(ic, t.ufrag), sdpMid: c.name };
      if (t.ufrag !== undefined) init.usernameFragment = t.ufrag;
      out.push(init);
    }
    if (t.lines.includes(END_OF_CANDIDATES)) out.push({ candidate: '', sdpMid: c.name });
  }
  return out;
}
