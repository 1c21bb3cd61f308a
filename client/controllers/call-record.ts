/**
 * The call controller's records: its options, its errors, and what it keeps of the one call in
 * progress, from the proposal (or a session-initiate without one) to the end.
 */
import type { Element } from 'ltx';
import type { ReactiveControllerHost } from 'lit';
import type { Jingle } from '../../schemas/index.ts';
import type { CallStats, MediaChoice, MediaKind, MediaSession, MediaSessionFactory } from '../rtc/media-session.ts';
import type { PeerDirectory } from './call-route.ts';
import type { CallSession } from './call-session.ts';
import type { EndReason } from './call-states.ts';

export interface CallOptions {
  host?: ReactiveControllerHost;
  createMedia: MediaSessionFactory;
  /** Our component's domain (for TURN credentials and the echo test call); discovered if not given. */
  componentDomain?: string;
  /** 'relay' forces calls through TURN. */
  iceTransportPolicy?: 'all' | 'relay';
  /** How long a call may ring unanswered (ms). Default 60 s. */
  ringTimeoutMs?: number;
  /** How often quality is read while in a call (ms). Default 1 s. */
  statsIntervalMs?: number;
  requestTimeoutMs?: number;
  /** How long a connected call may go without media before it ends (see CallSession). Default 30 s. */
  recoverMs?: number;
  /**
   * The contacts' online resources and their caps (the roster), to call a callee without JMI with a direct
   * session-initiate (call-route.ts). Without it every call is a JMI proposal.
   */
  peers?: () => PeerDirectory | undefined;
  /** How long a call waits for a resource's disco#info before counting its features as unknown. Default 3 s. */
  capsTimeoutMs?: number;
  log?: (message: string, err?: unknown) => void;
}

export class CallError extends Error {
  override readonly name = 'CallError';
  /** 'unsupported': the callee is online, but none of its devices takes Jingle calls of this media. */
  constructor(readonly condition: 'busy' | 'offline' | 'no-call' | 'no-echo' | 'unsupported', message: string) {
    super(message);
  }
}

/** One call, from proposal (or a session-initiate without one) to its end. */
export interface Call {
  sid: string;
  direction: 'outgoing' | 'incoming';
  /** The peer's bare JID; its full JID once known (propose, proceed or session-initiate). */
  peer: string;
  peerFull: string | undefined;
  /** Our full JID when the call began: the address the peer's stanzas about it go to. */
  local: string | undefined;
  media: MediaChoice;
  test: boolean;
  peerRinging: boolean;
  peerMuted: Record<MediaKind, boolean>;
  rtc: MediaSession | undefined;
  /** Settles when the MediaSession exists (and, calling, has made our offer). */
  ready: Promise<void> | undefined;
  offer: string | undefined;
  session: CallSession | undefined;
  /** Whether XEP-0353 set the call up (then both ends send <finish/> when its session ends). */
  jmi: boolean;
  /** The peer's session-initiate while it waits: for accept() (ringing), or for our media (answering). */
  initiate: { jingle: Jingle; element: Element } | undefined;
  /** The peer's transport-infos that came while its session-initiate waited, applied after it. */
  early: { jingle: Jingle; element: Element }[];
  stats: CallStats | undefined;
  ended: EndReason | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  statsTimer: ReturnType<typeof setInterval> | undefined;
}

export function newCall(
  sid: string, direction: Call['direction'], peer: string, peerFull: string | undefined, local: string | undefined, media: MediaChoice, test = false,
): Call {
  return {
    sid, direction, peer, peerFull, local, media, test, peerRinging: false, peerMuted: { audio: false, video: false },
    rtc: undefined, ready: undefined, offer: undefined, session: undefined, jmi: false, initiate: undefined, early: [], stats: undefined, ended: undefined,
    timer: undefined, statsTimer: undefined,
  };
}
