/**
 * The test oracle for the translator's round-trip contract: an SDP reduced to what a WebRTC peer
 * reads from it, so two descriptions that mean the same compare deep-equal and two that differ in
 * anything a peer acts on do not.
 *
 * It is built on `sdp-transform`, an independent parser, and deliberately NOT on schemas/sdp: an
 * oracle that shares the translator's parser would share its bugs. Where sdp-transform loses data
 * (its regexes match a prefix: `a=ice-options:` keeps one token, a candidate line stops at the first
 * extension it does not know, rtcp-fb keeps two tokens (`ccm tmmbr smaxpr=120` loses the third),
 * extmap one attribute token, msid-semantic one id; a second `a=fingerprint` replaces the first;
 * b= lines of other types vanish) this file reads those raw lines itself (see RAW_READ, rawValues).
 *
 * Session-level defaults are resolved into every m-line (direction, ice-ufrag/pwd, ice-options,
 * fingerprints + setup, extmap, extmap-allow-mixed, end-of-candidates): Firefox writes some of them
 * at session level and Chrome at media level, and a peer treats both alike. Session-level extmap and
 * extmap-allow-mixed reach only RTP m-lines (they mean nothing to an SCTP m-line). A peer also
 * applies `a=rtcp-fb:*` to every payload type, and knows static payload types without an rtpmap.
 *
 * Documented exceptions, NOT compared:
 *  - o= (origin: username, session id and version), s=, t=, and the informational i=, u=, e=, p=,
 *    z=, r= lines: no peer acts on them.
 *  - c= and the m= port (only whether the port is 0 is kept: a rejected m-line), and a=rtcp: with ICE
 *    (every WebRTC session) the candidates supersede them; browsers write the dummy 9 / 0.0.0.0.
 *  - rtpmap/fmtp/rtcp-fb lines for a payload type the m= line does not list: a peer ignores them.
 * Everything else sdp-transform reports, including its `invalid` list of attributes it has no
 * grammar for (a=rtcp-xr, a=rtcp-mux-only, ...), is compared; unknown keys are carried generically.
 */
import { parse, type MediaDescription, type SessionDescription } from 'sdp-transform';

export interface SemanticCandidate {
  foundation: string; component: number; protocol: string; priority: number; ip: string; port: number; type: string;
  raddr?: string; rport?: number; tcptype?: string; generation: number; networkId?: number; networkCost?: number; ufrag?: string;
  /** Extension attributes without a field above, as sorted `name value` strings. */
  extensions: string[];
}

export interface SemanticPayload {
  id: number; name?: string; clockRate?: number; channels: number;
  /** In the order written: [name, value], or [value] for a bare value (`0-15`). */
  fmtp: ([string, string] | [string])[];
  /** rtcp-fb of this payload type and of `*`, including `trr-int N`, sorted. */
  feedback: string[];
}

export interface SemanticMedia {
  kind: string; protocol: string; mid?: string; portIsZero: boolean; bundleOnly: boolean; direction: string;
  iceUfrag?: string; icePwd?: string; iceOptions: string[]; fingerprints: string[]; setup?: string;
  extmapAllowMixed: boolean;
  payloads: SemanticPayload[];
  headerExtensions: { id: number; uri: string; direction?: string; encryptUri?: string; attributes?: string }[];
  rtcpMux: boolean; rtcpRsize: boolean;
  candidates: SemanticCandidate[]; endOfCandidates: boolean;
  msids: string[]; ssrcs: { id: number; attributes: string[] }[]; ssrcGroups: { semantics: string; ssrcs: string[] }[];
  bandwidths: string[]; ptime?: number; maxptime?: number;
  /** Raw values of attributes sdp-transform has no grammar for (rtcp-xr, rtcp-mux-only, ...), sorted. */
  unknown: string[];
  /** Every other key sdp-transform reports (rids, simulcast, sctpPort, maxMessageSize, sctpmap, ...). */
  other: Record<string, unknown>;
}

export interface SemanticSdp {
  groups: { semantics: string; mids: string[] }[];
  msidSemantic?: { semantic: string; ids: string[] };
  iceLite: boolean; bandwidths: string[]; unknown: string[]; other: Record<string, unknown>;
  media: SemanticMedia[];
}

/** Static payload types (RFC 3551) a peer knows without an rtpmap. */
const STATIC_PAYLOADS: Record<number, [string, number]> = {
  0: ['pcmu', 8000], 3: ['gsm', 8000], 4: ['g723', 8000], 8: ['pcma', 8000], 9: ['g722', 8000],
  13: ['cn', 8000], 18: ['g729', 8000], 34: ['h263', 90000],
};

/** Attributes read from the raw lines here, not from sdp-transform's lossy results. */
const RAW_READ = new Set(['candidate', 'fingerprint', 'ice-options', 'rtcp-fb', 'extmap', 'msid-semantic']);

/** Session keys that are resolved into the m-lines, or are documented exceptions. */
const SESSION_HANDLED = new Set([
  'version', 'origin', 'name', 'timing', 'connection', 'description', 'uri', 'email', 'phone', 'timezones',
  'repeats', 'media', 'direction', 'iceUfrag', 'icePwd', 'iceOptions', 'fingerprint', 'setup',
  'extmapAllowMixed', 'ext', 'endOfCandidates', 'groups', 'msidSemantic', 'icelite', 'bandwidth', 'invalid',
]);
const MEDIA_HANDLED = new Set([
  ...SESSION_HANDLED, 'type', 'port', 'protocol', 'payloads', 'rtp', 'fmtp', 'rtcpFb', 'rtcpFbTrrInt',
  'rtcp', 'mid', 'bundleOnly', 'rtcpMux', 'rtcpRsize', 'candidates', 'msid', 'ssrcs', 'ssrcGroups',
  'ptime', 'maxptime',
]);

export function semanticSdp(text: string): SemanticSdp {
  const s: SessionDescription = parse(text);
  const sections = rawSections(text);
  const sessionLines = sections[0] ?? [];
  if (sections.length - 1 !== s.media.length) throw new Error('oracle: m-line count disagrees with sdp-transform');
  return {
    groups: sorted((s.groups ?? []).map((g) => ({ semantics: g.type, mids: words(String(g.mids)) }))),
    ...msidSemantic(sessionLines),
    // Session-level only (RFC 8839 section 5.3): a peer does not look for it in an m= block.
    iceLite: s.icelite !== undefined,
    bandwidths: sorted(sessionLines.filter((l) => l.startsWith('b=')).map((l) => l.slice(2).trim())),
    unknown: unknownOf(s),
    other: rest(s, SESSION_HANDLED),
    media: s.media.map((m, i) => semanticMedia(m, s, sections[i + 1] ?? [], sessionLines)),
  };
}

function semanticMedia(m: MediaDescription, s: SessionDescription, lines: string[], sessionLines: string[]): SemanticMedia {
  const fingerprints = rawValues(lines, 'fingerprint');
  const candidates = rawValues(lines, 'candidate');
  const iceOptions = rawValues(lines, 'ice-options');
  // Header extensions are RTP's: session-level ones (and extmap-allow-mixed) mean nothing to SCTP.
  const rtp = /RTP/i.test(m.protocol);
  const extmaps = [...(rtp ? rawValues(sessionLines, 'extmap') : []), ...rawValues(lines, 'extmap')];
  const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
  const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
  return withoutUndefined({
    kind: m.type, protocol: m.protocol, mid: str(m.mid), portIsZero: m.port === 0, bundleOnly: m.bundleOnly !== undefined,
    direction: m.direction ?? s.direction ?? 'sendrecv',
    iceUfrag: str(m.iceUfrag ?? s.iceUfrag), icePwd: str(m.icePwd ?? s.icePwd),
    iceOptions: sorted((iceOptions.length > 0 ? iceOptions : rawValues(sessionLines, 'ice-options')).flatMap(words)),
    fingerprints: sorted((fingerprints.length > 0 ? fingerprints : rawValues(sessionLines, 'fingerprint')).map(fingerprint)),
    setup: str(m.setup ?? s.setup)?.toLowerCase(),
    extmapAllowMixed: (m.extmapAllowMixed ?? (rtp ? s.extmapAllowMixed : undefined)) !== undefined,
    payloads: payloadsOf(m, lines),
    headerExtensions: extmaps.map(headerExtension).sort((a, b) => a.id - b.id),
    rtcpMux: m.rtcpMux !== undefined, rtcpRsize: m.rtcpRsize !== undefined,
    candidates: sorted(candidates.map(semanticCandidate)),
    endOfCandidates: m.endOfCandidates !== undefined || sessionLines.some((l) => l.trim() === 'a=end-of-candidates'),
    msids: sorted((m.msid ?? []).map((x) => `${x.id}${x.appdata !== undefined ? ` ${x.appdata}` : ''}`)),
    ssrcs: ssrcsOf(m),
    ssrcGroups: sorted((m.ssrcGroups ?? []).map((g) => ({ semantics: g.semantics, ssrcs: words(String(g.ssrcs)) }))),
    bandwidths: sorted(lines.filter((l) => l.startsWith('b=')).map((l) => l.slice(2).trim())),
    ptime: num(m.ptime), maxptime: num(m.maxptime),
    unknown: unknownOf(m),
    other: rest(m, MEDIA_HANDLED),
  });
}

/** Optional fields are absent, not `undefined`, so deep equality does not depend on how they were built. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function payloadsOf(m: MediaDescription, lines: string[]): SemanticPayload[] {
  // Only RTP m-lines list payload types; an SCTP m-line's format is a name (webrtc-datachannel).
  if (!/RTP/i.test(m.protocol) || m.payloads === undefined) return [];
  const feedback = rawValues(lines, 'rtcp-fb').map(words);
  const feedbackFor = (pt: string): string[] => feedback.filter(([p]) => p === pt).map((w) => w.slice(1).join(' '));
  return words(String(m.payloads)).map((pt) => {
    const id = Number(pt);
    const map = m.rtp.find((r) => r.payload === id);
    const [name, clockRate] = map ? [map.codec.toLowerCase(), map.rate] : STATIC_PAYLOADS[id] ?? [];
    return withoutUndefined({
      id, name, clockRate: clockRate === undefined ? undefined : Number(clockRate),
      channels: map?.encoding !== undefined ? Number(map.encoding) : 1,
      fmtp: m.fmtp.filter((f) => f.payload === id).flatMap((f) => fmtpParams(String(f.config))),
      feedback: sorted([...new Set([...feedbackFor(pt), ...feedbackFor('*')])]),
    });
  });
}

/** `a=extmap:<id>[/<direction>] [urn:ietf:params:rtp-hdrext:encrypt] <uri> [<attributes>]` (RFC 8285). */
function headerExtension(value: string): SemanticMedia['headerExtensions'][number] {
  const [head = '', ...tail] = words(value);
  const [id = '', direction] = head.split('/');
  const encryptUri = tail[0] === 'urn:ietf:params:rtp-hdrext:encrypt' ? tail.shift() : undefined;
  const [uri = '', ...attributes] = tail;
  return withoutUndefined({
    id: Number(id), uri, direction: direction === 'sendrecv' ? undefined : direction, encryptUri,
    attributes: attributes.length > 0 ? attributes.join(' ') : undefined,
  });
}

/** `a=msid-semantic: WMS id1 id2` (or `WMS *`): the ids as a set. */
function msidSemantic(sessionLines: string[]): Pick<SemanticSdp, 'msidSemantic'> {
  const [value] = rawValues(sessionLines, 'msid-semantic');
  if (value === undefined) return {};
  const [semantic = '', ...ids] = words(value);
  return { msidSemantic: { semantic, ids: sorted(ids) } };
}

/** Attributes sdp-transform has no grammar for, as raw strings, less those read raw above. */
function unknownOf(o: { invalid?: { value: string }[] }): string[] {
  return sorted((o.invalid ?? []).map((i) => String(i.value)).filter((v) => !RAW_READ.has(v.split(':')[0] ?? '')));
}

/** `a=fmtp:101 0-15` has a bare value; `minptime=10; useinbandfec=1` two named ones. */
function fmtpParams(config: string): ([string, string] | [string])[] {
  return config.split(';').map((x) => x.trim()).filter((x) => x !== '').map((x) => {
    const eq = x.indexOf('=');
    return eq < 0 ? [x] : [x.slice(0, eq).trim(), x.slice(eq + 1).trim()];
  });
}

function ssrcsOf(m: MediaDescription): SemanticMedia['ssrcs'] {
  const by = new Map<number, string[]>();
  for (const x of m.ssrcs ?? []) {
    const id = Number(x.id);
    by.set(id, [...(by.get(id) ?? []), x.value !== undefined ? `${x.attribute}:${x.value}` : String(x.attribute)]);
  }
  return [...by].map(([id, attributes]) => ({ id, attributes: sorted(attributes) })).sort((a, b) => a.id - b.id);
}

/** `sha-256 AB:CD` with the hash name lowercased and the hex uppercased (both case-insensitive). */
function fingerprint(value: string): string {
  const [hash = '', fp = ''] = words(value);
  return `${hash.toLowerCase()} ${fp.toUpperCase()}`;
}

/** One `candidate:` line (with or without `a=`), parsed here: RFC 8839 section 5.1 plus extension pairs. */
export function semanticCandidate(line: string): SemanticCandidate {
  const f = words(line.trim().replace(/^a=/, '').replace(/^candidate:/, ''));
  const [foundation = '', component, protocol = '', priority, ip = '', port, typ, type = ''] = f;
  const tail = f.slice(8);
  if (typ !== 'typ' || tail.length % 2 !== 0) throw new Error(`oracle: malformed candidate '${line}'`);
  const c: SemanticCandidate = {
    foundation, component: Number(component), protocol: protocol.toLowerCase(), priority: Number(priority),
    ip: ip.toLowerCase(), port: Number(port), type, generation: 0, extensions: [],
  };
  for (let i = 0; i < tail.length; i += 2) {
    const [k = '', v = ''] = [tail[i], tail[i + 1]];
    switch (k) {
      case 'generation': c.generation = Number(v); break;
      case 'raddr': c.raddr = v.toLowerCase(); break;
      case 'rport': c.rport = Number(v); break;
      case 'tcptype': c.tcptype = v; break;
      case 'network-id': c.networkId = Number(v); break;
      case 'network-cost': c.networkCost = Number(v); break;
      case 'ufrag': c.ufrag = v; break;
      default: c.extensions.push(`${k} ${v}`);
    }
  }
  c.extensions.sort();
  return c;
}

/** The session block and each m= block as their `x=` lines, split as sdp-transform splits them. */
function rawSections(text: string): string[][] {
  const sections: string[][] = [[]];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (!/^[a-z]=/.test(line)) continue;
    if (line.startsWith('m=')) sections.push([]);
    (sections[sections.length - 1] as string[]).push(line);
  }
  return sections;
}

/** Values of every `a=name:value` line of a block, in order. */
function rawValues(lines: readonly string[], name: string): string[] {
  const prefix = `a=${name}:`;
  return lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length).trim());
}

/** Keys not handled above, with arrays put in a canonical order (sdp-transform keeps line order). */
function rest(o: object, handled: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (handled.has(k) || v === undefined) continue;
    out[k] = Array.isArray(v) ? sorted(v as unknown[]) : v;
  }
  return out;
}

function words(s: string): string[] {
  return s.trim().split(/\s+/).filter((w) => w !== '');
}

/** A copy sorted by each element's JSON, so order-free lists compare equal whatever their order. */
function sorted<T>(xs: readonly T[]): T[] {
  return xs.map((x) => [JSON.stringify(x), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, x]) => x);
}
