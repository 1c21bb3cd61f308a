/** Jingle model -> SDP text, the role deciding what each `senders` means for the writer. */
import type { Element } from 'ltx';
import { TranslateError, isTranslateError } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import { emptyMedia, emptySession, type Candidate, type Media, type Session, type Shared } from '../sdp/model.ts';
import { parseInteger } from '../sdp/numbers.ts';
import { parseAttribute } from '../sdp/parse-attribute.ts';
import { isRtp } from '../sdp/parse.ts';
import { writeSdpText } from '../sdp/write.ts';
import { parseJingle, type Content, type Jingle } from '../jingle/xep0166.ts';
import type { Role } from '../jingle/xep0166-types.ts';
import type { IceCandidate } from '../jingle/xep0176.ts';
import { directionFromSenders } from './directions.ts';
import { DEFAULT_APPLICATION_PROTOCOL, DEFAULT_RTP_PROTOCOL, originSessionId } from './defaults.ts';
import { shareFingerprints } from './dtls.ts';
import { readStreamIds, withoutDerived } from './msid.ts';
import { fillGroupSources } from './ssrc-repair.ts';

export interface JingleToSdpOptions {
  /** The role of the party that wrote this Jingle: session-initiate -> initiator, session-accept -> responder. */
  role: Role;
  /** o= session version; raise it on every re-offer of the same session. */
  sessionVersion?: number;
  limits?: Partial<Limits>;
}

export function jingleToSdp(jingle: Element, opts: JingleToSdpOptions): string {
  const limits = withLimits(opts.limits);
  return modelToSdp(parseJingle(jingle, limits), opts, limits).sdp;
}

/**
 * The same from a Jingle already parsed (a service that read the <jingle> once for its own use need
 * not parse it again), with the Session the text was written from. `j` is consumed (jingleToSession).
 */
export function jingleModelToSdp(j: Jingle, opts: JingleToSdpOptions): { sdp: string; session: Session } {
  return modelToSdp(j, opts, withLimits(opts.limits));
}

function modelToSdp(j: Jingle, opts: JingleToSdpOptions, limits: Limits): { sdp: string; session: Session } {
  const session = jingleToSession(j, opts, limits);
  const sdp = writeSdpText(session);
  // Only a text with a line that long needs reading: the check then finds and names the first one.
  if (sdp.longest > limits.maxLineLength) checkLineLengths(sdp.text, limits.maxLineLength);
  return { sdp: sdp.text, session };
}

/**
 * Many short values can add up to one long line (a BUNDLE group of 64 long mids, hundreds of fmtp
 * parameters): what we write must stay within what we, and peers, read.
 */
function checkLineLengths(sdp: string, max: number): void {
  for (let start = 0; start < sdp.length; ) {
    const end = sdp.indexOf('\r\n', start);
    if (end - start > max) {
      throw new TranslateError('too-large', `the SDP line for ${sdp.slice(start, start + 24)}... would be longer than ${max} characters`, { element: 'jingle', limit: 'maxLineLength' });
    }
    start = end + 2;
  }
}

/** The Session shares lists (payload parameters, feedback, sources) with `j`: treat `j` as consumed. */
export function jingleToSession(j: Jingle, opts: JingleToSdpOptions, limits: Limits = withLimits(opts.limits)): Session {
  if (j.contents.length === 0) throw new TranslateError('missing', 'the Jingle has no <content>', { element: 'jingle' });
  const session = emptySession({
    username: '-', sessionId: originSessionId(j.sid), sessionVersion: String(opts.sessionVersion ?? 2), netType: 'IN', addrType: 'IP4', address: '127.0.0.1',
  });
  for (const g of j.groups) session.groups.push({ semantics: g.semantics, mids: g.contents.slice() });
  for (const line of j.lines) applyLine(line, session, undefined, session, 'jingle/line', limits);
  for (const c of j.contents) session.media.push(contentToMedia(c, session, opts.role, limits));
  shareFingerprints(session, j.contents);
  pruneBundles(session, j.contents);
  hoistExtmapAllowMixed(session);
  hoistIceLite(session);
  return session;
}

function contentToMedia(c: Content, session: Session, role: Role, limits: Limits): Media {
  const path = `jingle/content[name=${c.name}]`;
  // A content we cannot map becomes a rejected m-line (port 0, its mid kept): the call goes on with
  // the others, and the browser's answer rejects it too.
  const unusable = unmappable(c);
  const d = unusable ? undefined : c.description;
  const sctp = unusable ? undefined : c.transport?.sctpmap;
  let m: Media;
  if (unusable) m = rejectedMedia(c);
  else {
    const protocol = c.mediaLine?.protocol ?? (d ? DEFAULT_RTP_PROTOCOL : DEFAULT_APPLICATION_PROTOCOL);
    const legacySctp = !d && sctp !== undefined && !protocol.startsWith('UDP/') && !protocol.startsWith('TCP/');
    const formats = d ? d.payloadTypes.map((p) => String(p.id)) : legacySctp ? [String(sctp!.number)] : [sctp!.protocol];
    m = emptyMedia(d ? d.media : 'application', 9, protocol, formats);
    if (legacySctp) m.sctpmap = { port: sctp!.number, protocol: sctp!.protocol };
  }
  m.connection = 'IN IP4 0.0.0.0';
  m.mid = c.name;
  m.direction = directionFromSenders(c.senders ?? 'both', role);

  const t = c.transport;
  if (t) {
    if (t.ufrag !== undefined) m.iceUfrag = t.ufrag;
    if (t.pwd !== undefined) m.icePwd = t.pwd;
    for (const ic of t.candidates) m.candidates.push(toSdpCandidate(ic));
    for (const f of t.fingerprints) m.fingerprints.push({ hash: f.hash, value: f.value });
    const setup = t.fingerprints.find((f) => f.setup !== undefined)?.setup;
    if (setup !== undefined) m.setup = setup;
    if (sctp) {
      if (m.sctpmap) {
        if (sctp.streams !== undefined) m.sctpmap.streams = sctp.streams;
      } else m.sctpPort = sctp.number;
    }
    for (const line of t.lines) applyLine(line, m, m, session, `${path}/transport/line`, limits);
  }
  if (d) {
    for (const p of d.payloadTypes) {
      // Plain assignments, not conditional spreads: this runs per codec and spreads are slow here.
      const pt: Media['payloads'][number] = { id: p.id, parameters: p.parameters, feedback: p.feedback };
      if (p.name !== undefined) {
        pt.name = p.name;
        // rtpmap needs a clock rate; a payload type named without one would be refused by the peer.
        pt.clockRate = p.clockrate ?? 8000;
      }
      if (p.channels !== undefined) pt.channels = p.channels;
      if (p.trrInt !== undefined) pt.trrInt = p.trrInt;
      m.payloads.push(pt);
      if (p.ptime !== undefined && m.ptime === undefined) m.ptime = p.ptime;
      if (p.maxptime !== undefined && m.maxptime === undefined) m.maxptime = p.maxptime;
    }
    m.bandwidths = d.bandwidths;
    if (d.rtcpMux) m.rtcpMux = true;
    m.feedbackAll = d.feedback;
    if (d.trrInt !== undefined) m.trrIntAll = d.trrInt;
    for (const h of d.headerExtensions) {
      const ext: Media['extmaps'][number] = { id: h.id, uri: h.uri };
      if (h.senders !== undefined && h.senders !== 'both') ext.direction = directionFromSenders(h.senders, role);
      if (h.attributes !== undefined) ext.attributes = h.attributes;
      m.extmaps.push(ext);
    }
    if (d.extmapAllowMixed) m.extmapAllowMixed = true;
    m.sources = d.sources.map((s) => ({ ssrc: s.ssrc, attributes: withoutDerived(s.parameters) }));
    if (d.rtcpReducedSize) m.rtcpRsize = true;
    m.ssrcGroups = d.ssrcGroups.map((g) => ({ semantics: g.semantics, ssrcs: g.sources }));
    fillGroupSources(m);
  }
  for (const line of c.lines) applyLine(line, m, m, session, `${path}/line`, limits);
  if (d && m.msids.length === 0) readStreamIds(d, m);
  if (unusable) m.bundleOnly = false;
  if (c.mediaLine?.rejected || m.bundleOnly || unusable) m.port = 0;
  return m;
}

/** Why a content has no m-line we can offer a browser, or undefined when it has one. */
function unmappable(c: Content): string | undefined {
  if (!c.transport && c.otherTransport) return 'unknown transport';
  if (c.description) return c.description.payloadTypes.length === 0 ? 'an RTP description without payload types' : undefined;
  return c.transport?.sctpmap ? undefined : 'neither an RTP description nor a data channel';
}

/**
 * The m-line of a content we reject. Its kind is the description's media if it names one (Movim sends
 * its data channel as an RTP description with media='application' and no payload types).
 */
function rejectedMedia(c: Content): Media {
  const media = c.description?.media ?? optMedia(c.otherDescription?.attrs.media);
  const kind = media === 'audio' || media === 'video' ? media : 'application';
  const protocol = c.mediaLine?.protocol ?? (kind !== 'application' ? DEFAULT_RTP_PROTOCOL : DEFAULT_APPLICATION_PROTOCOL);
  // An RTP m= line lists payload type numbers; any other, tokens.
  return emptyMedia(kind, 0, protocol, [isRtp(protocol) ? '0' : 'webrtc-datachannel']);
}

function optMedia(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The mid of a content we rejected leaves the BUNDLE groups (RFC 8843 section 7.3.3): it has no
 * transport to share. Rejected m-lines that came rejected (ours, from an SDP) keep their groups as written.
 */
function pruneBundles(session: Session, contents: readonly Content[]): void {
  let gone: string[] | undefined;
  for (const c of contents) if (unmappable(c) !== undefined) (gone ??= []).push(c.name);
  if (!gone) return;
  for (const g of session.groups) if (g.semantics === 'BUNDLE') g.mids = g.mids.filter((x) => !gone.includes(x));
  session.groups = session.groups.filter((g) => g.semantics !== 'BUNDLE' || g.mids.length > 0);
}

/** Where every RTP m-line allows mixed header extensions, say it once at session level, as libwebrtc does. */
function hoistExtmapAllowMixed(session: Session): void {
  let rtp = 0;
  for (const m of session.media) {
    if (m.payloads.length === 0) continue;
    if (!m.extmapAllowMixed) return;
    rtp++;
  }
  if (rtp === 0) return;
  session.extmapAllowMixed = true;
  // false, not delete: deleting a property turns the object into a slow dictionary.
  for (const m of session.media) m.extmapAllowMixed = false;
}

/**
 * ICE-lite is a property of the whole agent (RFC 8839 section 5.3) and libwebrtc reads it only at
 * session level; Jingle carries it per transport, so one transport saying it is enough.
 */
function hoistIceLite(session: Session): void {
  if (!session.media.some((m) => m.iceLite)) return;
  session.iceLite = true;
  for (const m of session.media) m.iceLite = false;
}

export function toSdpCandidate(ic: IceCandidate): Candidate {
  const c: Candidate = {
    foundation: ic.foundation,
    component: ic.component,
    protocol: ic.protocol,
    priority: ic.priority,
    ip: ic.ip,
    port: ic.port,
    type: ic.type,
    generation: ic.generation,
    extensions: [],
  };
  if (ic.relAddr !== undefined) c.relAddr = ic.relAddr;
  if (ic.relPort !== undefined) c.relPort = ic.relPort;
  if (ic.tcpType !== undefined) c.tcpType = ic.tcpType;
  if (ic.network !== undefined) c.networkId = ic.network;
  for (const [name, value] of ic.extensions) {
    if (name === 'ufrag') c.ufrag = value;
    else if (name === 'network-cost') c.networkCost = parseInteger(value, 0, 0xffffffff, 'network-cost');
    else c.extensions.push([name, value]);
  }
  return c;
}

/** Our carried lines go through the SDP attribute parser, so they are checked as if read from SDP. */
function applyLine(line: string, target: Shared, media: Media | undefined, session: Session, path: string, limits: Limits): void {
  try {
    const ref = { number: 0, text: line };
    if (line.startsWith('a=')) parseAttribute(line, target, media, session, ref, limits);
    else if (line.startsWith('b=')) {
      const colon = line.indexOf(':');
      if (colon <= 2) throw new TranslateError('malformed', 'expected b=<type>:<bandwidth>');
      target.bandwidths.push({ type: line.slice(2, colon), value: parseInteger(line.slice(colon + 1), 0, 0xffffffff, 'bandwidth') });
    } else target.other.push(line);
  } catch (e) {
    if (isTranslateError(e)) throw new TranslateError(e.condition, `${e.message.replace(/^line 0: /, '')}`, { element: path });
    throw e;
  }
}
