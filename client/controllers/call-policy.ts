/**
 * Whose calls ring (issue 12 item 4), as a pure function. By default only people allowed to see our
 * presence may ring us: a contact whose subscription is 'from' or 'both' (RFC 6121: we approved their
 * subscription). A proposal answered with a receipt, a <ringing/> or a busy tells the caller that this
 * full JID is online, which is exactly what a presence subscription grants and nothing less may learn.
 * Conversations likewise rings only for contacts in the roster, unless its user allows strangers.
 *
 * Also allowed: our own account's other devices, and our component's domain (the echo test peer, never
 * in the roster). A caller who is neither is a stranger: their proposal is dropped without any answer,
 * their Jingle iq gets the service-unavailable a resource without Jingle (or none at all) would give.
 */
import type { Subscription } from './roster.ts';

export type AllowCallsFrom = 'contacts' | 'anyone';

/** What the policy needs to know of the roster (RosterController fits it). */
export interface ContactBook {
  /** Without it, nobody is a contact. */
  contact?(bareJid: string): { subscription: Subscription } | undefined;
}

export interface CallPolicyFacts {
  allow: AllowCallsFrom;
  /** The roster, once there is one; without it only our own account and component may call. */
  contacts: ContactBook | undefined;
  /** Our own bare JID, and our component's domain when known. */
  ownBare: string;
  componentDomain: string | undefined;
}

/** Subscriptions under which a contact may ring us: they may see our presence. */
const MAY_RING: readonly Subscription[] = ['from', 'both'];

const domainOf = (bareJid: string): string => bareJid.slice(bareJid.indexOf('@') + 1);

/** Whether a call from `bareJid` (lowercase bare JID) may ring. */
export function mayRing(bareJid: string, facts: CallPolicyFacts): boolean {
  if (facts.allow === 'anyone' || bareJid === facts.ownBare) return true;
  if (facts.componentDomain !== undefined && domainOf(bareJid) === facts.componentDomain.toLowerCase()) return true;
  const sub = facts.contacts?.contact?.(bareJid)?.subscription;
  return sub !== undefined && MAY_RING.includes(sub);
}
