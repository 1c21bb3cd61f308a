// What the component fuzzer feeds the router: an `Input` is plain data (indexes, a sid, mutations) that
// fast-check generates and shrinks; `buildStanza` turns it into a fresh stanza: valid Jingle from the
// real SDP fixtures and its mutations, JMI messages, presence, disco, extdisco, translate, responses.
import { readFileSync, readdirSync } from 'node:fs';
import fc, { type Arbitrary } from 'fast-check';
import type { Element } from 'ltx';
import {
  JINGLE_ACTIONS, JMI_ACTIONS, NS, REASON_CONDITIONS, buildJmiMessage, buildReason, candidatesToTransportInfo, sdpToJingle,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { CAPS_NODE } from '../../component/services/disco.ts';
import { SDP_MUTATIONS, XML_MUTATIONS, copy as clone, garbageValue, mutateSdp, mutateXml, mutations, type Mutation } from './mutate.ts';

export const DOMAIN = 'jingle.example.com';
export const HOSTS = ['example.com', 'example.net'];
export const TURN_HOST = 'turn.example.com';
export const ECHO_BARE = `echo@${DOMAIN}`;
export const ECHO_FULL = `${ECHO_BARE}/echo`;
/** Holds the target sessions that nobody else may move. */
export const OWNER = 'alice@example.com/phone';
export const TARGET_SIDS = ['target-1', 'target-2'];
/** Who sends: the owner, her other device, users of our hosts, a user of another domain, a server. */
export const SENDERS = [OWNER, 'alice@example.com/laptop', 'bob@example.com/desk', 'mallory@example.net/x', 'eve@evil.example/y', 'example.com'];
/** Where stanzas arrive: all on our domain (the server routes nothing else to us). */
export const ADDRESSES = [ECHO_FULL, ECHO_BARE, `${ECHO_BARE}/other`, DOMAIN, `nobody@${DOMAIN}`, `${DOMAIN}/res`];
/** Weighted by repetition: the targets and a few sids recur, so sequences act on the sessions they start. */
const SIDS = [...TARGET_SIDS, ...TARGET_SIDS, 's1', 's1', 's1', 's2', 'a', '', ' ', 'x'.repeat(300)];
/** Indexes into SENDERS, weighted: the owner, bob and mallory send most. */
const FROM = [0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 4, 5];

const FIXTURES = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const files = readdirSync(FIXTURES).sort();
const read = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
export const OFFERS = files.filter((f) => f.endsWith('-offer.sdp')).map(read);
export const ANSWERS = files.filter((f) => f.endsWith('-answer.sdp')).map(read);
const CANDIDATES = files.filter((f) => f.endsWith('.candidates')).map((f) => read(f).split('\n').filter((l) => l.startsWith('candidate:')));
export const OFFER_JINGLE = OFFERS.map((s) => sdpToJingle(s, { role: 'initiator', sid: 'base' }));
const ANSWER_JINGLE = ANSWERS.map((s) => sdpToJingle(s, { role: 'responder', action: 'session-accept', sid: 'base' }));
/** A fixture's candidates, one content per ICE ufrag (a file may hold several m-lines' worth). */
const TRICKLE = CANDIDATES.map((lines) => {
  const ufrags = [...new Set(lines.map((l) => / ufrag (\S+)/.exec(l)?.[1] ?? ''))];
  return candidatesToTransportInfo(lines.map((candidate) => ({ candidate, sdpMid: String(ufrags.indexOf(/ ufrag (\S+)/.exec(candidate)?.[1] ?? '')) })), { sid: 'base' });
});

export const KINDS = ['jingle', 'jmi', 'presence', 'disco', 'extdisco', 'translate', 'response', 'junk', 'ping', 'tick'] as const;
export type Kind = (typeof KINDS)[number];

export interface Input {
  kind: Kind;
  from: number;
  to: number;
  type: number;
  flavor: number;
  base: number;
  action: number;
  sid: string;
  id: string | undefined;
  /** On the whole stanza (from and to are stamped again afterwards, as the server does). */
  xml: Mutation[];
  /** On the SDP of a translate request. */
  sdp: Mutation[];
  /** Sent this many times in a row: a flood. */
  times: number;
}

const weighted = fc.oneof(
  { weight: 8, arbitrary: fc.constant('jingle' as const) }, { weight: 3, arbitrary: fc.constant('jmi' as const) },
  { weight: 2, arbitrary: fc.constant('presence' as const) }, { weight: 2, arbitrary: fc.constant('disco' as const) },
  { weight: 2, arbitrary: fc.constant('extdisco' as const) }, { weight: 3, arbitrary: fc.constant('translate' as const) },
  { weight: 1, arbitrary: fc.constant('response' as const) }, { weight: 1, arbitrary: fc.constant('junk' as const) },
  { weight: 1, arbitrary: fc.constant('ping' as const) }, { weight: 1, arbitrary: fc.constant('tick' as const) },
);

export const input: Arbitrary<Input> = fc.record({
  kind: weighted,
  from: fc.nat(), to: fc.nat(), type: fc.nat(), flavor: fc.nat(), base: fc.nat(), action: fc.nat(),
  sid: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SIDS) }, { weight: 1, arbitrary: garbageValue }),
  id: fc.oneof({ weight: 12, arbitrary: fc.constant('f1') }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: garbageValue }),
  xml: fc.oneof({ weight: 2, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: mutations(XML_MUTATIONS) }),
  sdp: fc.oneof({ weight: 1, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 1, arbitrary: mutations(SDP_MUTATIONS) }),
  times: fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 30 }) }),
});

/** A short sequence of inputs, fed to one fresh component. */
export const sequence: Arbitrary<Input[]> = fc.array(input, { minLength: 1, maxLength: 12 });

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
export const senderOf = (i: Input): string => SENDERS[pick(FROM, i.from)]!;

function iq(i: Input, to: string, types: readonly string[], payload?: Element): Element {
  const attrs: Record<string, string> = { type: pick(types, i.type), from: senderOf(i), to };
  if (i.id !== undefined) attrs.id = i.id;
  return el('iq', attrs, payload ? [payload] : []);
}

function jinglePayload(i: Input): Element {
  const variant = i.flavor % 6;
  const j = variant === 0 ? clone(pick(OFFER_JINGLE, i.base))
    : variant === 1 ? clone(pick(ANSWER_JINGLE, i.base))
      : variant === 2 ? clone(pick(TRICKLE, i.base))
        : el('jingle', { xmlns: NS.jingle, action: variant === 3 ? 'session-terminate' : variant === 4 ? 'session-info' : 'transport-info' });
  if (variant === 3) j.cnode(buildReason({ condition: pick(REASON_CONDITIONS, i.base) }));
  if (variant === 4) j.cnode(el(pick(['ringing', 'mute', 'active', 'hold', 'unknown'], i.base), { xmlns: i.base % 5 === 4 ? 'urn:example:info' : NS.rtpInfo }));
  if (i.action % 3 === 0) j.attrs.action = i.action % 31 === 0 ? 'no-such-action' : pick(JINGLE_ACTIONS, i.action);
  j.attrs.sid = i.sid;
  if (j.attrs.action === 'session-initiate' && i.action % 2 === 0) j.attrs.initiator = senderOf(i);
  return j;
}

function translatePayload(i: Input): Element {
  const attrs: Record<string, string> = { xmlns: NS.translate };
  const role = pick(['initiator', 'responder', 'initiator', undefined, 'both'], i.flavor);
  if (role !== undefined) attrs.role = role;
  if (i.action % 4 === 1) attrs.action = pick([...JINGLE_ACTIONS, 'bogus'], i.action);
  if (i.action % 5 === 2) attrs.sid = i.sid;
  const child = i.base % 3 === 2 ? mutateXml(clone(pick(OFFER_JINGLE, i.base)), i.sdp.map((m) => ({ ...m, kind: pick(XML_MUTATIONS, m.a + m.b) })))
    : el('sdp', {});
  if (child.name === 'sdp') child.children.push(mutateSdp(pick(i.base % 3 === 0 ? OFFERS : ANSWERS, i.base), i.sdp));
  return el('translate', attrs, i.flavor % 13 === 5 ? [child, clone(child)] : [child]);
}

function extdiscoPayload(i: Input): Element {
  const query = i.flavor % 2 === 0 ? 'services' : 'credentials';
  const attrs: Record<string, string> = { xmlns: NS.extdisco };
  if (i.action % 3 === 1) attrs.type = pick(['stun', 'turn', 'turns', 'x'], i.action);
  const payload = el(query, attrs);
  if (query === 'credentials' && i.base % 4 !== 3) {
    const service: Record<string, string> = { type: pick(['turn', 'stun', 'turn', 'x'], i.base), host: pick([TURN_HOST, TURN_HOST, 'other.example'], i.type) };
    if (i.base % 5 === 1) service.port = pick(['3478', '1', 'x'], i.action);
    payload.cnode(el('service', service));
  }
  return payload;
}

/** The stanza of one input, or undefined for a clock tick. */
export function buildStanza(i: Input): Element | undefined {
  const to = pick(ADDRESSES, i.to);
  const echo = pick([ECHO_FULL, ECHO_FULL, ECHO_FULL, ECHO_FULL, ECHO_BARE, to], i.to);
  let stanza: Element;
  switch (i.kind) {
    case 'tick': return undefined;
    case 'jingle': stanza = iq(i, echo, ['set', 'set', 'set', 'set', 'set', 'set', 'set', 'set', 'get', 'result', 'x'], jinglePayload(i)); break;
    case 'jmi': {
      const jmi = { action: pick(JMI_ACTIONS, i.action), id: i.sid, media: pick([['audio'], ['audio', 'video'], []], i.flavor) };
      stanza = buildJmiMessage(jmi, { to: pick([ECHO_BARE, ECHO_BARE, to], i.to), id: i.id ?? 'm', store: i.flavor % 2 === 0, receipt: i.base % 2 === 0 });
      stanza.attrs.type = pick(['chat', 'chat', 'normal', 'error', 'groupchat'], i.type);
      break;
    }
    case 'presence': {
      const type = pick(['subscribe', 'probe', 'unsubscribe', undefined, 'unavailable', 'subscribed', 'error', 'x'], i.flavor);
      stanza = el('presence', { from: '', to: pick([ECHO_BARE, ECHO_FULL, to], i.to), ...(type ? { type } : {}) });
      break;
    }
    case 'disco': {
      const node = pick([undefined, undefined, `${CAPS_NODE}#x`, ''], i.base);
      const q = el('query', { xmlns: i.flavor % 2 === 0 ? 'http://jabber.org/protocol/disco#info' : 'http://jabber.org/protocol/disco#items', ...(node !== undefined ? { node } : {}) });
      stanza = iq(i, to, ['get', 'get', 'get', 'set'], q);
      break;
    }
    case 'extdisco': stanza = iq(i, pick([DOMAIN, DOMAIN, to], i.to), ['get', 'get', 'get', 'set'], extdiscoPayload(i)); break;
    case 'translate': stanza = iq(i, pick([DOMAIN, DOMAIN, to], i.to), ['get', 'get', 'get', 'set'], translatePayload(i)); break;
    case 'response': stanza = iq(i, to, ['result', 'error'], i.flavor % 2 ? el('error', { type: 'cancel' }, [el('item-not-found', { xmlns: NS.stanzas })]) : undefined); break;
    case 'ping': stanza = iq(i, to, ['get', 'get', 'set'], el('ping', { xmlns: 'urn:xmpp:ping' })); break;
    case 'junk': {
      const kids = pick([[], [el('query', { xmlns: 'jabber:iq:version' })], [el('ping', { xmlns: 'urn:xmpp:ping' }), el('x', {})], [el('jingle', {})]], i.flavor);
      stanza = iq(i, to, ['get', 'set', 'x', ''], kids[0]);
      for (const k of kids.slice(1)) stanza.cnode(k);
      break;
    }
  }
  const dest = stanza.attrs.to as string;
  mutateXml(stanza, i.xml);
  // The server stamps the sender and routes by the address: mutations never change those two.
  stanza.attrs.from = senderOf(i);
  stanza.attrs.to = dest;
  return stanza;
}
