/**
 * JIDs as the client needs them (RFC 7622, without full PRECIS: the server normalises): split, bare,
 * and a check good enough to refuse what a user mistypes before we try to connect.
 */
export interface Jid {
  local: string;
  domain: string;
  resource: string | undefined;
}

export class JidError extends Error {
  override readonly name = 'JidError';
}

const FORBIDDEN_LOCAL = /["&'/:<>@\s]/;

/** Parses `local@domain/resource`; throws JidError for an empty part, a bad character or a part over 1023 bytes. */
export function parseJid(text: string): Jid {
  const s = text.trim();
  const slash = s.indexOf('/');
  const bare = slash < 0 ? s : s.slice(0, slash);
  const resource = slash < 0 ? undefined : s.slice(slash + 1);
  const at = bare.lastIndexOf('@');
  const local = at < 0 ? '' : bare.slice(0, at);
  const domain = (at < 0 ? bare : bare.slice(at + 1)).toLowerCase().replace(/\.$/, '');
  if (at >= 0 && (local === '' || FORBIDDEN_LOCAL.test(local))) throw new JidError(`bad JID "${text}": bad local part`);
  if (!/^[^\s@/]+$/.test(domain) || domain.startsWith('.') || domain.includes('..')) throw new JidError(`bad JID "${text}": bad domain`);
  if (resource !== undefined && resource === '') throw new JidError(`bad JID "${text}": empty resource`);
  for (const part of [local, domain, resource ?? '']) {
    if (new TextEncoder().encode(part).length > 1023) throw new JidError(`bad JID "${text}": a part is too long`);
  }
  return { local, domain, resource };
}

/** A user's JID for logging in: must have a local part and a domain. */
export function parseAccountJid(text: string): Jid {
  const jid = parseJid(text);
  if (jid.local === '') throw new JidError(`bad JID "${text}": expected user@domain`);
  return jid;
}

export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

export function resourceOf(jid: string): string | undefined {
  const slash = jid.indexOf('/');
  return slash < 0 ? undefined : jid.slice(slash + 1);
}

export function formatJid(jid: Jid): string {
  return `${jid.local ? `${jid.local}@` : ''}${jid.domain}${jid.resource === undefined ? '' : `/${jid.resource}`}`;
}
