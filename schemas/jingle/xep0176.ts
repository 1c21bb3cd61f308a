/**
 * XEP-0176: Jingle ICE-UDP Transport Method, https://xmpp.org/extensions/xep-0176.html (v1.1.1).
 * Also carries, as children of <transport>, the XEP-0320 fingerprint, the XEP-0343 sctpmap, and our
 * verbatim SDP lines for ICE attributes no XEP names (ice-options, end-of-candidates, ice-lite).
 * `tcptype` on <candidate> follows XEP-0371 and libwebrtc; extension attributes we have no XEP
 * attribute for ride in our namespace (`gw:extensions`).
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { ADDRESS, EXTENSION_NAME, EXTENSION_VALUE, TCP_TYPES } from '../sdp/tokens.ts';
import { attrValue, el, intValue, isElement, localName, nsOf, optAttr, prefixNs, reqIntValue, reqValue } from '../xml.ts';
import { buildSdpLine, parseSdpLine } from './sdp-lines.ts';
import { buildFingerprint, isDtlsNamespace, readFingerprint, type DtlsFingerprint } from './xep0320.ts';
import { buildSctpMap, parseSctpMap, type SctpMap } from './xep0343.ts';

export interface IceCandidate {
  component: number;
  foundation: string;
  generation: number;
  id: string;
  ip: string;
  network?: number;
  port: number;
  priority: number;
  protocol: string;
  relAddr?: string;
  relPort?: number;
  type: string;
  tcpType?: string;
  /** Extension attributes without an XEP attribute (`network-cost 10`), as name/value pairs. */
  extensions: [string, string][];
}

export interface IceUdpTransport {
  ufrag?: string;
  pwd?: string;
  candidates: IceCandidate[];
  fingerprints: DtlsFingerprint[];
  /** Why each <fingerprint> we could not use was skipped (read, never written). */
  unusableFingerprints?: string[];
  sctpmap?: SctpMap;
  /** Our verbatim SDP lines: `a=ice-options:trickle`, `a=end-of-candidates`, ... */
  lines: string[];
}

export const CANDIDATE_TYPES = ['host', 'prflx', 'relay', 'srflx'] as const;
const GW_PREFIX = 'gw';

export function parseTransport(e: Element, path: string, maxList: number): IceUdpTransport {
  const t: IceUdpTransport = { candidates: [], fingerprints: [], lines: [] };
  const ufrag = optAttr(e, 'ufrag');
  const pwd = optAttr(e, 'pwd');
  if (ufrag !== undefined) t.ufrag = iceChars(ufrag, 'ufrag', path);
  if (pwd !== undefined) t.pwd = iceChars(pwd, 'pwd', path);
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.iceUdp);
    if (t.candidates.length + t.lines.length + t.fingerprints.length + (t.unusableFingerprints?.length ?? 0) >= maxList) {
      throw new TranslateError('too-large', `more than ${maxList} children`, { element: path, limit: 'maxListLength' });
    }
    const name = localName(c);
    if (ns === NS.iceUdp && name === 'candidate') t.candidates.push(parseCandidate(c, `${path}/candidate[${t.candidates.length}]`));
    else if (name === 'fingerprint' && isDtlsNamespace(ns)) {
      const f = readFingerprint(c, `${path}/fingerprint`);
      if (typeof f !== 'string') t.fingerprints.push(f);
      else (t.unusableFingerprints ??= []).push(f);
    } else if (name === 'fingerprint') (t.unusableFingerprints ??= []).push(`a fingerprint in namespace '${String(ns).slice(0, 64)}'`);
    else if (ns === NS.dtlsSctp && name === 'sctpmap') t.sctpmap = parseSctpMap(c, `${path}/sctpmap`);
    else if (ns === NS.sdp && name === 'line') t.lines.push(parseSdpLine(c, `${path}/line`, 'media'));
    // remote-candidate (aggressive nomination results) and unknown extensions carry nothing SDP needs.
  }
  return t;
}

function iceChars(v: string, name: string, path: string): string {
  if (!/^[A-Za-z0-9+/]{1,256}$/.test(v)) throw new TranslateError('invalid-value', `bad ${name}`, { element: path });
  return v;
}

export function parseCandidate(c: Element, path: string): IceCandidate {
  const a = c.attrs; // read here, where they are candidates' attributes only (xml.ts, attrValue)
  const type = reqValue(c, 'type', a.type, path);
  if (!(CANDIDATE_TYPES as readonly string[]).includes(type)) {
    throw new TranslateError('invalid-value', `type must be one of ${CANDIDATE_TYPES.join(', ')}`, { element: path });
  }
  const foundation = reqValue(c, 'foundation', a.foundation, path);
  if (!/^[A-Za-z0-9+/]{1,32}$/.test(foundation)) throw new TranslateError('invalid-value', 'bad foundation', { element: path });
  const ip = reqValue(c, 'ip', a.ip, path);
  if (!ADDRESS.test(ip)) throw new TranslateError('invalid-value', 'bad ip', { element: path });
  const protocol = reqValue(c, 'protocol', a.protocol, path).toLowerCase();
  if (!/^[a-z0-9-]{1,32}$/.test(protocol)) throw new TranslateError('invalid-value', 'bad protocol', { element: path });
  const cand: IceCandidate = {
    component: reqIntValue(c, 'component', a.component, 1, 256, path),
    foundation,
    generation: intValue(c, 'generation', a.generation, 0, 0xffffffff, path) ?? 0,
    id: attrValue(c, 'id', a.id) ?? '',
    ip,
    port: reqIntValue(c, 'port', a.port, 0, 65535, path),
    priority: reqIntValue(c, 'priority', a.priority, 0, 0xffffffff, path),
    protocol,
    type,
    extensions: [],
  };
  const network = intValue(c, 'network', a.network, 0, 0xffffffff, path);
  if (network !== undefined) cand.network = network;
  const relAddr = attrValue(c, 'rel-addr', a['rel-addr']);
  if (relAddr !== undefined) {
    if (!ADDRESS.test(relAddr)) throw new TranslateError('invalid-value', 'bad rel-addr', { element: path });
    cand.relAddr = relAddr;
  }
  const relPort = intValue(c, 'rel-port', a['rel-port'], 0, 65535, path);
  if (relPort !== undefined) cand.relPort = relPort;
  const tcpType = attrValue(c, 'tcptype', a.tcptype);
  if (tcpType !== undefined) {
    if (!TCP_TYPES.includes(tcpType)) throw new TranslateError('invalid-value', 'tcptype must be active, passive or so', { element: path });
    cand.tcpType = tcpType;
  }
  cand.extensions = parseExtensions(c, path);
  return cand;
}

/**
 * Our namespaced attribute `extensions` in NS.sdp, under whatever prefix, bound on the candidate or
 * on an ancestor (a transport-info may declare it once on <transport>).
 */
function parseExtensions(c: Element, path: string): [string, string][] {
  let raw: string | undefined;
  for (const k in c.attrs) {
    if (!k.endsWith(':extensions')) continue;
    const colon = k.indexOf(':');
    if (prefixNs(c, k.slice(0, colon)) === NS.sdp) raw = optAttr(c, k);
  }
  if (raw === undefined) return [];
  const f = raw.trim().split(/\s+/);
  let ok = f.length % 2 === 0;
  for (let i = 0; ok && i < f.length; i += 2) ok = EXTENSION_NAME.test(f[i] as string) && EXTENSION_VALUE.test(f[i + 1] as string);
  if (!ok) {
    throw new TranslateError('invalid-value', 'extensions must be name/value pairs', { element: path });
  }
  const out: [string, string][] = [];
  for (let i = 0; i < f.length; i += 2) out.push([f[i] as string, f[i + 1] as string]);
  return out;
}

export function buildTransport(t: IceUdpTransport): Element {
  const e = el('transport', { xmlns: NS.iceUdp, ufrag: t.ufrag, pwd: t.pwd });
  for (const f of t.fingerprints) e.cnode(buildFingerprint(f));
  if (t.sctpmap) e.cnode(buildSctpMap(t.sctpmap));
  for (const c of t.candidates) e.cnode(buildCandidate(c));
  for (const l of t.lines) e.cnode(buildSdpLine(l));
  return e;
}

export function buildCandidate(c: IceCandidate): Element {
  const attrs: Record<string, string | undefined> = {
    component: String(c.component),
    foundation: c.foundation,
    generation: String(c.generation),
    id: c.id,
    ip: c.ip,
    network: c.network === undefined ? undefined : String(c.network),
    port: String(c.port),
    priority: String(c.priority),
    protocol: c.protocol,
    'rel-addr': c.relAddr,
    'rel-port': c.relPort === undefined ? undefined : String(c.relPort),
    tcptype: c.tcpType,
    type: c.type,
  };
  if (c.extensions.length > 0) {
    attrs[`xmlns:${GW_PREFIX}`] = NS.sdp;
    attrs[`${GW_PREFIX}:extensions`] = c.extensions.map(([n, v]) => `${n} ${v}`).join(' ');
  }
  return el('candidate', attrs);
}
