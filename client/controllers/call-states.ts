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
  /** Whether the call had been answered when it ended (set by the controller): a timeout then is a time limit, not "no answer". */
  answered?: boolean;
}

export { describeEnd, type EndContext } from './call-describe.ts';

/**
 * The reason of our XEP-0353 <finish/>: success for a call hung up, connectivity-error for a lost one
 * (the XEP's examples), the session's own reason otherwise.
 */
export function finishReason(end: EndReason): Reason {
  if (end.condition === 'failed-transport') return { condition: 'connectivity-error' };
  if (end.condition === 'error') return { condition: 'failed-application' };
  return { condition: (REASON_CONDITIONS as readonly string[]).includes(end.condition) ? end.condition as ReasonCondition : 'general-error' };
}
