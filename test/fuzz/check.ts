// The invariants every fuzzed stanza must keep, as plain checks that throw an Error naming what broke
// (usable from vitest and from scripts/fuzz.ts alike): the reply, the result's content, what the
// services sent, and which sessions moved.
import type { Element } from 'ltx';
import { parse as ltxParse } from 'ltx';
import { NS, parseJingle, parseSdp, parseServices, serializeXml } from '../../schemas/index.ts';
import { isElement, textOf } from '../../schemas/xml.ts';
import { bareOf, domainOf } from '../../component/services/disco.ts';
import { xmppDateTime } from '../../component/services/turn-credentials.ts';
import { DOMAIN, HOSTS } from './stanzas.ts';

/** RFC 6120 section 8.3.3. */
export const CONDITIONS = [
  'bad-request', 'conflict', 'feature-not-implemented', 'forbidden', 'gone', 'internal-server-error', 'item-not-found',
  'jid-malformed', 'not-acceptable', 'not-allowed', 'not-authorized', 'policy-violation', 'recipient-unavailable', 'redirect',
  'registration-required', 'remote-server-not-found', 'remote-server-timeout', 'resource-constraint', 'service-unavailable',
  'subscription-required', 'undefined-condition', 'unexpected-request',
];
const ERROR_TYPES = ['auth', 'cancel', 'continue', 'modify', 'wait'];
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

export type Outcome = { kind: 'result' } | { kind: 'error'; condition: string } | { kind: 'none' };

const elements = (e: Element): Element[] => e.children.filter(isElement);
/** A user of a host we serve (extdisco also wants a localpart; the echo takes the host itself too). */
export const served = (jid: string, user = true): boolean => (!user || jid.includes('@')) && HOSTS.includes(domainOf(jid));

/** The start of a stanza's XML, for a report (it may be too deep to serialize: then its name). */
export function excerpt(e: Element): string {
  try {
    return serializeXml(e).slice(0, 600);
  } catch {
    return `<${e.name}> (not serializable)`;
  }
}

function fail(what: string, stanza?: Element): never {
  throw new Error(stanza ? `${what}\n  in: ${excerpt(stanza)}` : what);
}

/** Not an XML 1.0 `Char` (our own parseXml refuses DEL and C1 controls too, on purpose; XML allows them). */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Element -> text -> element (ltx, as xmpp.js parses) -> text gives the same text: nothing lost or unwritable. */
export function expectRoundTrip(e: Element, what: string): void {
  let text = '';
  let again = '';
  try {
    text = serializeXml(e);
    again = serializeXml(ltxParse(text));
  } catch (err) {
    fail(`${what} is not well-formed XML: ${(err as Error).message}`);
  }
  const bad = NOT_XML.exec(text);
  if (bad) fail(`${what} holds U+${bad[0].charCodeAt(0).toString(16)}, which XML cannot carry`, e);
  if (again !== text) fail(`${what} changed in an XML round trip`, e);
}

/** The error condition of an error reply; throws if the <error/> is not as RFC 6120 section 8.3 has it. */
export function errorCondition(reply: Element): string {
  const errors = elements(reply).filter((c) => c.name === 'error');
  if (errors.length !== 1 || elements(reply).length !== 1) fail('an error reply holds exactly one <error/> and nothing else', reply);
  const error = errors[0]!;
  if (!ERROR_TYPES.includes(String(error.attrs.type))) fail(`error type '${String(error.attrs.type)}'`, reply);
  const inStanzas = elements(error).filter((c) => c.attrs.xmlns === NS.stanzas);
  const conditions = inStanzas.filter((c) => c.name !== 'text');
  if (conditions.length !== 1 || !CONDITIONS.includes(conditions[0]!.name)) fail('an error needs exactly one known condition', reply);
  const texts = inStanzas.filter((c) => c.name === 'text');
  if (texts.length > 1 || texts.some((t) => textOf(t).length > 1024)) fail('at most one short <text/>', reply);
  if (elements(error).length - inStanzas.length > 1) fail('at most one application condition', reply);
  return conditions[0]!.name;
}

/** What the sender had with the echo peer before the stanza, for the checks of a Jingle result. */
export interface Before {
  /** The sender's session with this sid existed. */
  hadSession: boolean;
}

/** The reply to `stanza` is the one the router's contract and the service's promise require. */
export function checkReply(stanza: Element, reply: Element | undefined, before: Before, now: number): Outcome {
  const { type, id, from, to } = stanza.attrs as Record<string, string | undefined>;
  const request = stanza.name === 'iq' && (type === 'get' || type === 'set') && !!id;
  // An iq of another type never gets past the server (Prosody bounces it); if we answer it, with an error.
  const mayAnswer = stanza.name === 'iq' && type !== 'result' && type !== 'error' && !!id;
  if (!request && (!mayAnswer || !reply)) {
    if (reply) fail(`a reply to a stanza that gets none (${stanza.name} type=${String(type)} id=${String(id)})`, stanza);
    return { kind: 'none' };
  }
  if (!reply) fail('no reply to an iq get/set', stanza);
  expectRoundTrip(reply, 'the reply');
  const a = reply.attrs as Record<string, string | undefined>;
  if (reply.name !== 'iq' || a.id !== id || a.to !== from || a.from !== to) {
    fail(`reply addressed wrongly: ${reply.name} id=${String(a.id)} to=${String(a.to)} from=${String(a.from)}`, stanza);
  }
  if (a.type === 'error') return { kind: 'error', condition: errorCondition(reply) };
  if (a.type !== 'result' || !request) fail(`reply of type ${String(a.type)} to an iq of type ${String(type)}`, stanza);
  checkResult(stanza, reply, before, now);
  return { kind: 'result' };
}

/** A result is only given for what a service does, and holds what that service promises. */
function checkResult(stanza: Element, reply: Element, before: Before, now: number): void {
  const from = String(stanza.attrs.from);
  const payload = elements(stanza)[0];
  const out = elements(reply);
  if (!payload || elements(stanza).length !== 1) fail('a result to an iq without exactly one payload', stanza);
  if (out.length > 1) fail('a result with more than one child', reply);
  const key = `${String(stanza.attrs.type)} ${String(payload.attrs.xmlns)} ${payload.name}`;
  const got = out[0];
  switch (key) {
    case 'get urn:xmpp:ping ping':
      if (got) fail('a ping result with a payload', reply);
      return;
    case `get ${DISCO_INFO} query`:
      if (!got || got.attrs.xmlns !== DISCO_INFO || !got.getChild('identity')) fail('disco#info without an identity', reply);
      return;
    case `get ${DISCO_ITEMS} query`:
      if (!got || got.attrs.xmlns !== DISCO_ITEMS) fail('disco#items without a query', reply);
      return;
    case `get ${NS.extdisco} services`: case `get ${NS.extdisco} credentials`: {
      if (!served(from)) fail(`external services for ${from}, a user of a host we do not serve`, stanza);
      if (!got || got.name !== payload.name) fail('extdisco result without its element', reply);
      for (const s of parseServices(got)) {
        if (s.username === undefined) continue;
        const [expiry, user] = s.username.split(':');
        if (user !== bareOf(from)) fail(`TURN username ${s.username} is not for ${bareOf(from)}`, reply);
        if (s.expires !== xmppDateTime(Number(expiry)) || Number(expiry) * 1000 <= now) fail(`TURN expiry ${s.username} / ${String(s.expires)}`, reply);
      }
      return;
    }
    case `get ${NS.translate} translate`: {
      const inner = got && got.name === 'translate' ? elements(got) : [];
      if (inner.length !== 1) fail('a translate result holds one <jingle/> or one <sdp/>', reply);
      const out = inner[0]!;
      if (out.name !== 'jingle' && out.name !== 'sdp') fail(`translate result with <${out.name}/>`, reply);
      // What the translator writes, it reads back.
      try {
        if (out.name === 'jingle') parseJingle(out);
        else parseSdp(textOf(out));
      } catch (err) {
        fail(`translate wrote ${out.name === 'jingle' ? 'Jingle that parseJingle' : 'SDP that parseSdp'} refuses: ${(err as Error).message}`, stanza);
      }
      return;
    }
    case `set ${NS.jingle} jingle`: {
      if (got) fail('a Jingle result with a payload', reply);
      if (!served(from, false)) fail(`a Jingle result for ${from}, a user of a host we do not serve`, stanza);
      if (payload.attrs.action !== 'session-initiate' && !before.hadSession) {
        fail(`${String(payload.attrs.action)} accepted for a session ${from} does not have`, stanza);
      }
      return;
    }
    default:
      fail(`a result for ${key}, which no service handles`, stanza);
  }
}

/** What the services sent on their own: well-formed, from our domain, to users of the hosts we serve. */
export function checkSent(sent: readonly Element[]): void {
  for (const s of sent) {
    expectRoundTrip(s, `a sent <${s.name}/>`);
    const { from, to, type, id } = s.attrs as Record<string, string | undefined>;
    if (!['iq', 'message', 'presence'].includes(s.name)) fail(`sent a <${s.name}/>`, s);
    if (!from || domainOf(from) !== DOMAIN) fail(`sent from ${String(from)}, not from our domain`, s);
    if (!to || !served(to, false)) fail(`sent to ${String(to)}, not a user of a host we serve`, s);
    if (s.name === 'iq' && (type !== 'set' || !id || elements(s).length !== 1)) fail('sent an iq that is not a set with an id and one payload', s);
  }
}
