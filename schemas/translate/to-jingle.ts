/** SDP text -> Jingle model: per m-line a <content>, the role deciding what each direction means. */
import { TranslateError } from '../errors.ts';
import { withLimits, type Limits } from '../limits.ts';
import type { Candidate, Media, Session } from '../sdp/model.ts';
import { isRtp, mLineNumber, parseSdp } from '../sdp/parse.ts';
import type { Content, Jingle } from '../jingle/xep0166.ts';
import type { Creator, JingleAction, Role } from '../jingle/xep0166-types.ts';
import type { RtpDescription } from '../jingle/xep0167.ts';
import type { IceCandidate, IceUdpTransport } from '../jingle/xep0176.ts';
import type { SetupRole } from '../jingle/xep0320.ts';
import { sendersFromDirection } from './directions.ts';
import { DEFAULT_APPLICATION_PROTOCOL, DEFAULT_RTP_PROTOCOL, candidateId, newSid } from './defaults.ts';
import { addStreamIds } from './msid.ts';

export interface SdpToJingleOptions {
  /** The role of the party that wrote the SDP: session-initiate -> initiator, session-accept -> responder. */
  role: Role;
  action?: JingleAction;
  sid?: string;
  initiator?: string;
  responder?: string;
  /** Who created the contents; 'initiator' unless a responder adds content (content-add). */
  creator?: Creator;
  limits?: Partial<Limits>;
}

export function sdpToJingleModel(sdp: string, opts: SdpToJingleOptions): Jingle {
  checkSid(opts.sid);
  return toModel(parseSdp(sdp, withLimits(opts.limits)), opts);
}

function checkSid(sid: string | undefined): void {
  if (sid !== undefined && (sid.length === 0 || sid.length > 256 || /[\s\x00-\x1f]/.test(sid))) {
    throw new TranslateError('invalid-value', 'sid must be 1 to 256 characters without spaces');
  }
}

/**
 * The same from an SDP already parsed (or built, as a signalling-only answer is): no text written and
 * read again. The Jingle shares lists with `session`: treat `session` as consumed.
 */
export function sessionToJingleModel(session: Session, opts: SdpToJingleOptions): Jingle {
  checkSid(opts.sid);
  return toModel(session, opts);
}

function toModel(session: Session, opts: SdpToJingleOptions): Jingle {
  if (session.media.length === 0) throw new TranslateError('missing', 'the SDP has no m= line');
  const j: Jingle = {
    action: opts.action ?? (opts.role === 'initiator' ? 'session-initiate' : 'session-accept'),
    sid: opts.sid ?? newSid(),
    contents: [],
    groups: session.groups.map((g) => ({ semantics: g.semantics, contents: g.mids.slice() })),
    info: [],
    lines: sessionLines(session),
  };
  if (opts.initiator !== undefined) j.initiator = opts.initiator;
  if (opts.responder !== undefined) j.responder = opts.responder;
  // The parser has refused a mid used twice; m-lines without one are named for their kind and index.
  session.media.forEach((m, i) => j.contents.push(mediaToContent(m, session, opts.role, opts.creator ?? 'initiator', i)));
  return j;
}

function sessionLines(s: Session): string[] {
  const lines: string[] = [];
  if (s.msidSemantic) lines.push(`a=msid-semantic: ${s.msidSemantic.semantic}${s.msidSemantic.ids.map((i) => ` ${i}`).join('')}`);
  for (const b of s.bandwidths) lines.push(`b=${b.type}:${b.value}`);
  for (const l of s.other) lines.push(l);
  return lines;
}

function mediaToContent(m: Media, s: Session, role: Role, creator: Creator, index: number): Content {
  const name = m.mid ?? `${m.kind}-${index}`;
  const content: Content = {
    creator,
    name,
    senders: sendersFromDirection(m.direction ?? s.direction ?? 'sendrecv', role),
    transport: transportOf(m, s),
    lines: mediaLines(m),
  };
  const rtp = isRtp(m.protocol);
  if (rtp) content.description = descriptionOf(m, s, role);
  const defaultProtocol = rtp ? DEFAULT_RTP_PROTOCOL : DEFAULT_APPLICATION_PROTOCOL;
  const rejected = m.port === 0 && !m.bundleOnly;
  if (m.protocol !== defaultProtocol || rejected) {
    content.mediaLine = {};
    if (m.protocol !== defaultProtocol) content.mediaLine.protocol = m.protocol;
    if (rejected) content.mediaLine.rejected = true;
  }
  // A rejected m-line needs nothing more than its mid: browsers reject a data channel without a=sctp-port.
  if (!rtp && m.sctpPort === undefined && !m.sctpmap && !rejected) {
    throw new TranslateError('unsupported', 'an m-line must be RTP or an SCTP data channel (a=sctp-port or a=sctpmap)', {
      line: { number: mLineNumber(m) ?? 0, text: `m=${m.kind} ${m.port} ${m.protocol} ${m.formats.join(' ')}` },
    });
  }
  return content;
}

function mediaLines(m: Media): string[] {
  const lines: string[] = [];
  if (m.bundleOnly) lines.push('a=bundle-only');
  for (const id of m.msids) lines.push(`a=msid:${id.stream}${id.track !== undefined ? ` ${id.track}` : ''}`);
  if (m.rtcpMuxOnly) lines.push('a=rtcp-mux-only');
  if (m.rtcpRsize) lines.push('a=rtcp-rsize');
  for (const r of m.rids) lines.push(`a=rid:${r.id} ${r.direction}${r.params !== undefined ? ` ${r.params}` : ''}`);
  if (m.simulcast !== undefined) lines.push(`a=simulcast:${m.simulcast}`);
  if (m.maxMessageSize !== undefined) lines.push(`a=max-message-size:${m.maxMessageSize}`);
  if (!isRtp(m.protocol)) for (const b of m.bandwidths) lines.push(`b=${b.type}:${b.value}`);
  for (const l of m.other) lines.push(l);
  return lines;
}

function transportOf(m: Media, s: Session): IceUdpTransport {
  const t: IceUdpTransport = { candidates: m.candidates.map((c) => toIceCandidate(c)), fingerprints: [], lines: [] };
  const ufrag = m.iceUfrag ?? s.iceUfrag;
  const pwd = m.icePwd ?? s.icePwd;
  if (ufrag !== undefined) t.ufrag = ufrag;
  if (pwd !== undefined) t.pwd = pwd;
  const setup = (m.setup ?? s.setup) as SetupRole | undefined;
  for (const f of m.fingerprints.length > 0 ? m.fingerprints : s.fingerprints) {
    t.fingerprints.push(setup === undefined ? { hash: f.hash, value: f.value } : { hash: f.hash, value: f.value, setup });
  }
  if (m.sctpPort !== undefined) t.sctpmap = { number: m.sctpPort, protocol: m.formats[0] ?? 'webrtc-datachannel' };
  else if (m.sctpmap) {
    t.sctpmap = { number: m.sctpmap.port, protocol: m.sctpmap.protocol };
    if (m.sctpmap.streams !== undefined) t.sctpmap.streams = m.sctpmap.streams;
  }
  const options = m.iceOptions ?? s.iceOptions;
  if (options) t.lines.push(`a=ice-options:${options.join(' ')}`);
  if (m.iceLite || s.iceLite) t.lines.push('a=ice-lite');
  if (m.endOfCandidates) t.lines.push('a=end-of-candidates');
  return t;
}

export function toIceCandidate(c: Candidate, keepUfrag = true): IceCandidate {
  const ic: IceCandidate = {
    component: c.component,
    foundation: c.foundation,
    generation: c.generation ?? 0,
    id: candidateId(),
    ip: c.ip,
    port: c.port,
    priority: c.priority,
    protocol: c.protocol.toLowerCase(),
    type: c.type,
    extensions: [],
  };
  if (c.networkId !== undefined) ic.network = c.networkId;
  if (c.relAddr !== undefined) ic.relAddr = c.relAddr;
  if (c.relPort !== undefined) ic.relPort = c.relPort;
  if (c.tcpType !== undefined) ic.tcpType = c.tcpType;
  if (keepUfrag && c.ufrag !== undefined) ic.extensions.push(['ufrag', c.ufrag]);
  if (c.networkCost !== undefined) ic.extensions.push(['network-cost', String(c.networkCost)]);
  for (const e of c.extensions) ic.extensions.push(e);
  return ic;
}

function descriptionOf(m: Media, s: Session, role: Role): RtpDescription {
  // Built with plain assignments, not conditional spreads: this runs per codec and per extension.
  const d: RtpDescription = {
    media: m.kind,
    payloadTypes: [],
    bandwidths: m.bandwidths,
    rtcpMux: m.rtcpMux === true,
    feedback: m.feedbackAll,
    headerExtensions: [],
    extmapAllowMixed: m.extmapAllowMixed === true || s.extmapAllowMixed === true,
    sources: [],
    ssrcGroups: [],
  };
  if (m.trrIntAll !== undefined) d.trrInt = m.trrIntAll;
  for (const p of m.payloads) {
    // The Session was parsed for this call alone: its arrays can be handed over, not copied.
    const pt: RtpDescription['payloadTypes'][number] = { id: p.id, parameters: p.parameters, feedback: p.feedback };
    if (p.name !== undefined) pt.name = p.name;
    if (p.clockRate !== undefined) pt.clockrate = p.clockRate;
    if (p.channels !== undefined) pt.channels = p.channels;
    if (m.ptime !== undefined) pt.ptime = m.ptime;
    if (m.maxptime !== undefined) pt.maxptime = m.maxptime;
    if (p.trrInt !== undefined) pt.trrInt = p.trrInt;
    d.payloadTypes.push(pt);
  }
  for (const list of [s.extmaps, m.extmaps]) {
    for (const e of list) {
      const h: RtpDescription['headerExtensions'][number] = { id: e.id, uri: e.uri };
      if (e.direction !== undefined && e.direction !== 'sendrecv') h.senders = sendersFromDirection(e.direction, role);
      if (e.attributes !== undefined) h.attributes = e.attributes;
      d.headerExtensions.push(h);
    }
  }
  if (m.rtcpRsize) d.rtcpReducedSize = true;
  addStreamIds(d, m);
  for (const x of m.sources) d.sources.push({ ssrc: x.ssrc, parameters: x.attributes });
  for (const g of m.ssrcGroups) d.ssrcGroups.push({ semantics: g.semantics, sources: g.ssrcs });
  return d;
}
