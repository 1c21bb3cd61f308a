/**
 * The stanzas of a call, built and read without I/O: XEP-0353 messages, XEP-0166 iq-sets, trickle and
 * ICE-restart transport-infos (XEP-0176), XEP-0167 mute/unmute, stanza errors, and XEP-0280 carbons.
 *
 * ICE restart follows Conversations: the restarting side sends a transport-info whose transports carry
 * a new ufrag/pwd and the fingerprint but no candidates (the offer); the other side applies the session's
 * descriptions with those credentials as an offer, answers, and its candidates then trickle under its
 * own new ufrag/pwd (the answer). Every trickled transport carries ufrag and pwd, as Conversations does,
 * which compares both to tell candidates from a restart.
 */
import type { Element } from 'ltx';
import {
  NS, TranslateError, buildJingle, buildJmiMessage, buildRtpInfo, candidateToSdpLine, candidatesToTransportInfo, jingleToSdp, jingleToSession, sdpToJingleModel,
  parseRtpInfo, writeSdp, type CandidateInit, type Jingle, type JmiAction, type Reason, type Role, type RtpInfo, type SetupRole,
} from '../../schemas/index.ts';
import { elementNs } from '../../schemas/xml.ts';
import { StanzaError, type ErrorType } from '../xmpp/iq-router.ts';
import { elements, nextId, x } from '../xmpp/xml.ts';

export interface Credentials {
  ufrag: string;
  pwd: string;
}

/** A JMI message (type chat): propose with store hint and receipt request, the others with a store hint. */
export function jmiMessage(action: JmiAction, sid: string, to: string, media: string[] = [], reason?: Reason): Element {
  const jmi = reason ? { action, id: sid, media, reason } : { action, id: sid, media };
  return buildJmiMessage(jmi, { to, id: nextId(), store: true, receipt: action === 'propose' });
}

export function jingleIq(to: string, jingle: Element): Element {
  return x('iq', { type: 'set', to, id: nextId() }, jingle);
}

/** A session-terminate with a reason. */
export function terminate(sid: string, reason: Reason): Element {
  return buildJingle({ action: 'session-terminate', sid, contents: [], groups: [], info: [], lines: [], reason });
}

/** XEP-0167 <ringing/> in a session-info: the callee's device rings (a direct session-initiate's only news). */
export function ringingInfo(sid: string): Element {
  return buildJingle({ action: 'session-info', sid, contents: [], groups: [], info: [buildRtpInfo({ kind: 'ringing' })], lines: [] });
}

/**
 * One payload of a session-info, known by namespace, never by prefix (<i:mute xmlns:i='...rtp:info:1'/>
 * is a mute): undefined for an XEP-0167 info we do not act on; a stanza error for another namespace
 * (unsupported-info) or a malformed one (bad-request).
 */
export function readRtpInfo(element: Element): RtpInfo | undefined {
  if (elementNs(element) !== NS.rtpInfo) throw jingleError('feature-not-implemented', 'modify', 'unsupported-info');
  try {
    return parseRtpInfo(element);
  } catch (err) {
    throw jingleError('bad-request', 'modify', undefined, (err as Error).message);
  }
}

/** What a session-info says (XEP-0167): the peer's device rings, or it muted or unmuted a medium (undefined: all). */
export type SessionNews = { kind: 'ringing' } | { kind: 'mute'; mute: { kind: 'audio' | 'video' | undefined; muted: boolean } };

/** The news in a session-info; `remote` (the peer's description) names its contents' media. Throws as readRtpInfo. */
export function readSessionInfo(j: Jingle, remote: Jingle | undefined): SessionNews[] {
  const out: SessionNews[] = [];
  for (const element of j.info) {
    const info = readRtpInfo(element);
    if (info?.kind === 'ringing') out.push({ kind: 'ringing' });
    if (info?.kind === 'mute' || info?.kind === 'unmute') {
      const media = remote?.contents.find((c) => c.name === info.name)?.description?.media;
      out.push({ kind: 'mute', mute: { kind: media === 'audio' || media === 'video' ? media : undefined, muted: info.kind === 'mute' } });
    }
  }
  return out;
}

/** XEP-0167 mute/unmute of one content, in a session-info. */
export function muteInfo(sid: string, muted: boolean, creator: Role, name: string): Element {
  const info = buildRtpInfo({ kind: muted ? 'mute' : 'unmute', creator, name });
  return buildJingle({ action: 'session-info', sid, contents: [], groups: [], info: [info], lines: [] });
}

/**
 * The peer's description offers no DTLS fingerprint we can check (none, or only unknown hash functions):
 * media without it would not be authenticated, so the session ends with the XEP-0166 reason
 * security-error, never with an SDP without a fingerprint.
 */
export class SecurityRefusal extends Error {
  override readonly name = 'SecurityRefusal';
  readonly condition = 'security-error';
}

/** The hash functions of RFC 8122 that still authenticate (md2 and md5 do not). */
const FINGERPRINT_HASHES = new Set(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']);

/**
 * The peer's description as SDP, from `translate` (the translator over its Jingle): throws
 * SecurityRefusal when it has no usable fingerprint, or a bad-request StanzaError when it cannot be read.
 */
export function remoteSdp(translate: () => string): string {
  let sdp: string;
  try {
    sdp = translate();
  } catch (err) {
    // The translator's own refusal (condition 'security-error'), when it finds no usable fingerprint.
    if (err instanceof TranslateError && err.condition === 'security-error') throw new SecurityRefusal(err.message);
    throw jingleError('bad-request', 'modify', undefined, (err as Error).message);
  }
  const hashes = [...sdp.matchAll(/^a=fingerprint:(\S+) /gm)].map((m) => (m[1] ?? '').toLowerCase());
  if (!hashes.some((h) => FINGERPRINT_HASHES.has(h))) {
    throw new SecurityRefusal(hashes.length === 0 ? 'no DTLS fingerprint' : `no DTLS fingerprint with a known hash function (${hashes.join(', ')})`);
  }
  return sdp;
}

/** The offer of a session-initiate, when it cannot be answered securely; undefined when it can (or fails otherwise). */
export function insecureOffer(element: Element): SecurityRefusal | undefined {
  try {
    remoteSdp(() => jingleToSdp(element, { role: 'initiator' }));
  } catch (err) {
    if (err instanceof SecurityRefusal) return err;
  }
  return undefined;
}

/** A stanza error for an iq handler to throw, with the XEP-0166 condition (unknown-session, tie-break, ...) beside it. */
export function jingleError(condition: string, type: ErrorType, jingle?: string, text?: string): StanzaError {
  return new StanzaError(condition, type, text, jingle === undefined ? undefined : x(jingle, { xmlns: NS.jingleErrors }));
}

/** The candidates a Jingle carries (a transport-info's), as the browser takes them. */
export function candidatesOf(j: Jingle): CandidateInit[] {
  const list: CandidateInit[] = [];
  for (const c of j.contents) {
    const t = c.transport;
    for (const ic of t?.candidates ?? []) {
      const init: CandidateInit = { candidate: candidateToSdpLine(ic, t?.ufrag), sdpMid: c.name };
      if (t?.ufrag !== undefined) init.usernameFragment = t.ufrag;
      list.push(init);
    }
  }
  return list;
}

/** Trickled candidates as one transport-info; each transport names the ufrag and pwd they belong to. */
export function trickle(sid: string, candidates: readonly CandidateInit[], credentials: ReadonlyMap<string, Credentials>): Element {
  const info = candidatesToTransportInfo(candidates, { sid, creator: 'initiator' });
  for (const content of elements(info)) {
    const transport = elements(content).find((t) => t.name === 'transport');
    const creds = credentials.get(String(content.attrs.name));
    if (transport && creds) {
      transport.attrs.ufrag ??= creds.ufrag;
      if (transport.attrs.ufrag === creds.ufrag) transport.attrs.pwd = creds.pwd;
    }
  }
  return info;
}

/** The credentials (ufrag, pwd) of each m-line of an SDP, by mid. */
export function sdpCredentials(sdp: string): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  let session: Partial<Credentials> = {};
  let media: Partial<Credentials> | undefined;
  let mid: string | undefined;
  const flush = (): void => {
    if (media === undefined || mid === undefined) return;
    const ufrag = media.ufrag ?? session.ufrag;
    const pwd = media.pwd ?? session.pwd;
    if (ufrag !== undefined && pwd !== undefined) out.set(mid, { ufrag, pwd });
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      flush();
      media = {};
      mid = undefined;
      continue;
    }
    const target = media ?? session;
    if (line.startsWith('a=ice-ufrag:')) target.ufrag = line.slice(12).trim();
    else if (line.startsWith('a=ice-pwd:')) target.pwd = line.slice(10).trim();
    else if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
  }
  flush();
  return out;
}

/** The DTLS role an SDP declares (a=setup), first one found. */
export function sdpSetup(sdp: string): SetupRole | undefined {
  const m = /^a=setup:(actpass|active|passive|holdconn)\s*$/m.exec(sdp);
  return m?.[1] as SetupRole | undefined;
}

/** Our restart offer as a transport-info: per content the new ufrag, pwd and fingerprint, no candidates. */
export function restartOffer(sid: string, offerSdp: string, role: Role): Element {
  const model = sdpToJingleModel(offerSdp, { role, action: 'transport-info', sid });
  model.groups = [];
  model.lines = [];
  for (const c of model.contents) {
    c.creator = 'initiator';
    delete c.description;
    delete c.senders;
    delete c.mediaLine;
    c.lines = [];
    if (c.transport) {
      c.transport.candidates = [];
      c.transport.lines = [];
      delete c.transport.sctpmap;
    }
  }
  return buildJingle(model);
}

/** The new credentials a transport-info carries, by content name, when they differ from `current`. */
export function newCredentials(info: Jingle, current: ReadonlyMap<string, Credentials>): Map<string, Credentials & { candidates: number }> {
  const out = new Map<string, Credentials & { candidates: number }>();
  for (const c of info.contents) {
    const t = c.transport;
    const now = current.get(c.name);
    if (!t || t.ufrag === undefined || t.pwd === undefined || now === undefined) continue;
    if (t.ufrag !== now.ufrag) out.set(c.name, { ufrag: t.ufrag, pwd: t.pwd, candidates: t.candidates.length });
  }
  return out;
}

/** The credentials a Jingle description declares, by content name. */
export function jingleCredentials(j: Jingle): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  for (const c of j.contents) {
    if (c.transport?.ufrag !== undefined && c.transport.pwd !== undefined) out.set(c.name, { ufrag: c.transport.ufrag, pwd: c.transport.pwd });
  }
  return out;
}

/**
 * The peer's description after an ICE restart: its last description (`remote`, written by `role`) with
 * new credentials, no candidates (they trickle), and `setup` as its DTLS role. A content its first offer
 * marked bundle-only (Firefox's max-bundle: port 0) was negotiated since: RFC 8843 allows bundle-only in
 * an initial offer only, and port 0 anywhere else means rejected.
 */
export function restartedRemoteSdp(remote: Jingle, credentials: ReadonlyMap<string, Credentials>, setup: SetupRole, role: Role, version: number): string {
  const j = structuredClone(remote);
  for (const c of j.contents) {
    c.lines = c.lines.filter((l) => l !== 'a=bundle-only');
    const t = c.transport;
    const creds = credentials.get(c.name) ?? [...credentials.values()][0];
    if (!t || !creds) continue;
    t.ufrag = creds.ufrag;
    t.pwd = creds.pwd;
    t.candidates = [];
    t.lines = t.lines.filter((l) => l !== 'a=end-of-candidates');
    for (const f of t.fingerprints) f.setup = setup;
  }
  return writeSdp(jingleToSession(j, { role, sessionVersion: version }));
}

/** The other party's DTLS role once ours is settled. */
export function oppositeSetup(ours: SetupRole | undefined): SetupRole {
  return ours === 'passive' ? 'active' : 'passive';
}

/** XEP-0280: the message a carbon from our own account forwards, with its direction. */
export function unwrapCarbon(message: Element, ownBare: string): { direction: 'sent' | 'received'; message: Element } | undefined {
  const from = message.attrs.from as string | undefined;
  if (from !== undefined && from.toLowerCase() !== ownBare) return undefined;
  for (const direction of ['sent', 'received'] as const) {
    const wrapper = elements(message).find((c) => c.name === direction && c.attrs.xmlns === 'urn:xmpp:carbons:2');
    const forwarded = wrapper && elements(wrapper).find((c) => c.name === 'forwarded');
    const inner = forwarded && elements(forwarded).find((c) => c.name === 'message');
    if (inner) return { direction, message: inner };
  }
  return undefined;
}
