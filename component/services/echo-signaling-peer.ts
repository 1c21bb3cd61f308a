/**
 * The echo peer without media (`--echo-media off`), for load tests of the signalling: the same EchoPeer
 * seam as the werift peer, but no RTCPeerConnection, no sockets, no timers. The answer is built from the
 * offer alone (RFC 8829 JSEP's answer rules, as far as signalling sees them): every m-line answered in
 * order with its mid, kind, protocol and the caller's codecs (payload types, fmtp, rtcp-fb), header
 * extensions and SCTP port; the direction mirrored; one fresh ICE ufrag/pwd for the bundle; a fixed,
 * obviously fake DTLS fingerprint with `setup:passive`; no candidates, so ICE never starts.
 * Rejected m-lines (port 0, not bundle-only) stay rejected.
 */
import { randomBytes } from 'node:crypto';
import { parseSdp, writeSdp, type Sdp } from '../../schemas/index.ts';
import { emptyMedia, emptySession } from '../../schemas/sdp/model.ts';
import { isRtp } from '../../schemas/sdp/parse.ts';
import type { CreateEchoPeer, EchoCounts, EchoPeer } from './echo-peer.ts';

/** SHA-256 sized and well-formed, but no certificate has it: a DTLS handshake against it must fail. */
export const FAKE_FINGERPRINT: Sdp.Fingerprint = {
  hash: 'sha-256',
  value: Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 'FA' : 'CE')).join(':'),
};

const MIRROR: Record<Sdp.Direction, Sdp.Direction> = {
  sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive',
};

/** ICE characters (RFC 8839 ice-char: ALPHA / DIGIT / "+" / "/"): base64 without padding. */
function iceChars(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** The answer to `offer` as a signalling-only peer would write it; throws a TranslateError on a bad offer. */
export function signalingAnswer(offerSdp: string): string {
  return writeSdp(signalingAnswerSession(parseSdp(offerSdp)));
}

/** The same as a Session, from the offer as a Session (read only). */
export function signalingAnswerSession(offer: Readonly<Sdp.Session>): Sdp.Session {
  // One CSPRNG call for the ufrag (6 bytes), the pwd (18) and the o= session id (7).
  const random = randomBytes(31);
  const ufrag = iceChars(random.subarray(0, 6));
  const pwd = iceChars(random.subarray(6, 24));
  const answer = emptySession({
    username: '-', sessionId: String(BigInt(`0x${random.subarray(24).toString('hex')}`)), sessionVersion: '2',
    netType: 'IN', addrType: 'IP4', address: '127.0.0.1',
  });
  const rejected = new Set<string>();
  for (const m of offer.media) {
    const refused = m.port === 0 && !m.bundleOnly;
    if (refused && m.mid !== undefined) rejected.add(m.mid);
    answer.media.push(answerMedia(m, offer, refused, { ufrag, pwd }));
  }
  answer.groups = offer.groups.map((g) => ({ semantics: g.semantics, mids: g.mids.filter((mid) => !rejected.has(mid)) }))
    .filter((g) => g.mids.length > 0);
  if (offer.extmapAllowMixed) answer.extmapAllowMixed = true;
  return answer;
}

function answerMedia(m: Sdp.Media, offer: Sdp.Session, refused: boolean, ice: { ufrag: string; pwd: string }): Sdp.Media {
  const a = emptyMedia(m.kind, refused ? 0 : 9, m.protocol, [...m.formats]);
  if (m.mid !== undefined) a.mid = m.mid;
  if (refused) return a;
  a.connection = 'IN IP4 0.0.0.0';
  a.iceUfrag = ice.ufrag;
  a.icePwd = ice.pwd;
  a.fingerprints = [FAKE_FINGERPRINT];
  a.setup = 'passive';
  // A data channel m-line carries no direction unless the offer gave it one.
  const direction = m.direction ?? offer.direction ?? (isRtp(m.protocol) ? 'sendrecv' : undefined);
  if (direction !== undefined) a.direction = MIRROR[direction];
  a.payloads = m.payloads.map((p) => ({ ...p, parameters: [...p.parameters], feedback: [...p.feedback] }));
  a.feedbackAll = [...m.feedbackAll];
  if (m.trrIntAll !== undefined) a.trrIntAll = m.trrIntAll;
  // An extension's own direction is relative to the offerer: leave it out rather than mirror it wrongly.
  a.extmaps = m.extmaps.map((e) => (e.attributes === undefined ? { id: e.id, uri: e.uri } : { id: e.id, uri: e.uri, attributes: e.attributes }));
  if (m.extmapAllowMixed) a.extmapAllowMixed = true;
  if (m.rtcpMux) a.rtcpMux = true;
  if (m.rtcpRsize) a.rtcpRsize = true;
  if (m.ptime !== undefined) a.ptime = m.ptime;
  if (m.maxptime !== undefined) a.maxptime = m.maxptime;
  if (m.sctpPort !== undefined) a.sctpPort = m.sctpPort;
  if (m.maxMessageSize !== undefined) a.maxMessageSize = m.maxMessageSize;
  if (m.sctpmap) a.sctpmap = { ...m.sctpmap };
  return a;
}

/**
 * An EchoPeer that answers and ignores everything else: nothing is ever echoed. A class, so that the
 * thousands of calls a load test holds share its methods instead of each holding four closures.
 */
class SignalingPeer implements EchoPeer {
  readonly echoed: EchoCounts = { packets: 0, bytes: 0, messages: 0 };
  #closed = false;

  async answer(offerSdp: string): Promise<string> {
    if (this.#closed) throw new Error('echo peer: closed');
    return signalingAnswer(offerSdp);
  }

  async answerSession(offer: Readonly<Sdp.Session>): Promise<Sdp.Session> {
    if (this.#closed) throw new Error('echo peer: closed');
    return signalingAnswerSession(offer);
  }

  async addCandidate(): Promise<void> {
    // No ICE agent: the caller's candidates have nowhere to go.
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

export const createSignalingPeer: CreateEchoPeer = () => new SignalingPeer();
