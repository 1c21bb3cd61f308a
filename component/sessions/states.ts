/**
 * XEP-0166: Jingle, https://xmpp.org/extensions/xep-0166.html (v1.1), "Overall Session Management": the
 * session states and the table of allowed moves, keyed by (state, action, sender's role).
 *
 *   (none)  --session-initiate-->  PENDING  --session-accept (responder)-->  ACTIVE
 *   PENDING, ACTIVE  --session-terminate (either)-->  ENDED
 *   PENDING, ACTIVE  --every other action but session-initiate (either)-->  same state
 *
 * The XEP allows every negotiation action while PENDING ("it is allowed to send all actions while in the
 * PENDING state"), so content-*, description-info, security-info, session-info and transport-* do not wait
 * for session-accept. Refused moves: session-initiate on a live session, session-accept from the initiator
 * or on an ACTIVE session (out-of-order); anything on an ENDED session (unknown-session).
 */
import type { JingleAction, Role } from '../../schemas/jingle/xep0166-types.ts';
import { outOfOrder, unknownSession, type JingleError } from './errors.ts';

export const SessionState = { Pending: 'pending', Active: 'active', Ended: 'ended' } as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];
export const SESSION_STATES: readonly SessionState[] = Object.values(SessionState);

/** Actions that negotiate inside a live session: allowed from either party, state unchanged. */
export const IN_SESSION_ACTIONS = [
  'content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove',
  'description-info', 'security-info', 'session-info',
  'transport-accept', 'transport-info', 'transport-reject', 'transport-replace',
] as const satisfies readonly JingleAction[];

type Moves = Readonly<Partial<Record<JingleAction, Readonly<Partial<Record<Role, SessionState>>>>>>;

const either = (next: SessionState) => ({ initiator: next, responder: next }) as const;
const stay = (state: SessionState): Moves =>
  Object.fromEntries(IN_SESSION_ACTIONS.map((a) => [a, either(state)]));

/** The allowed moves: TRANSITIONS[state][action][sender] is the next state; no entry, no move. */
export const TRANSITIONS: Readonly<Record<SessionState, Moves>> = {
  pending: {
    ...stay('pending'),
    'session-accept': { responder: 'active' },
    'session-terminate': either('ended'),
  },
  active: {
    ...stay('active'),
    'session-terminate': either('ended'),
  },
  ended: {},
};

export type Move = { ok: true; next: SessionState } | { ok: false; error: JingleError };

/**
 * The move `sender` makes by sending `action` on a session in `state` (`undefined`: no such session).
 * An illegal move is an error value naming the state, the action and the sender.
 */
export function move(state: SessionState | undefined, action: JingleAction, sender: Role): Move {
  if (state === undefined) {
    return action === 'session-initiate' ? { ok: true, next: 'pending' } : { ok: false, error: unknownSession() };
  }
  if (state === 'ended') return { ok: false, error: unknownSession() };
  const next = TRANSITIONS[state][action]?.[sender];
  return next === undefined ? { ok: false, error: outOfOrder(state, action, sender) } : { ok: true, next };
}

/** What happened, in the words the service reacts to. */
export type EventKind = 'initiated' | 'accepted' | 'terminated' | 'transport-info' | 'info' | 'content' | 'transport';

export const EVENT_OF: Readonly<Record<JingleAction, EventKind>> = {
  'session-initiate': 'initiated',
  'session-accept': 'accepted',
  'session-terminate': 'terminated',
  'transport-info': 'transport-info',
  'session-info': 'info',
  'description-info': 'info',
  'security-info': 'info',
  'content-accept': 'content',
  'content-add': 'content',
  'content-modify': 'content',
  'content-reject': 'content',
  'content-remove': 'content',
  'transport-accept': 'transport',
  'transport-reject': 'transport',
  'transport-replace': 'transport',
};
