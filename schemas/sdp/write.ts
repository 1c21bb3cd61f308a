/** Session model -> SDP text, in the attribute order libwebrtc writes, CRLF line endings (RFC 8866). */
import { writeCandidate } from './candidate.ts';
import type { Media, Parameter, Session, Shared } from './model.ts';

/**
 * The text being written, a line at a time, and the length of its longest line. A caller that limits
 * line lengths learns from `longest` whether it needs to look at the text at all: reading it would
 * flatten the string (built piece by piece) only to find every line short enough.
 */
export class SdpText {
  text = '';
  longest = 0;

  line(line: string): void {
    if (line.length > this.longest) this.longest = line.length;
    this.text += `${line}\r\n`;
  }
}

export function writeSdp(s: Session): string {
  return writeSdpText(s).text;
}

export function writeSdpText(s: Session): SdpText {
  const w = new SdpText();
  const o = s.origin;
  w.line(`v=${s.version}`);
  w.line(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  w.line(`s=${s.name}`);
  if (s.connection !== undefined) w.line(`c=${s.connection}`);
  for (const b of s.bandwidths) w.line(`b=${b.type}:${b.value}`);
  w.line(`t=${s.timing}`);
  for (const g of s.groups) w.line(`a=group:${g.semantics}${joinPrefixed(g.mids)}`);
  writeShared(w, s);
  if (s.msidSemantic) w.line(`a=msid-semantic: ${s.msidSemantic.semantic}${joinPrefixed(s.msidSemantic.ids)}`);
  for (const line of s.other) w.line(line);
  for (const m of s.media) writeMedia(w, m);
  return w;
}

/** Level-independent attributes; at media level they are written by writeMedia in its own order. */
function writeShared(w: SdpText, x: Shared): void {
  if (x.iceLite) w.line('a=ice-lite');
  writeIce(w, x);
  if (x.direction) w.line(`a=${x.direction}`);
  if (x.extmapAllowMixed) w.line('a=extmap-allow-mixed');
  writeExtmaps(w, x);
}

function writeIce(w: SdpText, x: Shared): void {
  if (x.iceUfrag !== undefined) w.line(`a=ice-ufrag:${x.iceUfrag}`);
  if (x.icePwd !== undefined) w.line(`a=ice-pwd:${x.icePwd}`);
  if (x.iceOptions) w.line(`a=ice-options:${x.iceOptions.join(' ')}`);
  for (const f of x.fingerprints) w.line(`a=fingerprint:${f.hash} ${f.value}`);
  if (x.setup !== undefined) w.line(`a=setup:${x.setup}`);
}

function writeExtmaps(w: SdpText, x: Shared): void {
  for (const e of x.extmaps) {
    w.line(`a=extmap:${e.id}${e.direction ? `/${e.direction}` : ''} ${e.uri}${e.attributes !== undefined ? ` ${e.attributes}` : ''}`);
  }
}

function writeMedia(w: SdpText, m: Media): void {
  w.line(`m=${m.kind} ${m.port}${m.portCount !== undefined ? `/${m.portCount}` : ''} ${m.protocol} ${m.formats.join(' ')}`);
  if (m.connection !== undefined) w.line(`c=${m.connection}`);
  for (const b of m.bandwidths) w.line(`b=${b.type}:${b.value}`);
  if (m.rtcp) w.line(`a=rtcp:${m.rtcp.port}${m.rtcp.address !== undefined ? ` ${m.rtcp.address}` : ''}`);
  for (const c of m.candidates) w.line(`a=${writeCandidate(c)}`);
  if (m.endOfCandidates) w.line('a=end-of-candidates');
  if (m.iceLite) w.line('a=ice-lite');
  writeIce(w, m);
  if (m.mid !== undefined) w.line(`a=mid:${m.mid}`);
  if (m.bundleOnly) w.line('a=bundle-only');
  if (m.extmapAllowMixed) w.line('a=extmap-allow-mixed');
  writeExtmaps(w, m);
  if (m.direction) w.line(`a=${m.direction}`);
  // A track-less msid is written without a trailing space: libwebrtc rejects `a=msid:stream `.
  for (const id of m.msids) w.line(`a=msid:${id.stream}${id.track !== undefined ? ` ${id.track}` : ''}`);
  if (m.rtcpMux) w.line('a=rtcp-mux');
  if (m.rtcpMuxOnly) w.line('a=rtcp-mux-only');
  if (m.rtcpRsize) w.line('a=rtcp-rsize');
  for (const fb of m.feedbackAll) w.line(`a=rtcp-fb:* ${fb.type}${fb.subtype !== undefined ? ` ${fb.subtype}` : ''}`);
  if (m.trrIntAll !== undefined) w.line(`a=rtcp-fb:* trr-int ${m.trrIntAll}`);
  for (const p of m.payloads) {
    if (p.name !== undefined) {
      w.line(`a=rtpmap:${p.id} ${p.name}/${p.clockRate ?? 0}${p.channels !== undefined ? `/${p.channels}` : ''}`);
    }
    for (const fb of p.feedback) w.line(`a=rtcp-fb:${p.id} ${fb.type}${fb.subtype !== undefined ? ` ${fb.subtype}` : ''}`);
    if (p.trrInt !== undefined) w.line(`a=rtcp-fb:${p.id} trr-int ${p.trrInt}`);
    if (p.parameters.length > 0) w.line(`a=fmtp:${p.id} ${writeParameters(p.parameters)}`);
  }
  if (m.ptime !== undefined) w.line(`a=ptime:${m.ptime}`);
  if (m.maxptime !== undefined) w.line(`a=maxptime:${m.maxptime}`);
  for (const g of m.ssrcGroups) w.line(`a=ssrc-group:${g.semantics}${joinPrefixed(g.ssrcs.map(String))}`);
  for (const s of m.sources) {
    for (const a of s.attributes) w.line(`a=ssrc:${s.ssrc} ${a.name}${a.value !== undefined ? `:${a.value}` : ''}`);
  }
  for (const r of m.rids) w.line(`a=rid:${r.id} ${r.direction}${r.params !== undefined ? ` ${r.params}` : ''}`);
  if (m.simulcast !== undefined) w.line(`a=simulcast:${m.simulcast}`);
  if (m.sctpPort !== undefined) w.line(`a=sctp-port:${m.sctpPort}`);
  if (m.maxMessageSize !== undefined) w.line(`a=max-message-size:${m.maxMessageSize}`);
  if (m.sctpmap) w.line(`a=sctpmap:${m.sctpmap.port} ${m.sctpmap.protocol}${m.sctpmap.streams !== undefined ? ` ${m.sctpmap.streams}` : ''}`);
  for (const line of m.other) w.line(line);
}

export function writeParameters(params: readonly Parameter[]): string {
  let s = '';
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as Parameter;
    if (i > 0) s += ';';
    s += p.name !== undefined ? `${p.name}=${p.value}` : p.value;
  }
  return s;
}

function joinPrefixed(items: readonly string[]): string {
  let s = '';
  for (const i of items) s += ` ${i}`;
  return s;
}
