/**
 * The XEP-0166 session state machine and session table: pure, no I/O, no timers. The service (echo peer,
 * later rooms) feeds it parsed Jingle and answers with what it returns.
 */
export {
  badRequest, outOfOrder, resourceConstraint, serviceUnavailable, tieBreak, unknownSession, unsupportedInfo,
  type ErrorType, type JingleError, type StanzaCondition,
} from './errors.ts';
export { bareJid, normalizeJid, octetCompare } from './jid.ts';
export {
  EVENT_OF, IN_SESSION_ACTIONS, SESSION_STATES, SessionState, TRANSITIONS, move, type EventKind, type Move,
} from './states.ts';
export {
  SessionTable, sessionKey,
  type Expired, type JingleRequest, type Result, type SessionEvent, type SessionTableOptions, type SessionView,
} from './table.ts';
