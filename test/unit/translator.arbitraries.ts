// fast-check arbitraries for valid SDP Session models (schemas/sdp/model.ts), shaped like what
// Chromium and Firefox write: RTP audio/video and SCTP data m-lines, a BUNDLE group of their mids.
import fc, { type Arbitrary } from 'fast-check';
import type {
  Candidate, Direction, Feedback, HeaderExtension, Media, Parameter, PayloadType, Session, Source, SsrcGroup,
} from '../../schemas/sdp/model.ts';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ICE_CHARS = `${ALNUM}+/`;
const DIRECTIONS: Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

const str = (alphabet: string, minLength: number, maxLength: number): Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength });
/** Present most of the time; undefined with probability 1/freq. */
const opt = <T>(a: Arbitrary<T>, freq = 3): Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const token = str(`${ALNUM}-_.`, 1, 12);

export const iceUfrag = str(ICE_CHARS, 4, 32);
export const icePwd = str(ICE_CHARS, 22, 40);

export const fingerprint = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 32, maxLength: 32 })
  .map((bytes) => ({ hash: 'sha-256', value: bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':') }));

const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.uuid().map((u) => `${u}.local`));
const port = fc.integer({ min: 0, max: 65535 });

export const candidate: Arbitrary<Candidate> = fc.record({
  foundation: str(ICE_CHARS, 1, 32),
  component: fc.constantFrom(1, 2),
  protocol: fc.constantFrom('udp', 'tcp', 'UDP', 'TCP'),
  priority: u32,
  ip: address,
  port,
  type: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
  relAddr: opt(address, 2),
  relPort: opt(port, 2),
  tcpType: fc.constantFrom('active', 'passive', 'so'),
  generation: opt(fc.integer({ min: 0, max: 10 })),
  ufrag: opt(iceUfrag),
  networkId: opt(fc.integer({ min: 0, max: 100 })),
  networkCost: opt(fc.constantFrom(10, 50, 999)),
  extensions: fc.array(fc.tuple(str('abcdefghijklmnopqrstuvwxyz', 1, 6).map((n) => `x-${n}`), str(`${ALNUM}.:/+_-`, 1, 12)), { maxLength: 2 }),
}).map((c) => ({ ...c, tcpType: c.protocol.toLowerCase() === 'tcp' ? c.tcpType : undefined }));

const CODECS: Record<'audio' | 'video', [string, number, number?][]> = {
  audio: [['opus', 48000, 2], ['red', 48000, 2], ['G722', 8000], ['PCMU', 8000], ['PCMA', 8000], ['CN', 8000],
    ['telephone-event', 48000], ['telephone-event', 8000], ['ISAC', 16000]],
  video: [['VP8', 90000], ['VP9', 90000], ['H264', 90000], ['AV1', 90000], ['rtx', 90000], ['red', 90000], ['ulpfec', 90000]],
};
const PARAM_NAMES = ['minptime', 'useinbandfec', 'stereo', 'apt', 'profile-id', 'packetization-mode', 'profile-level-id',
  'level-asymmetry-allowed', 'x-google-start-bitrate', 'sprop-stereo'];

const parameter: Arbitrary<Parameter> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ name: fc.oneof(fc.constantFrom(...PARAM_NAMES), token), value: str(`${ALNUM}-_./`, 0, 12) }) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('0-15', '111/111', '96/96/96'), token).map((value) => ({ value })) },
);
const feedback: Arbitrary<Feedback> = fc.record({
  type: fc.constantFrom('nack', 'ccm', 'goog-remb', 'transport-cc', 'goog-lntf'),
  subtype: opt(fc.constantFrom('pli', 'fir', 'sli', 'tmmbr'), 2),
});

function payload(kind: 'audio' | 'video'): Arbitrary<PayloadType> {
  return fc.record({
    id: fc.integer({ min: 0, max: 127 }),
    codec: opt(fc.constantFrom(...CODECS[kind]), 10),
    channels: kind === 'audio' ? opt(fc.constantFrom(1, 2), 2) : fc.constant(undefined),
    parameters: fc.array(parameter, { maxLength: 4 }),
    feedback: fc.array(feedback, { maxLength: 4 }),
    trrInt: opt(fc.integer({ min: 0, max: 5000 }), 4),
  }).map(({ codec, channels, ...rest }) => (
    codec ? { ...rest, name: codec[0], clockRate: codec[1], channels: codec[2] ?? channels } : rest));
}

const EXTMAP_URIS = ['urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'urn:ietf:params:rtp-hdrext:sdes:mid',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time', 'urn:ietf:params:rtp-hdrext:toffset',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', 'urn:3gpp:video-orientation'];

const extmaps: Arbitrary<HeaderExtension[]> = fc.uniqueArray(fc.record({
  id: fc.integer({ min: 1, max: 14 }),
  uri: fc.constantFrom(...EXTMAP_URIS),
  direction: opt(fc.constantFrom(...DIRECTIONS), 2),
  attributes: opt(token, 8),
}), { maxLength: 6, selector: (e) => e.id });

const streamId = fc.oneof(fc.uuid(), fc.uuid().map((u) => `{${u}}`), fc.constant('-'));
const msid = fc.record({ stream: streamId, track: opt(fc.uuid()) });

/** Sources with cname/msid, and ssrc-groups (FID, SIM) over some of them. */
const source: Arbitrary<Source> = fc.record({ ssrc: u32, cname: str(`${ALNUM}+/`, 1, 16), msid: opt(fc.tuple(streamId, fc.uuid())) })
  .map(({ ssrc, cname, msid: m }) => ({
    ssrc,
    attributes: m ? [{ name: 'cname', value: cname }, { name: 'msid', value: `${m[0]} ${m[1]}` }] : [{ name: 'cname', value: cname }],
  }));
/** Groups pick their members by index among the m-line's sources. */
const sources = fc.record({
  sources: fc.uniqueArray(source, { maxLength: 4, selector: (x) => x.ssrc }),
  groups: fc.array(fc.record({ semantics: fc.constantFrom('FID', 'SIM', 'FEC-FR'), members: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
}).map(({ sources: list, groups }) => ({
  sources: list,
  ssrcGroups: list.length === 0 ? [] : groups.map((g): SsrcGroup => ({
    semantics: g.semantics, ssrcs: [...new Set(g.members.map((i) => list[i % list.length]!.ssrc))] })),
}));

const common = {
  port: fc.oneof(fc.constant(9), port),
  candidates: fc.array(candidate, { maxLength: 4 }),
  endOfCandidates: opt(fc.constant(true)),
  iceUfrag: opt(iceUfrag, 10),
  icePwd: opt(icePwd, 10),
  iceOptions: opt(fc.constant<string[]>(['trickle'])),
  setup: opt(fc.constantFrom('actpass', 'active', 'passive'), 10),
};

function rtpMedia(kind: 'audio' | 'video'): Arbitrary<Media> {
  return fc.record({
    ...common,
    protocol: fc.constantFrom('UDP/TLS/RTP/SAVPF', 'UDP/TLS/RTP/SAVPF', 'UDP/TLS/RTP/SAVPF', 'RTP/SAVPF'),
    payloads: fc.uniqueArray(payload(kind), { minLength: 1, maxLength: 8, selector: (p) => p.id }),
    direction: opt(fc.constantFrom(...DIRECTIONS), 5),
    extmaps,
    extmapAllowMixed: opt(fc.constant(true)),
    rtcpMux: opt(fc.constant(true), 10),
    rtcpRsize: opt(fc.constant(true)),
    feedbackAll: fc.array(feedback, { maxLength: 2 }),
    trrIntAll: opt(fc.integer({ min: 0, max: 5000 }), 5),
    ptime: kind === 'audio' ? opt(fc.constantFrom(10, 20, 60), 3) : fc.constant(undefined),
    maxptime: kind === 'audio' ? opt(fc.constantFrom(60, 120), 3) : fc.constant(undefined),
    bandwidths: fc.array(fc.record({ type: fc.constantFrom('AS', 'TIAS'), value: u32 }), { maxLength: 1 }),
    msids: fc.array(msid, { maxLength: 1 }),
    sources,
    rids: fc.uniqueArray(str(ALNUM, 1, 4), { maxLength: 3 }),
    bundleOnly: opt(fc.constant(true), 8),
  }).map(({ sources: s, payloads, rids, ...m }): Media => ({
    ...m, ...s, kind, payloads, formats: payloads.map((p) => String(p.id)), fingerprints: [], other: [],
    port: m.bundleOnly ? 0 : m.port,
    rids: rids.map((id, i) => (i === 0 ? { id, direction: 'send', params: `pt=${payloads[0]!.id};max-width=1280` } : { id, direction: 'send' })),
  }));
}

const dataMedia: Arbitrary<Media> = fc.record({
  ...common,
  sctpPort: fc.oneof(fc.constant(5000), port),
  maxMessageSize: opt(fc.constantFrom(262144, 65536, 1073741823)),
}).map((m): Media => ({
  ...m, kind: 'application', protocol: 'UDP/DTLS/SCTP', formats: ['webrtc-datachannel'], fingerprints: [], bandwidths: [],
  extmaps: [], other: [], payloads: [], feedbackAll: [], msids: [], sources: [], ssrcGroups: [], rids: [],
}));

const mediaLine = fc.oneof(
  { weight: 3, arbitrary: rtpMedia('audio') }, { weight: 3, arbitrary: rtpMedia('video') }, { weight: 1, arbitrary: dataMedia });

/** A valid session: mids unique, ICE credentials and a fingerprint per m-line or (Firefox) at session level. */
export const session: Arbitrary<Session> = fc.record({
  media: fc.array(mediaLine, { minLength: 1, maxLength: 6 }),
  mids: fc.uniqueArray(str(`${ALNUM}+/=_.:-`, 1, 8), { minLength: 6, maxLength: 6 }),
  fingerprints: fc.array(fingerprint, { minLength: 7, maxLength: 7 }),
  ufrag: iceUfrag,
  pwd: icePwd,
  sessionLevel: fc.boolean(),
  direction: opt(fc.constantFrom(...DIRECTIONS)),
  bundle: fc.boolean(),
  msidSemantic: opt(fc.record({ semantic: fc.constant('WMS'), ids: fc.array(fc.uuid(), { maxLength: 2 }) })),
  extmapAllowMixed: opt(fc.constant(true)),
}).map((r): Session => {
  const mids = r.mids.slice(0, r.media.length);
  const ml = r.media.map((m, i): Media => ({
    ...m,
    mid: r.mids[i],
    fingerprints: r.sessionLevel ? [] : [r.fingerprints[i + 1]!],
    iceUfrag: m.iceUfrag ?? (r.sessionLevel ? undefined : r.ufrag),
    icePwd: m.icePwd ?? (r.sessionLevel ? undefined : r.pwd),
  }));
  return {
    version: 0,
    origin: { username: '-', sessionId: '4611731400430051336', sessionVersion: '2', netType: 'IN', addrType: 'IP4', address: '127.0.0.1' },
    name: '-',
    timing: '0 0',
    groups: r.bundle ? [{ semantics: 'BUNDLE', mids }] : [],
    msidSemantic: r.msidSemantic,
    fingerprints: r.sessionLevel ? [r.fingerprints[0]!] : [],
    iceUfrag: r.sessionLevel ? r.ufrag : undefined,
    icePwd: r.sessionLevel ? r.pwd : undefined,
    direction: r.sessionLevel ? r.direction : undefined,
    extmapAllowMixed: r.extmapAllowMixed,
    bandwidths: [],
    extmaps: [],
    other: [],
    media: ml,
  };
});
