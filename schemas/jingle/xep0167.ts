/**
 * XEP-0167: Jingle RTP Sessions, https://xmpp.org/extensions/xep-0167.html (v1.1 schema plus the <rtcp-mux/> of 1.2): the RTP
 * <description>, with the XEP-0293 feedback, XEP-0294 header extensions and XEP-0339 sources it holds.
 *
 * A bare fmtp value (RED's `a=fmtp:63 111/111`, telephone-event's `a=fmtp:110 0-15`, RFC 2198/4733)
 * has no name, but the XEP-0167 schema requires one. What other stacks do:
 * - lib-jitsi-meet (modules/sdp/SDPUtil.ts parseFmtp, "rfc 4733 (DTMF) style") writes
 *   `<parameter name='' value='0-15'/>` and reads an empty name back as a bare value (SDP.ts).
 * - Conversations (xmpp/jingle/stanzas/RtpDescription.java Parameter.toSdpString) reads a lone
 *   parameter with a null or empty name as a bare value; it drops bare values when it writes.
 * - Movim (src/Movim/Librairies/SDPtoJingle.php addFmtpParameters) drops them; older Movim and this
 *   translator wrote `<parameter value='0-15'/>`, with no name.
 * - StanzaJS (src/jxt/Types.ts parameterMap over the sdp package's parseFmtp) writes
 *   `<parameter name='0-15'/>`, with no value, which the schema forbids too.
 * - Dino keeps parameters in a name->value map: a missing name would be a null key.
 * So we write Jitsi's form, `name=''`: valid (name present, value present), and read right by Jitsi
 * and Conversations; a StanzaJS or Movim peer writes `=0-15`, which libwebrtc reads as the bare
 * value. We read all four forms.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { attrValue, el, intValue, isElement, lineSafe, localName, nsOf, optAttr, reqAttr, reqIntValue, reqValue, textOf } from '../xml.ts';
import { parseInteger } from '../sdp/numbers.ts';
import { BANDWIDTH_TYPE, ENCODING, FMTP_NAME, MSID_ID } from '../sdp/tokens.ts';
import { buildRtcpFb, buildTrrInt, parseRtcpFb, parseTrrInt, type RtcpFeedback } from './xep0293.ts';
import { buildExtmapAllowMixed, buildHeaderExtension, parseHeaderExtension, type RtpHeaderExtension } from './xep0294.ts';
import { isDtlsNamespace, readFingerprint, type DtlsFingerprint } from './xep0320.ts';
import { buildSource, buildSsrcGroup, parseSource, parseSsrcGroup, type RtpSource, type RtpSsrcGroup } from './xep0339.ts';

export interface PayloadParameter {
  name?: string;
  value: string;
}

export interface RtpPayloadType {
  id: number;
  name?: string;
  clockrate?: number;
  channels?: number;
  ptime?: number;
  maxptime?: number;
  parameters: PayloadParameter[];
  feedback: RtcpFeedback[];
  trrInt?: number;
}

export interface RtpBandwidth {
  type: string;
  value: number;
}

export interface RtpDescription {
  media: string;
  payloadTypes: RtpPayloadType[];
  bandwidths: RtpBandwidth[];
  rtcpMux: boolean;
  /** XEP-0293 feedback for every payload type. */
  feedback: RtcpFeedback[];
  trrInt?: number;
  headerExtensions: RtpHeaderExtension[];
  extmapAllowMixed: boolean;
  sources: RtpSource[];
  ssrcGroups: RtpSsrcGroup[];
  /** StanzaJS's <stream xmlns='urn:xmpp:jingle:apps:rtp:msid:0' id track/>: the m-line's a=msid. */
  streams?: RtpStream[];
  /**
   * StanzaJS's <rtcp-reduced-size/> in the RTP namespace (src/protocol/xep0167.ts "rtcpReducedSize
   * flag"): a=rtcp-rsize (RFC 5506). No XEP has an element for it; XEP-0167 1.2 has only <rtcp-mux/>.
   */
  rtcpReducedSize?: boolean;
  /** XEP-0167 section 7 <encryption>, read only: `required`, and DTLS fingerprints StanzaJS reads there. */
  encryption?: RtpEncryption;
}

export interface RtpStream {
  id: string;
  track?: string;
}

export interface RtpEncryption {
  required: boolean;
  fingerprints: DtlsFingerprint[];
}

export function emptyDescription(media: string): RtpDescription {
  return { media, payloadTypes: [], bandwidths: [], rtcpMux: false, feedback: [], headerExtensions: [], extmapAllowMixed: false, sources: [], ssrcGroups: [] };
}

export function parseDescription(e: Element, path: string, maxList: number): RtpDescription {
  const media = reqAttr(e, 'media', path);
  if (!/^[a-z0-9-]{1,32}$/i.test(media)) throw new TranslateError('invalid-value', 'bad media', { element: path });
  const d = emptyDescription(media);
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.rtp);
    const name = localName(c);
    if (ns === NS.rtp) {
      if (name === 'payload-type') d.payloadTypes.push(parsePayloadType(c, `${path}/payload-type[${d.payloadTypes.length}]`, maxList));
      else if (name === 'rtcp-mux') d.rtcpMux = true;
      else if (name === 'bandwidth') d.bandwidths.push(parseBandwidth(c, `${path}/bandwidth`));
      else if (name === 'encryption') d.encryption = parseEncryption(c, `${path}/encryption`);
      else if (name === 'rtcp-reduced-size') d.rtcpReducedSize = true;
    } else if (ns === NS.rtpMsid) {
      if (name === 'stream') (d.streams ??= []).push(parseStream(c, `${path}/stream`));
    } else if (ns === NS.rtcpFb) {
      if (name === 'rtcp-fb') d.feedback.push(parseRtcpFb(c, `${path}/rtcp-fb`));
      else if (name === 'rtcp-fb-trr-int') d.trrInt = parseTrrInt(c, `${path}/rtcp-fb-trr-int`);
    } else if (ns === NS.rtpHdrext) {
      if (name === 'rtp-hdrext') d.headerExtensions.push(parseHeaderExtension(c, `${path}/rtp-hdrext`));
      else if (name === 'extmap-allow-mixed') d.extmapAllowMixed = true;
    } else if (ns === NS.ssma) {
      if (name === 'source') d.sources.push(parseSource(c, `${path}/source[${d.sources.length}]`, maxList));
      else if (name === 'ssrc-group') d.ssrcGroups.push(parseSsrcGroup(c, `${path}/ssrc-group`));
    }
  }
  // Each list no longer than the SDP side takes it (limits.ts maxListLength), so what we read we can write.
  for (const [list, what] of [[d.payloadTypes, 'payload-types'], [d.sources, 'sources'], [d.ssrcGroups, 'ssrc-groups'],
    [d.headerExtensions, 'rtp-hdrext'], [d.bandwidths, 'bandwidths'], [d.feedback, 'rtcp-fb'], [d.streams ?? [], 'streams']] as const) {
    if (list.length > maxList) throw new TranslateError('too-large', `more than ${maxList} ${what}`, { element: path, limit: 'maxListLength' });
  }
  const ids = new Set<number>();
  for (const p of d.payloadTypes) {
    if (ids.has(p.id)) throw new TranslateError('invalid-value', `two payload-types with id ${p.id}`, { element: path });
    ids.add(p.id);
  }
  return d;
}

function parsePayloadType(e: Element, path: string, maxList: number): RtpPayloadType {
  const a = e.attrs; // read here, where they are payload-types' attributes only (xml.ts, attrValue)
  const p: RtpPayloadType = { id: reqIntValue(e, 'id', a.id, 0, 127, path), parameters: [], feedback: [] };
  const name = attrValue(e, 'name', a.name);
  if (name !== undefined && name !== '') {
    if (!ENCODING.test(name)) throw new TranslateError('invalid-value', 'bad codec name', { element: path });
    p.name = name;
  }
  const clockrate = intValue(e, 'clockrate', a.clockrate, 1, 0xffffffff, path);
  if (clockrate !== undefined) p.clockrate = clockrate;
  const channels = intValue(e, 'channels', a.channels, 1, 255, path);
  if (channels !== undefined) p.channels = channels;
  const ptime = intValue(e, 'ptime', a.ptime, 0, 0xffffffff, path);
  if (ptime !== undefined) p.ptime = ptime;
  const maxptime = intValue(e, 'maxptime', a.maxptime, 0, 0xffffffff, path);
  if (maxptime !== undefined) p.maxptime = maxptime;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.rtp);
    if (p.parameters.length + p.feedback.length >= maxList) throw new TranslateError('too-large', `more than ${maxList} children`, { element: path, limit: 'maxListLength' });
    const name = localName(c);
    if (ns === NS.rtp && name === 'parameter') p.parameters.push(parseParameter(c, `${path}/parameter`));
    else if (ns === NS.rtcpFb && name === 'rtcp-fb') p.feedback.push(parseRtcpFb(c, `${path}/rtcp-fb`));
    else if (ns === NS.rtcpFb && name === 'rtcp-fb-trr-int') p.trrInt = parseTrrInt(c, `${path}/rtcp-fb-trr-int`);
  }
  return p;
}

function parseParameter(e: Element, path: string): PayloadParameter {
  const a = e.attrs;
  let name = attrValue(e, 'name', a.name);
  let raw = attrValue(e, 'value', a.value);
  // StanzaJS's bare value: <parameter name='111/111'/>, a name and no value at all.
  if (raw === undefined && name !== undefined && name !== '') {
    raw = name;
    name = undefined;
  }
  const value = lineSafe(raw ?? '', 'parameter value', path);
  // fmtp is `name=value;name=value`: these characters would change how the line splits.
  if (value.indexOf(';') >= 0 || (name !== undefined && name !== '' && !FMTP_NAME.test(name))) {
    throw new TranslateError('invalid-value', 'parameter name or value holds a separator', { element: path });
  }
  if (name === undefined || name === '') {
    if (value === '') throw new TranslateError('missing', 'parameter has neither name nor value', { element: path });
    // A bare fmtp value with '=' would read back as a named parameter.
    if (value.includes('=')) throw new TranslateError('invalid-value', "a parameter without a name cannot hold '='", { element: path });
    return { value };
  }
  return { name, value };
}

/** Stream and track ids become one a=msid line: tokens, no spaces (RFC 8830 msid-id, msid-appdata). */
function parseStream(e: Element, path: string): RtpStream {
  const id = reqValue(e, 'id', e.attrs.id, path);
  const track = attrValue(e, 'track', e.attrs.track);
  if (!MSID_ID.test(id) || (track !== undefined && track !== '' && !MSID_ID.test(track))) {
    throw new TranslateError('invalid-value', 'stream id and track are 1 to 64 token characters', { element: path });
  }
  return track !== undefined && track !== '' ? { id, track } : { id };
}

function parseEncryption(e: Element, path: string): RtpEncryption {
  const required = optAttr(e, 'required');
  const enc: RtpEncryption = { required: required === 'true' || required === '1', fingerprints: [] };
  for (const c of e.children) {
    if (!isElement(c) || localName(c) !== 'fingerprint' || !isDtlsNamespace(nsOf(c, NS.rtp))) continue;
    if (enc.fingerprints.length >= 8) break;
    const f = readFingerprint(c, `${path}/fingerprint`);
    if (typeof f !== 'string') enc.fingerprints.push(f);
  }
  return enc;
}

function parseBandwidth(e: Element, path: string): RtpBandwidth {
  const type = reqAttr(e, 'type', path);
  if (!BANDWIDTH_TYPE.test(type)) throw new TranslateError('invalid-value', 'bad bandwidth type', { element: path });
  const raw = (optAttr(e, 'value') ?? textOf(e)).trim();
  return { type, value: parseInteger(raw, 0, 0xffffffff, 'bandwidth', undefined, path) };
}

export function buildDescription(d: RtpDescription): Element {
  const e = el('description', { xmlns: NS.rtp, media: d.media });
  for (const p of d.payloadTypes) e.cnode(buildPayloadType(p));
  for (const b of d.bandwidths) {
    const bw = el('bandwidth', { type: b.type });
    bw.children.push(String(b.value));
    e.cnode(bw);
  }
  if (d.rtcpMux) e.cnode(el('rtcp-mux', {}));
  if (d.rtcpReducedSize) e.cnode(el('rtcp-reduced-size', {}));
  for (const fb of d.feedback) e.cnode(buildRtcpFb(fb));
  if (d.trrInt !== undefined) e.cnode(buildTrrInt(d.trrInt));
  for (const h of d.headerExtensions) e.cnode(buildHeaderExtension(h));
  if (d.extmapAllowMixed) e.cnode(buildExtmapAllowMixed());
  for (const s of d.sources) e.cnode(buildSource(s));
  for (const g of d.ssrcGroups) e.cnode(buildSsrcGroup(g));
  for (const st of d.streams ?? []) e.cnode(el('stream', { xmlns: NS.rtpMsid, id: st.id, track: st.track }));
  return e;
}

function buildPayloadType(p: RtpPayloadType): Element {
  const e = el('payload-type', {
    id: String(p.id),
    name: p.name,
    clockrate: p.clockrate === undefined ? undefined : String(p.clockrate),
    channels: p.channels === undefined ? undefined : String(p.channels),
    ptime: p.ptime === undefined ? undefined : String(p.ptime),
    maxptime: p.maxptime === undefined ? undefined : String(p.maxptime),
  });
  // A bare value gets name='' (see the top of this file): the schema requires the attribute.
  for (const param of p.parameters) e.cnode(el('parameter', { name: param.name ?? '', value: param.value }));
  for (const fb of p.feedback) e.cnode(buildRtcpFb(fb));
  if (p.trrInt !== undefined) e.cnode(buildTrrInt(p.trrInt));
  return e;
}
