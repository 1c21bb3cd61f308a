/**
 * The call's states as the user sees them, and the table of allowed moves (SIP.js's pattern: an illegal
 * move is an error that names both states).
 *
 *   idle --call()--> proposing --proceed--> connecting --media--> connected
 *   idle --propose / session-initiate--> ringing --accept()--> connecting
 *   connected --transport failed--> connecting (ICE restart) --media--> connected
 *   any live state --hang up, decline, retract, terminate, failure--> ended(reason)
 *   ended --a new call--> proposing | ringing, or --dismiss()--> idle
 */
import { REASON_CONDITIONS, type Reason, type ReasonCondition } from '../../schemas/index.ts';

export const CallState = {
  Idle: 'idle',
  Proposing: 'proposing',
  Ringing: 'ringing',
  Connecting: 'connecting',
  Connected: 'connected',
  Ended: 'ended',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];

const MOVES: Readonly<Record<CallState, readonly CallState[]>> = {
  idle: ['proposing', 'ringing'],
  proposing: ['connecting', 'ended'],
  ringing: ['connecting', 'ended'],
  connecting: ['connected', 'ended'],
  connected: ['connecting', 'ended'],
  ended: ['idle', 'proposing', 'ringing'],
};

export class CallStateError extends Error {
  override readonly name = 'CallStateError';
  constructor(readonly from: CallState, readonly to: CallState) {
    super(`a call cannot go from '${from}' to '${to}'`);
  }
}

export function canMove(from: CallState, to: CallState): boolean {
  return MOVES[from].includes(to);
}

export function checkMove(from: CallState, to: CallState): void {
  if (!canMove(from, to)) throw new CallStateError(from, to);
}

/** Why a call ended: a XEP-0166 reason, or one of the JMI outcomes that have none. */
export type EndCondition = ReasonCondition | 'answered-elsewhere' | 'declined-elsewhere' | 'retracted' | 'error';

export interface EndReason {
  condition: EndCondition;
  /** Who ended it: we, the peer, or another device of ours. */
  by: 'us' | 'peer' | 'other-device';
  /** The peer's <text/>, or our error's message. */
  text?: string;
}

const LABELS: Partial<Record<EndCondition, string>> = {
  success: 'hung up',
  decline: 'declined',
  busy: 'busy',
  cancel: 'cancelled',
  retracted: 'cancelled',
  timeout: 'no answer',
  expired: 'time limit reached',
  gone: 'gone',
  'connectivity-error': 'connection failed',
  'failed-transport': 'connection failed',
  'failed-application': 'media failed',
  'media-error': 'media failed',
  'security-error': 'security error',
  'general-error': 'error',
  'unsupported-applications': 'unsupported media',
  'unsupported-transports': 'unsupported transport',
  'incompatible-parameters': 'incompatible media',
  'answered-elsewhere': 'answered on another device',
  'declined-elsewhere': 'declined on another device',
  error: 'error',
};

/** The words shown after "ended: ". */
export function describeEnd(reason: EndReason): string {
  // Ours: we refused an offer or answer without a usable DTLS fingerprint (call-jingle.ts remoteSdp).
  if (reason.condition === 'security-error' && reason.by === 'us') return 'the other side offered no secure connection';
  return LABELS[reason.condition] ?? reason.condition;
}

/**
 * The reason of our XEP-0353 <finish/>: success for a call hung up, connectivity-error for a lost one
 * (the XEP's examples), the session's own reason otherwise.
 */
export function finishReason(end: EndReason): Reason {
  if (end.condition === 'failed-transport') return { condition: 'connectivity-error' };
  if (end.condition === 'error') return { condition: 'failed-application' };
  return { condition: (REASON_CONDITIONS as readonly string[]).includes(end.condition) ? end.condition as ReasonCondition : 'general-error' };
}
