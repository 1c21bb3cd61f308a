/**
 * XEP-0166: Jingle, https://xmpp.org/extensions/xep-0166.html (v1.1), "Error Handling" and the error examples
 * of "Session Flow": the errors a Jingle IQ-set is answered with, as values. The service turns one into an
 * <error/> (stanza condition in urn:ietf:params:xml:ns:xmpp-stanzas, Jingle condition in
 * urn:xmpp:jingle:errors:1); nothing here builds XML.
 *
 * Error types follow the XEP's examples where it has one (unknown-session, tie-break: cancel;
 * unsupported-info: modify; resource-constraint: wait; bad-request: cancel). It has none for out-of-order,
 * so RFC 6120 §8.3.3.22 decides ("wait" or "modify"); we send "wait", as Conversations does.
 */
import type { JingleAction, JingleErrorCondition, Role } from '../../schemas/jingle/xep0166-types.ts';

export type ErrorType = 'cancel' | 'modify' | 'wait';

/** The stanza error conditions a Jingle session answers with. */
export type StanzaCondition =
  | 'bad-request' | 'conflict' | 'feature-not-implemented' | 'item-not-found'
  | 'resource-constraint' | 'service-unavailable' | 'unexpected-request';

export interface JingleError {
  readonly type: ErrorType;
  readonly condition: StanzaCondition;
  /** The Jingle-specific condition (urn:xmpp:jingle:errors:1), when there is one. */
  readonly jingle?: JingleErrorCondition;
  readonly text?: string;
}

/**
 * The sid names no session this sender has with us, or one that has ended. Also the answer to a stranger
 * using another pair's sid: the reply must not reveal that the session exists.
 */
export function unknownSession(): JingleError {
  return { type: 'cancel', condition: 'item-not-found', jingle: 'unknown-session' };
}

/** The action cannot occur in this state (e.g. session-initiate after session-accept). */
export function outOfOrder(state: string, action: JingleAction, sender?: Role): JingleError {
  const by = sender === undefined ? '' : ` from the ${sender}`;
  return {
    type: 'wait',
    condition: 'unexpected-request',
    jingle: 'out-of-order',
    text: `${action}${by} is not allowed in state ${state}`,
  };
}

/** Both parties sent the same request at once and ours overrules theirs ("Tie Breaking"). */
export function tieBreak(): JingleError {
  return { type: 'cancel', condition: 'conflict', jingle: 'tie-break' };
}

/** An informational payload (session-info, description-info, transport-info) we do not understand. */
export function unsupportedInfo(): JingleError {
  return { type: 'modify', condition: 'feature-not-implemented', jingle: 'unsupported-info' };
}

/** The request is malformed (no content in session-initiate or session-accept, role attributes wrong). */
export function badRequest(text: string): JingleError {
  return { type: 'cancel', condition: 'bad-request', text };
}

/** We lack the resources for another session (our session limits). */
export function resourceConstraint(text: string): JingleError {
  return { type: 'wait', condition: 'resource-constraint', text };
}

/** We do not talk Jingle with this initiator (policy), or do not support Jingle here. */
export function serviceUnavailable(): JingleError {
  return { type: 'cancel', condition: 'service-unavailable' };
}
