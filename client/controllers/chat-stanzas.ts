/**
 * The 1:1 chat protocol as data in and out, no I/O:
 * - XEP-0085 Chat State Notifications 2.1 https://xmpp.org/extensions/xep-0085.html
 * - XEP-0184 Message Delivery Receipts 1.4 https://xmpp.org/extensions/xep-0184.html
 * - XEP-0280 Message Carbons 1.0 https://xmpp.org/extensions/xep-0280.html
 * - XEP-0313 Message Archive Management 1.1 https://xmpp.org/extensions/xep-0313.html (with XEP-0059 RSM)
 * - XEP-0359 Unique and Stable Stanza IDs 0.7 https://xmpp.org/extensions/xep-0359.html
 * - XEP-0203 Delayed Delivery 2.0, XEP-0297 Stanza Forwarding 1.0, XEP-0030 disco#info
 *
 * Incoming stanzas may be elements of xmpp.js's own (CommonJS) ltx class, so nothing here relies on
 * `instanceof`: children are walked by name and `xmlns` attribute.
 */
import type { Element } from 'ltx';
import { el, isElement, textOf } from '../../schemas/xml.ts';
import { findJmi, type JmiMessage } from '../../schemas/index.ts';
import { CLIENT_NS } from '../xmpp/ns.ts';

/** The namespaces of client/xmpp/ns.ts that chat uses, and those only chat needs. */
export const CHAT_NS = {
  chatStates: CLIENT_NS.chatstates,
  receipts: CLIENT_NS.receipts,
  carbons: CLIENT_NS.carbons,
  mam: CLIENT_NS.mam,
  discoInfo: CLIENT_NS.discoInfo,
  /** RFC 6120 default namespace of client streams. */
  client: 'jabber:client',
  /** XEP-0297 stanza forwarding. */
  forward: 'urn:xmpp:forward:0',
  /** XEP-0059 result set management. */
  rsm: 'http://jabber.org/protocol/rsm',
  /** XEP-0004 data forms. */
  dataForms: 'jabber:x:data',
  /** XEP-0203 delayed delivery. */
  delay: 'urn:xmpp:delay',
  /** XEP-0359 unique and stable stanza ids. */
  sid: 'urn:xmpp:sid:0',
} as const;

export const CHAT_STATES = ['active', 'composing', 'paused', 'inactive', 'gone'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

/**
 * The child element `name` in namespace `ns`. A child without an `xmlns` attribute is in its parent's
 * namespace, and a stanza without one is in `jabber:client` (the stream's default).
 */
export function child(parent: Element, name: string, ns: string): Element | undefined {
  const parentNs = (parent.attrs.xmlns as string | undefined) ?? CHAT_NS.client;
  for (const c of parent.children) {
    if (isElement(c) && c.name === name && ((c.attrs.xmlns as string | undefined) ?? parentNs) === ns) return c;
  }
  return undefined;
}

/** The message inside a XEP-0297 `<forwarded/>`, tolerating one that forgot its `jabber:client` xmlns. */
function forwardedMessage(forwarded: Element | undefined): Element | undefined {
  for (const c of forwarded?.children ?? []) {
    if (!isElement(c) || c.name !== 'message') continue;
    const x = c.attrs.xmlns as string | undefined;
    if (x === undefined || x === CHAT_NS.client) return c;
  }
  return undefined;
}

function attr(e: Element | undefined, name: string): string | undefined {
  const v = e?.attrs[name] as unknown;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** What the chat controller needs from one message stanza. */
export interface ParsedMessage {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly id: string | undefined;
  /** The message type, 'normal' when absent (RFC 6121 5.2.2). */
  readonly type: string;
  readonly body: string | undefined;
  readonly chatState: ChatState | undefined;
  readonly receiptRequested: boolean;
  /** The id acknowledged by a XEP-0184 `<received/>`. */
  readonly receivedId: string | undefined;
  readonly originId: string | undefined;
  /** XEP-0359 stanza-ids as `{ by, id }`: only one set `by` our own archive may be trusted. */
  readonly stanzaIds: readonly { by: string; id: string }[];
  /** XEP-0203 delay stamp in ms since the epoch. */
  readonly delayedTo: number | undefined;
  /** A XEP-0353 call message it carries (one that does not parse counts as none). */
  readonly jmi: JmiMessage | undefined;
}

function safeJmi(m: Element): JmiMessage | undefined {
  try { return findJmi(m); } catch { return undefined; }
}

export function parseMessage(m: Element): ParsedMessage {
  let chatState: ChatState | undefined;
  const stanzaIds: { by: string; id: string }[] = [];
  for (const c of m.children) {
    if (!isElement(c)) continue;
    const ns = c.attrs.xmlns as string | undefined;
    if (ns === CHAT_NS.chatStates && (CHAT_STATES as readonly string[]).includes(c.name)) chatState ??= c.name as ChatState;
    if (ns === CHAT_NS.sid && c.name === 'stanza-id') {
      const by = attr(c, 'by');
      const id = attr(c, 'id');
      if (by && id) stanzaIds.push({ by, id });
    }
  }
  const body = child(m, 'body', CHAT_NS.client);
  return {
    from: attr(m, 'from'),
    to: attr(m, 'to'),
    id: attr(m, 'id') || undefined,
    type: attr(m, 'type') ?? 'normal',
    body: body ? textOf(body) : undefined,
    chatState,
    receiptRequested: child(m, 'request', CHAT_NS.receipts) !== undefined,
    receivedId: attr(child(m, 'received', CHAT_NS.receipts), 'id') || undefined,
    originId: attr(child(m, 'origin-id', CHAT_NS.sid), 'id') || undefined,
    stanzaIds,
    delayedTo: parseStamp(attr(child(m, 'delay', CHAT_NS.delay), 'stamp')),
    jmi: safeJmi(m),
  };
}

/** A XEP-0082 DateTime in ms; undefined if absent or unreadable. */
export function parseStamp(stamp: string | undefined): number | undefined {
  if (!stamp || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(stamp)) return undefined;
  const t = Date.parse(stamp);
  return Number.isFinite(t) ? t : undefined;
}

/** A content message: body, `<active/>` if chat states are in use, a receipt request, an origin-id. */
export function chatMessage(to: string, id: string, body: string, state: ChatState | undefined): Element {
  const bodyEl = el('body', {});
  bodyEl.children.push(body);
  const children = [bodyEl];
  if (state) children.push(el(state, { xmlns: CHAT_NS.chatStates }));
  children.push(el('request', { xmlns: CHAT_NS.receipts }), el('origin-id', { xmlns: CHAT_NS.sid, id }));
  return el('message', { type: 'chat', to, id }, children);
}

/** A standalone chat state: nothing but the state element (XEP-0085 section 5.5). */
export function standaloneState(to: string, id: string, state: ChatState): Element {
  return el('message', { type: 'chat', to, id }, [el(state, { xmlns: CHAT_NS.chatStates })]);
}

/** An ack message: only `<received/>`, never a request (XEP-0184 sections 5.4 and 6). */
export function receipt(to: string, id: string, receivedId: string, type: string): Element {
  return el('message', { to, id, type: type === 'chat' ? 'chat' : undefined }, [el('received', { xmlns: CHAT_NS.receipts, id: receivedId })]);
}

export function discoInfoQuery(to: string, id: string): Element {
  return el('iq', { type: 'get', to, id }, [el('query', { xmlns: CHAT_NS.discoInfo })]);
}

/** The feature vars of a disco#info result. */
export function discoFeatures(result: Element): Set<string> {
  const features = new Set<string>();
  const query = child(result, 'query', CHAT_NS.discoInfo);
  for (const c of query?.children ?? []) {
    const v = isElement(c) && c.name === 'feature' ? attr(c, 'var') : undefined;
    if (v) features.add(v);
  }
  return features;
}

export function enableCarbons(id: string): Element {
  return el('iq', { type: 'set', id }, [el('enable', { xmlns: CHAT_NS.carbons })]);
}

export type CarbonDirection = 'sent' | 'received';

/**
 * The forwarded message of a XEP-0280 carbon, if `m` is one. Whether to believe it is the caller's
 * decision: the wrapper must come from our own bare JID (section 11), see `fromOwnAccount`.
 */
export function carbonOf(m: Element): { direction: CarbonDirection; message: Element | undefined } | undefined {
  for (const direction of ['sent', 'received'] as const) {
    const wrapper = child(m, direction, CHAT_NS.carbons);
    if (wrapper) return { direction, message: forwardedMessage(child(wrapper, 'forwarded', CHAT_NS.forward)) };
  }
  return undefined;
}

/**
 * Whether a stanza comes from our own account: `from` is our bare JID, or, where `absentToo`, absent,
 * which a server uses for stanzas it generates on the account's behalf (RFC 6120 section 8.1.2.1; the
 * MAM results in XEP-0313's examples carry no `from`). A server stamps `from` on whatever others send,
 * so neither can be forged by a contact; a full JID, even one of our own resources, does not qualify.
 */
export function fromOwnAccount(stanza: Element, ownBare: string, absentToo = false): boolean {
  const from = attr(stanza, 'from');
  return from === undefined ? absentToo : from.toLowerCase() === ownBare;
}

/** A MAM query for the conversation with `withJid`, one RSM page ending before `before` ('' = newest). */
export function mamQuery(to: string, id: string, queryId: string, withJid: string, before: string, max: number): Element {
  return mamQueryFor(to, id, queryId, { with: withJid, before, max });
}

export interface MamFilter {
  /** Only the conversation with this JID (absent: every message of the archive). */
  with?: string;
  /** Only messages archived at or after this time (ms since the epoch). */
  start?: number;
  /** RSM: the page ending before this id ('' = the newest page), or the page after this id. */
  before?: string;
  after?: string;
  max: number;
}

/** A XEP-0313 query with a data form of the filters given, and one RSM page. */
export function mamQueryFor(to: string, id: string, queryId: string, filter: MamFilter): Element {
  const text = (name: string, value: string, attrs: Record<string, string | undefined> = {}): Element => {
    const e = el(name, attrs);
    if (value) e.children.push(value);
    return e;
  };
  const field = (name: string, value: string, type?: string): Element => el('field', { var: name, type }, [text('value', value)]);
  const fields = [field('FORM_TYPE', CHAT_NS.mam, 'hidden')];
  if (filter.with !== undefined) fields.push(field('with', filter.with));
  if (filter.start !== undefined) fields.push(field('start', new Date(filter.start).toISOString().replace(/\.\d+Z$/, 'Z')));
  const set = [text('max', String(filter.max))];
  if (filter.before !== undefined) set.push(text('before', filter.before));
  if (filter.after !== undefined) set.push(text('after', filter.after));
  return el('iq', { type: 'set', to, id }, [
    el('query', { xmlns: CHAT_NS.mam, queryid: queryId }, [
      el('x', { xmlns: CHAT_NS.dataForms, type: 'submit' }, fields),
      el('set', { xmlns: CHAT_NS.rsm }, set),
    ]),
  ]);
}

export interface ArchivedMessage {
  /** The archive's id for the message (the RSM key, and the stanza-id `by` our archive). */
  readonly archiveId: string;
  readonly message: Element;
  /** When the archive received it, from the forwarded `<delay/>`. */
  readonly stamp: number | undefined;
}

/** A result of our query `queryId`, only if it comes from our own archive (our bare JID, or no `from`). */
export function mamResult(m: Element, queryId: string, ownBare: string): ArchivedMessage | undefined {
  if (m.name !== 'message') return undefined;
  const result = child(m, 'result', CHAT_NS.mam);
  if (!result || attr(result, 'queryid') !== queryId || !fromOwnAccount(m, ownBare, true)) return undefined;
  const archiveId = attr(result, 'id');
  const forwarded = child(result, 'forwarded', CHAT_NS.forward);
  const message = forwardedMessage(forwarded);
  if (!archiveId || !forwarded || !message) return undefined;
  return { archiveId, message, stamp: parseStamp(attr(child(forwarded, 'delay', CHAT_NS.delay), 'stamp')) };
}

/** True if the message carries a MAM result (ours or not): never a live message. */
export function isMamResult(m: Element): boolean {
  return child(m, 'result', CHAT_NS.mam) !== undefined;
}

/** The `<fin/>` of a MAM query: whether the archive is exhausted, and the first and last ids of the page. */
export function mamFin(iq: Element): { complete: boolean; first: string | undefined; last: string | undefined } {
  const fin = child(iq, 'fin', CHAT_NS.mam);
  const set = fin && child(fin, 'set', CHAT_NS.rsm);
  const id = (name: string): string | undefined => {
    const e = set && child(set, name, CHAT_NS.rsm);
    return e ? textOf(e) || undefined : undefined;
  };
  return { complete: attr(fin, 'complete') === 'true', first: id('first'), last: id('last') };
}
