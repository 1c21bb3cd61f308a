/**
 * Ephemeral TURN credentials in coturn's REST form (`use-auth-secret`, the TURN REST API draft):
 * username `<unix expiry>:<user>`, password base64(HMAC-SHA1(secret, username)). coturn recomputes the
 * password from the username and refuses it once the expiry has passed, so nothing is stored here.
 */
import { createHmac } from 'node:crypto';

export interface TurnCredentials {
  username: string;
  password: string;
  /** Unix seconds. */
  expiry: number;
}

export function turnCredentials(secret: string, user: string, ttlSeconds: number, nowMs: number): TurnCredentials {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expiry };
}

/** XMPP date-time (XEP-0082) for an expiry in unix seconds, as XEP-0215's `expires` wants. */
export function xmppDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
