/**
 * Addresses and identifiers for the chat controller: the domain of an account (where the server's
 * features are discovered), what may name a chat partner, and random stanza ids.
 */
import { bareJid } from '../xmpp/jid.ts';

export { bareJid };

/** The domain of a JID: `alice@localhost/web` -> `localhost`. */
export function domainOf(jid: string): string {
  const bare = bareJid(jid);
  return bare.slice(bare.indexOf('@') + 1);
}

/** True for something that can name a 1:1 chat partner: a bare JID, no spaces or control characters. */
export function isBareJid(jid: string): boolean {
  return jid.length > 0 && jid.length <= 3071 && !jid.includes('/') && !/[\s\u0000-\u001f<>"']/.test(jid);
}

/**
 * A random id for stanzas and MAM queries (128 bits, base 36). `crypto.getRandomValues` exists in
 * browsers outside secure contexts too, unlike `crypto.randomUUID`.
 */
export function newId(): string {
  const words = crypto.getRandomValues(new Uint32Array(4));
  let id = '';
  for (const w of words) id += w.toString(36).padStart(7, '0');
  return id;
}
