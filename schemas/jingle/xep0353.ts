/**
 * XEP-0353: Jingle Message Initiation, https://xmpp.org/extensions/xep-0353.html (v0.7.0).
 * The call is proposed in a <message> to the callee's bare JID, so every device rings; the `id` is the
 * Jingle sid the session-initiate will carry.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { el, elementNs, isElement, localName, nsOf, optAttr, reqAttr } from '../xml.ts';
import { buildReason, parseReasonElement, type Reason } from './xep0166.ts';

export const JMI_ACTIONS = ['propose', 'ringing', 'proceed', 'retract', 'reject', 'accept', 'finish'] as const;
export type JmiAction = (typeof JMI_ACTIONS)[number];

export interface JmiMessage {
  action: JmiAction;
  /** The session id of the Jingle session this message is about. */
  id: string;
  /** propose: the media of each RTP <description> offered (`audio`, `video`). */
  media: string[];
  reason?: Reason;
  /** finish (XEP-0353 4.2, tie-breaking an existing session): the id of the session that continues this one. */
  migrated?: string;
}

/** Finds and parses the JMI payload of a <message>, or returns undefined if it has none. */
export function findJmi(message: Element): JmiMessage | undefined {
  for (const c of message.children) {
    if (isElement(c) && (JMI_ACTIONS as readonly string[]).includes(localName(c)) && nsOf(c, undefined) === NS.jmi) return parseJmi(c);
  }
  return undefined;
}

export function parseJmi(e: Element): JmiMessage {
  const action = localName(e);
  const path = `jmi/${action}`;
  if (!(JMI_ACTIONS as readonly string[]).includes(action) || elementNs(e) !== NS.jmi) {
    throw new TranslateError('malformed', `not a Jingle Message Initiation element`, { element: path });
  }
  const id = reqAttr(e, 'id', path);
  if (id.length > 256) throw new TranslateError('too-large', 'id is longer than 256 characters', { element: path });
  const m: JmiMessage = { action: action as JmiAction, id, media: [] };
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.jmi);
    const name = localName(c);
    if (name === 'description' && ns === NS.rtp) {
      const media = optAttr(c, 'media');
      if (media !== undefined && /^[a-z0-9-]{1,32}$/i.test(media) && m.media.length < 8) m.media.push(media);
    } else if (name === 'reason' && ns === NS.jingle) m.reason = parseReasonElement(c, `${path}/reason`);
    else if (name === 'migrated' && ns === NS.jmi && m.action === 'finish') {
      const to = reqAttr(c, 'to', `${path}/migrated`);
      if (to.length > 256) throw new TranslateError('too-large', 'migrated to is longer than 256 characters', { element: `${path}/migrated` });
      m.migrated = to;
    }
  }
  return m;
}

export function buildJmi(m: JmiMessage): Element {
  const e = el(m.action, { xmlns: NS.jmi, id: m.id });
  for (const media of m.media) e.cnode(el('description', { xmlns: NS.rtp, media }));
  if (m.reason) {
    const r = buildReason(m.reason);
    r.attrs.xmlns = NS.jingle;
    e.cnode(r);
  }
  // The XEP schema's order: <reason/>, then <migrated/>.
  if (m.action === 'finish' && m.migrated !== undefined) e.cnode(el('migrated', { to: m.migrated }));
  return e;
}

export interface JmiMessageOptions {
  to: string;
  id: string;
  /** propose: a <store/> hint so offline devices still learn of the call, and a receipt request. */
  store?: boolean;
  receipt?: boolean;
}

/** The <message type='chat'> that carries a JMI payload, as native clients (Conversations) expect. */
export function buildJmiMessage(jmi: JmiMessage, opts: JmiMessageOptions): Element {
  const msg = el('message', { to: opts.to, type: 'chat', id: opts.id }, [buildJmi(jmi)]);
  if (opts.store) msg.cnode(el('store', { xmlns: NS.hints }));
  if (opts.receipt) msg.cnode(el('request', { xmlns: NS.receipts }));
  return msg;
}
