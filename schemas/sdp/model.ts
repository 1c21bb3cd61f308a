/**
 * The SDP session model: what an SDP text says, structured, with nothing interpreted away.
 * Session-level defaults (Firefox puts direction, fingerprint and ice-options there) stay where they
 * were written; resolving them per m-line is the translator's job, so this layer round-trips exactly.
 * References: RFC 8866 (SDP), RFC 8829 (JSEP), RFC 8839 (ICE), RFC 8842 (DTLS), RFC 8843 (BUNDLE),
 * RFC 8830 (msid), RFC 8851/8853 (rid, simulcast), RFC 8841 (SCTP).
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export interface Origin {
  username: string;
  sessionId: string;
  sessionVersion: string;
  netType: string;
  addrType: string;
  address: string;
}

export interface Fingerprint {
  hash: string;
  value: string;
}

export interface Bandwidth {
  type: string;
  value: number;
}

export interface Candidate {
  foundation: string;
  component: number;
  /** As written; `udp`/`tcp` compare case-insensitively. */
  protocol: string;
  priority: number;
  ip: string;
  port: number;
  type: string;
  relAddr?: string;
  relPort?: number;
  tcpType?: string;
  generation?: number;
  ufrag?: string;
  networkId?: number;
  networkCost?: number;
  /** Extension name/value pairs we have no field for, in order. */
  extensions: [string, string][];
}

/** One fmtp parameter; a bare value without a name (RED's `111/111`, DTMF's `0-15`) has no name. */
export interface Parameter {
  name?: string;
  value: string;
}

export interface Feedback {
  type: string;
  subtype?: string;
}

export interface PayloadType {
  id: number;
  name?: string;
  clockRate?: number;
  channels?: number;
  parameters: Parameter[];
  feedback: Feedback[];
  trrInt?: number;
}

export interface HeaderExtension {
  id: number;
  uri: string;
  direction?: Direction;
  /** Extension attributes after the URI, as written. */
  attributes?: string;
}

export interface SsrcAttribute {
  name: string;
  value?: string;
}

export interface Source {
  ssrc: number;
  attributes: SsrcAttribute[];
}

export interface SsrcGroup {
  semantics: string;
  ssrcs: number[];
}

export interface Msid {
  stream: string;
  track?: string;
}

export interface Rid {
  id: string;
  direction: 'send' | 'recv';
  /** The restriction list after the direction (`pt=96;max-width=1280`), as written. */
  params?: string;
}

export interface Group {
  semantics: string;
  mids: string[];
}

/** Attributes and lines that both levels may carry. */
export interface Shared {
  direction?: Direction;
  iceUfrag?: string;
  icePwd?: string;
  iceOptions?: string[];
  iceLite?: boolean;
  fingerprints: Fingerprint[];
  setup?: string;
  bandwidths: Bandwidth[];
  connection?: string;
  extmapAllowMixed?: boolean;
  extmaps: HeaderExtension[];
  /** Lines we have no field for, verbatim without the line ending (`a=x-foo:1`, `i=...`). */
  other: string[];
}

export interface Media extends Shared {
  kind: string;
  port: number;
  /** `m=video 9 UDP/TLS/RTP/SAVPF 96/2`: the port count, rarely used. */
  portCount?: number;
  protocol: string;
  /** The m= line's format list; for RTP the payload type numbers, in preference order. */
  formats: string[];
  mid?: string;
  rtcp?: { port: number; address?: string };
  rtcpMux?: boolean;
  rtcpMuxOnly?: boolean;
  rtcpRsize?: boolean;
  /** RFC 8843: a port-0 m-line that is bundled, not rejected. */
  bundleOnly?: boolean;
  candidates: Candidate[];
  endOfCandidates?: boolean;
  /** Payload type details by format, in the order of `formats`. */
  payloads: PayloadType[];
  /** `a=rtcp-fb:*` feedback that applies to every payload type. */
  feedbackAll: Feedback[];
  trrIntAll?: number;
  ptime?: number;
  maxptime?: number;
  msids: Msid[];
  sources: Source[];
  ssrcGroups: SsrcGroup[];
  rids: Rid[];
  /** `a=simulcast:` value as written (`send 0;1 recv 2`). */
  simulcast?: string;
  sctpPort?: number;
  maxMessageSize?: number;
  /** Legacy `a=sctpmap:5000 webrtc-datachannel 1024`. */
  sctpmap?: { port: number; protocol: string; streams?: number };
}

export interface Session extends Shared {
  version: number;
  origin: Origin;
  name: string;
  timing: string;
  groups: Group[];
  msidSemantic?: { semantic: string; ids: string[] };
  media: Media[];
}

/** A session with no media yet; written out in full (no spreads): it is made once per translation. */
export function emptySession(origin: Origin): Session {
  return {
    fingerprints: [],
    bandwidths: [],
    extmaps: [],
    other: [],
    version: 0,
    origin,
    name: '-',
    timing: '0 0',
    groups: [],
    media: [],
  };
}

export function emptyMedia(kind: string, port: number, protocol: string, formats: string[]): Media {
  // Written out in full, no spreads: this runs per m-line on a hot path.
  return {
    fingerprints: [],
    bandwidths: [],
    extmaps: [],
    other: [],
    kind,
    port,
    protocol,
    formats,
    candidates: [],
    payloads: [],
    feedbackAll: [],
    msids: [],
    sources: [],
    ssrcGroups: [],
    rids: [],
  };
}
