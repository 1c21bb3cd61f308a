/**
 * The one seam between call signaling and WebRTC (SIP.js's session description handler): SDP in and
 * out, candidates, transport state, media toggles and stats. The browser implementation (browser.ts)
 * is the only code that touches RTCPeerConnection and getUserMedia; FakeMediaSession (fake.ts) lets the
 * call controller run in Node.
 */
import type { CandidateInit, IceServer } from '../../schemas/index.ts';
import type { Unsubscribe } from './events.ts';

export const MEDIA_KINDS = ['audio', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** What a call sends and receives: audio always, video for a video call. */
export interface MediaChoice {
  audio: boolean;
  video: boolean;
}

/** RTCPeerConnection's connectionState, the transport as a whole (ICE + DTLS). */
export const TRANSPORT_STATES = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'] as const;
export type TransportState = (typeof TRANSPORT_STATES)[number];

export interface MediaSessionOptions {
  media: MediaChoice;
  iceServers: readonly IceServer[];
  /** 'relay': only TURN candidates (to test TURN, or to hide one's address). */
  iceTransportPolicy?: 'all' | 'relay';
}

/** A summary of getStats(): sums over the RTP streams, and the selected candidate pair. */
export interface CallStats {
  /** When the stats were taken (ms since the epoch). */
  at: number;
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsSent: number;
  packetsLost: number;
  /** Per kind, to see one medium stop (mute) while the other flows. */
  audio: { bytesReceived: number; bytesSent: number };
  video: { bytesReceived: number; bytesSent: number; framesDecoded: number };
  /** Round-trip time of the selected candidate pair, in seconds, once measured. */
  rtt: number | undefined;
  /** Candidate types of the selected pair (host, srflx, prflx, relay). */
  localCandidateType: string | undefined;
  remoteCandidateType: string | undefined;
  /** The selected pair's path: 'relayed' when either end of it is a TURN relay candidate. */
  path: CallPath | undefined;
  /** Our ICE username fragment in use (it changes with an ICE restart), where the browser reports it. */
  iceUfrag: string | undefined;
}

/** How the media travels: straight between the peers (host, srflx, prflx) or through a TURN server. */
export type CallPath = 'direct' | 'relayed';

/** The path of a candidate pair of these types; undefined until both are known. */
export function pathOf(localType: string | undefined, remoteType: string | undefined): CallPath | undefined {
  if (localType === 'relay' || remoteType === 'relay') return 'relayed';
  return localType !== undefined && remoteType !== undefined ? 'direct' : undefined;
}

/**
 * How far the transport has come, for timing a call's setup: our first candidate, gathering complete,
 * ICE checks begun, a candidate pair working (DTLS comes after it; 'state' says when it is done).
 */
export type MediaProgress = 'first-candidate' | 'gathered' | 'ice-checking' | 'ice-connected';

export interface MediaSessionEvents {
  /** A trickled local candidate; candidate '' is end-of-candidates for its mid. */
  localCandidate: CandidateInit;
  state: TransportState;
  /** The local or remote stream changed (a track arrived, the camera was switched). */
  streams: void;
  /** As it happens, maybe more than once (the first counts); a session that reports none is still a MediaSession. */
  progress: MediaProgress;
}

export interface MediaSession {
  readonly options: MediaSessionOptions;
  readonly state: TransportState;
  /** What our camera and microphone capture, once acquired. */
  readonly localStream: MediaStream | undefined;
  /** What the peer sends us, once its tracks arrive. */
  readonly remoteStream: MediaStream | undefined;
  /**
   * Opens the microphone (and camera) and sends what they capture. Idempotent. Offers and answers do
   * not wait for it: the caller chooses when to open the devices.
   */
  prepare(): Promise<void>;
  /** Creates our offer and starts applying it; resolves with its SDP (candidates trickle). */
  createOffer(): Promise<string>;
  /** Applies the peer's offer, creates our answer and starts applying it; resolves with its SDP. */
  acceptOffer(sdp: string): Promise<string>;
  /** Applies the peer's answer to our offer. */
  setAnswer(sdp: string): Promise<void>;
  /** The local description as it is now, with the candidates gathered so far. */
  localDescription(): string | undefined;
  addRemoteCandidate(candidate: CandidateInit): Promise<void>;
  /**
   * Restarts ICE: a new offer with a new ufrag and pwd; resolves with its SDP. The browser session
   * applies it together with the answer (setAnswer), not before.
   */
  restartIce(): Promise<string>;
  /** Whether the last offer/answer exchange is complete (RTCPeerConnection's 'stable'). */
  readonly stable: boolean;
  setMuted(kind: MediaKind, muted: boolean): void;
  isMuted(kind: MediaKind): boolean;
  /** Stops (off) or re-acquires (on) the camera; the peer sees no video while it is off. */
  setCameraOn(on: boolean): Promise<void>;
  readonly cameraOn: boolean;
  stats(): Promise<CallStats>;
  on<K extends keyof MediaSessionEvents>(event: K, listener: (payload: MediaSessionEvents[K]) => void): Unsubscribe;
  /** Stops the tracks and closes the connection. Idempotent. */
  close(): void;
}

export type MediaSessionFactory = (options: MediaSessionOptions) => MediaSession;

export function emptyStats(at = Date.now()): CallStats {
  return {
    at, bytesReceived: 0, bytesSent: 0, packetsReceived: 0, packetsSent: 0, packetsLost: 0,
    audio: { bytesReceived: 0, bytesSent: 0 }, video: { bytesReceived: 0, bytesSent: 0, framesDecoded: 0 },
    rtt: undefined, localCandidateType: undefined, remoteCandidateType: undefined, path: undefined, iceUfrag: undefined,
  };
}
