/**
 * XEP-0166: Jingle, https://xmpp.org/extensions/xep-0166.html (schema of v1.1; see schemas/xsd/README.md): the names the envelope uses,
 * as `as const` objects with their union types, shared by every other module.
 */
export const JINGLE_ACTIONS = [
  'content-accept', 'content-add', 'content-modify', 'content-reject', 'content-remove',
  'description-info', 'security-info', 'session-accept', 'session-info', 'session-initiate',
  'session-terminate', 'transport-accept', 'transport-info', 'transport-reject', 'transport-replace',
] as const;
export type JingleAction = (typeof JINGLE_ACTIONS)[number];

export const ROLES = ['initiator', 'responder'] as const;
export type Role = (typeof ROLES)[number];
export type Creator = Role;

export const SENDERS = ['both', 'initiator', 'none', 'responder'] as const;
export type Senders = (typeof SENDERS)[number];

export const REASON_CONDITIONS = [
  'alternative-session', 'busy', 'cancel', 'connectivity-error', 'decline', 'expired',
  'failed-application', 'failed-transport', 'general-error', 'gone', 'incompatible-parameters',
  'media-error', 'security-error', 'success', 'timeout', 'unsupported-applications',
  'unsupported-transports',
] as const;
export type ReasonCondition = (typeof REASON_CONDITIONS)[number];

/** Jingle-specific error conditions (urn:xmpp:jingle:errors:1), sent beside a stanza error. */
export const JINGLE_ERRORS = ['out-of-order', 'tie-break', 'unknown-session', 'unsupported-info'] as const;
export type JingleErrorCondition = (typeof JINGLE_ERRORS)[number];
