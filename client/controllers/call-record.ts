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
import { StepMarks, type CallTimings } from './call-timing.ts';

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
  /**
   * How long a call may take from its session starting (we proceed or accept, or the callee accepts our
   * direct session-initiate) to a working transport before it ends with failed-transport. Default 30 s.
   */
  connectTimeoutMs?: number;
  /**
   * Whose calls ring: 'contacts' (default) rings only for contacts with a presence subscription and our
   * own component (the echo test); everyone else's proposals and session-initiates are refused silently
   * (call-policy.ts). 'anyone' rings for every caller.
   */
  allowCallsFrom?: 'contacts' | 'anyone';
  /** Receives the steps of each call's setup as they happen (call-timing.ts; for bench:call). */
  timings?: CallTimings;
  /** The clock (ms since the epoch) for the call summary's times. Default Date.now. */
  now?: () => number;
  log?: (message: string, err?: unknown) => void;
}

/** A call once it is over, for the call history and the view: fired once per call (CallController.onEnded). */
export interface CallSummary {
  sid: string;
  /** The other party's bare JID. */
  peer: string;
  direction: 'incoming' | 'outgoing';
  media: MediaChoice;
  /** The echo test call. */
  test: boolean;
  /** When it was proposed, or began to ring here (ms since the epoch). */
  startedAt: number;
  /** When its media first connected, if ever. */
  connectedAt?: number;
  endedAt: number;
  reason: EndReason;
  /**
   * Incoming and never answered, here or on another device, nor refused by us: the caller gave up, it
   * rang out, or we went offline while it rang.
   */
  missed: boolean;
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
  /** When it was proposed or began to ring (ms since the epoch), and when its media first connected. */
  startedAt: number;
  connectedAt: number | undefined;
  /** It was answered: the callee proceeded or accepted (calling), or we did here (called). */
  answered: boolean;
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
  /** Our own end in progress (endNow): the session's report of its end, which comes first, defers to it. */
  closing: EndReason | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Runs from the session's start to its first working transport (connectTimeoutMs). */
  connectTimer: ReturnType<typeof setTimeout> | undefined;
  statsTimer: ReturnType<typeof setInterval> | undefined;
  /** Its setup's steps, for a timings sink. */
  marks: StepMarks;
}

export function newCall(
  sid: string, direction: Call['direction'], peer: string, peerFull: string | undefined, local: string | undefined, media: MediaChoice, test = false, startedAt = Date.now(),
): Call {
  return {
    sid, direction, peer, peerFull, local, media, test, startedAt, connectedAt: undefined, answered: false, peerRinging: false, peerMuted: { audio: false, video: false },
    rtc: undefined, ready: undefined, offer: undefined, session: undefined, jmi: false, initiate: undefined, early: [], stats: undefined, ended: undefined, closing: undefined,
    timer: undefined, connectTimer: undefined, statsTimer: undefined, marks: new StepMarks(sid, () => undefined),
  };
}

/** Endings of ours that are an answer to a ringing call (a refusal), not a missed call. */
const REFUSALS: readonly EndReason['condition'][] = ['decline', 'busy', 'security-error'];

/** The summary of an ended call. */
export function summarize(c: Call, reason: EndReason, endedAt: number): CallSummary {
  const elsewhere = reason.by === 'other-device';
  const refused = reason.by === 'us' && REFUSALS.includes(reason.condition);
  const missed = c.direction === 'incoming' && !c.answered && c.connectedAt === undefined && !elsewhere && !refused;
  return {
    sid: c.sid, peer: c.peer, direction: c.direction, media: { ...c.media }, test: c.test, startedAt: c.startedAt,
    ...(c.connectedAt !== undefined ? { connectedAt: c.connectedAt } : {}), endedAt, reason: { ...reason }, missed,
  };
}
