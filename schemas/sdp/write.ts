/** Session model -> SDP text, in the attribute order libwebrtc writes, CRLF line endings (RFC 8866). */
import { writeCandidate } from './candidate.ts';
import type { Media, Parameter, Session, Shared } from './model.ts';

export function writeSdp(s: Session): string {
  const o = s.origin;
  let out = `v=${s.version}\r\no=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}\r\ns=${s.name}\r\n`;
  if (s.connection !== undefined) out += `c=${s.connection}\r\n`;
  for (const b of s.bandwidths) out += `b=${b.type}:${b.value}\r\n`;
  out += `t=${s.timing}\r\n`;
  for (const g of s.groups) out += `a=group:${g.semantics}${joinPrefixed(g.mids)}\r\n`;
  out += writeShared(s);
  if (s.msidSemantic) out += `a=msid-semantic: ${s.msidSemantic.semantic}${joinPrefixed(s.msidSemantic.ids)}\r\n`;
  for (const line of s.other) out += `${line}\r\n`;
  for (const m of s.media) out += writeMedia(m);
  return out;
}

/** Level-independent attributes; at media level they are written by writeMedia in its own order. */
function writeShared(x: Shared): string {
  let out = '';
  if (x.iceLite) out += 'a=ice-lite\r\n';
  out += writeIce(x);
  if (x.direction) out += `a=${x.direction}\r\n`;
  if (x.extmapAllowMixed) out += 'a=extmap-allow-mixed\r\n';
  out += writeExtmaps(x);
  return out;
}

function writeIce(x: Shared): string {
  let out = '';
  if (x.iceUfrag !== undefined) out += `a=ice-ufrag:${x.iceUfrag}\r\n`;
  if (x.icePwd !== undefined) out += `a=ice-pwd:${x.icePwd}\r\n`;
  if (x.iceOptions) out += `a=ice-options:${x.iceOptions.join(' ')}\r\n`;
  for (const f of x.fingerprints) out += `a=fingerprint:${f.hash} ${f.value}\r\n`;
  if (x.setup !== undefined) out += `a=setup:${x.setup}\r\n`;
  return out;
}

function writeExtmaps(x: Shared): string {
  let out = '';
  for (const e of x.extmaps) {
    out += `a=extmap:${e.id}${e.direction ? `/${e.direction}` : ''} ${e.uri}${e.attributes !== undefined ? ` ${e.attributes}` : ''}\r\n`;
  }
  return out;
}

function writeMedia(m: Media): string {
  let out = `m=${m.kind} ${m.port}${m.portCount !== undefined ? `/${m.portCount}` : ''} ${m.protocol} ${m.formats.join(' ')}\r\n`;
  if (m.connection !== undefined) out += `c=${m.connection}\r\n`;
  for (const b of m.bandwidths) out += `b=${b.type}:${b.value}\r\n`;
  if (m.rtcp) out += `a=rtcp:${m.rtcp.port}${m.rtcp.address !== undefined ? ` ${m.rtcp.address}` : ''}\r\n`;
  for (const c of m.candidates) out += `a=${writeCandidate(c)}\r\n`;
  if (m.endOfCandidates) out += 'a=end-of-candidates\r\n';
  if (m.iceLite) out += 'a=ice-lite\r\n';
  out += writeIce(m);
  if (m.mid !== undefined) out += `a=mid:${m.mid}\r\n`;
  if (m.bundleOnly) out += 'a=bundle-only\r\n';
  if (m.extmapAllowMixed) out += 'a=extmap-allow-mixed\r\n';
  out += writeExtmaps(m);
  if (m.direction) out += `a=${m.direction}\r\n`;
  // A track-less msid is written without a trailing space: libwebrtc rejects `a=msid:stream `.
  for (const id of m.msids) out += `a=msid:${id.stream}${id.track !== undefined ? ` ${id.track}` : ''}\r\n`;
  if (m.rtcpMux) out += 'a=rtcp-mux\r\n';
  if (m.rtcpMuxOnly) out += 'a=rtcp-mux-only\r\n';
  if (m.rtcpRsize) out += 'a=rtcp-rsize\r\n';
  for (const fb of m.feedbackAll) out += `a=rtcp-fb:* ${fb.type}${fb.subtype !== undefined ? ` ${fb.subtype}` : ''}\r\n`;
  if (m.trrIntAll !== undefined) out += `a=rtcp-fb:* trr-int ${m.trrIntAll}\r\n`;
  for (const p of m.payloads) {
    if (p.name !== undefined) {
      out += `a=rtpmap:${p.id} ${p.name}/${p.clockRate ?? 0}${p.channels !== undefined ? `/${p.channels}` : ''}\r\n`;
    }
    for (const fb of p.feedback) out += `a=rtcp-fb:${p.id} ${fb.type}${fb.subtype !== undefined ? ` ${fb.subtype}` : ''}\r\n`;
    if (p.trrInt !== undefined) out += `a=rtcp-fb:${p.id} trr-int ${p.trrInt}\r\n`;
    if (p.parameters.length > 0) out += `a=fmtp:${p.id} ${writeParameters(p.parameters)}\r\n`;
  }
  if (m.ptime !== undefined) out += `a=ptime:${m.ptime}\r\n`;
  if (m.maxptime !== undefined) out += `a=maxptime:${m.maxptime}\r\n`;
  for (const g of m.ssrcGroups) out += `a=ssrc-group:${g.semantics}${joinPrefixed(g.ssrcs.map(String))}\r\n`;
  for (const s of m.sources) {
    for (const a of s.attributes) out += `a=ssrc:${s.ssrc} ${a.name}${a.value !== undefined ? `:${a.value}` : ''}\r\n`;
  }
  for (const r of m.rids) out += `a=rid:${r.id} ${r.direction}${r.params !== undefined ? ` ${r.params}` : ''}\r\n`;
  if (m.simulcast !== undefined) out += `a=simulcast:${m.simulcast}\r\n`;
  if (m.sctpPort !== undefined) out += `a=sctp-port:${m.sctpPort}\r\n`;
  if (m.maxMessageSize !== undefined) out += `a=max-message-size:${m.maxMessageSize}\r\n`;
  if (m.sctpmap) out += `a=sctpmap:${m.sctpmap.port} ${m.sctpmap.protocol}${m.sctpmap.streams !== undefined ? ` ${m.sctpmap.streams}` : ''}\r\n`;
  for (const line of m.other) out += `${line}\r\n`;
  return out;
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
