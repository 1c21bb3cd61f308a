/**
 * The little JID and ordering arithmetic the session table needs, without a JID library.
 */

/**
 * A JID compared as the server compares it: local part and domain case-folded (an approximation of
 * nodeprep/nameprep that covers what clients actually vary), resource kept as sent.
 */
export function normalizeJid(jid: string): string {
  const slash = jid.indexOf('/');
  if (slash < 0) return jid.toLowerCase();
  return jid.slice(0, slash).toLowerCase() + jid.slice(slash);
}

/** The bare JID (local@domain) of a JID, normalized. */
export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

/**
 * "i;octet" collation (RFC 4790 §9.3) over the UTF-8 encodings, which XEP-0166 names for tie breaks:
 * comparing code points gives the order of UTF-8 bytes. JavaScript's `<` compares UTF-16 code units and
 * disagrees above U+FFFF (it sorts U+1F600 before U+FFFD).
 */
export function octetCompare(a: string, b: string): -1 | 0 | 1 {
  let i = 0;
  while (i < a.length && i < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
  }
  if (a.length === b.length) return 0;
  return a.length < b.length ? -1 : 1;
}
