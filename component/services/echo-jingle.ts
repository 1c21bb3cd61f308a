/**
 * The small Jingle pieces the echo service builds or decides without state: the offer it will answer
 * (or the security refusal), the session-terminate it sends, and session table errors as stanza errors.
 */
import type { Element } from 'ltx';
import {
  NS, buildReason, isTranslateError, jingleModelToSdp, type Jingle, type ReasonCondition, type Sdp, type TranslateError,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import type { Limits } from '../../schemas/limits.ts';
import type { JingleError } from '../sessions/index.ts';
import { stanzaError, type StanzaError } from '../stanza-error.ts';

/** The caller's offer: the SDP text a WebRTC peer applies, and the Session it was written from. */
export interface Offer {
  sdp: string;
  session: Sdp.Session;
}

/**
 * The session-initiate's offer, from the Jingle the service has already parsed (consumed: see
 * jingleModelToSdp), or the TranslateError that refuses it for security (no DTLS fingerprint we can
 * use): such a session is terminated with <security-error/> (XEP-0166), never answered without DTLS.
 * Any other TranslateError is thrown: the router's bad-request.
 */
export function offerOf(jingle: Jingle, limits: Limits): Offer | TranslateError {
  try {
    return jingleModelToSdp(jingle, { role: 'initiator', limits });
  } catch (err) {
    if (isTranslateError(err) && err.condition === 'security-error') return err;
    throw err;
  }
}

/**
 * Whether the offer has a media line to answer: one not rejected (port 0) or bundle-only. The
 * translator turns a content it cannot use into a rejected line and goes on.
 */
export function hasUsableMedia(offer: Sdp.Session): boolean {
  return offer.media.some((m) => m.port !== 0 || m.bundleOnly);
}

export function terminateElement(sid: string, condition: ReasonCondition, text?: string): Element {
  return el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid }, [
    buildReason(text === undefined ? { condition } : { condition, text }),
  ]);
}

/** A session table error as the stanza error it is answered with (XEP-0166 "Error Handling"). */
export function toStanzaError(e: JingleError): StanzaError {
  return stanzaError(e.type, e.condition, e.text, e.jingle ? { name: e.jingle, ns: NS.jingleErrors } : undefined);
}
