/**
 * XEP-0166: Jingle, https://xmpp.org/extensions/xep-0166.html (schema of v1.1; see schemas/xsd/README.md): the <jingle> envelope, its
 * <content> elements and <reason>. Descriptions and transports are parsed by their own XEP modules.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { DEFAULT_LIMITS, type Limits } from '../limits.ts';
import { MID } from '../sdp/tokens.ts';
import { NS } from '../namespaces.ts';
import { el, elementNs, enumAttr, isElement, localName, nsOf, optAttr, reqAttr, textOf } from '../xml.ts';
import { buildMediaLine, buildSdpLine, parseMediaLine, parseSdpLine, type MediaLine } from './sdp-lines.ts';
import { buildDescription, parseDescription, type RtpDescription } from './xep0167.ts';
import { buildTransport, parseTransport, type IceUdpTransport } from './xep0176.ts';
import { buildGroup, parseGroup, type ContentGroup } from './xep0338.ts';
import {
  JINGLE_ACTIONS, REASON_CONDITIONS, ROLES, SENDERS,
  type Creator, type JingleAction, type ReasonCondition, type Senders,
} from './xep0166-types.ts';

export interface Reason {
  condition: ReasonCondition;
  text?: string;
  /** For alternative-session: the session to use instead. */
  alternativeSid?: string;
}

export interface Content {
  creator: Creator;
  name: string;
  senders?: Senders;
  disposition?: string;
  description?: RtpDescription;
  /** A description we do not model (file transfer, ...), kept whole so it survives a rebuild. */
  otherDescription?: Element;
  transport?: IceUdpTransport;
  /** A transport we do not model (raw-udp, s5b, ...), kept whole. */
  otherTransport?: Element;
  mediaLine?: MediaLine;
  /** Our verbatim SDP lines for this m-line. */
  lines: string[];
}

export interface Jingle {
  action: JingleAction;
  sid: string;
  initiator?: string;
  responder?: string;
  contents: Content[];
  groups: ContentGroup[];
  reason?: Reason;
  /** session-info payloads (XEP-0167 ringing, mute, ...), left as elements for their module. */
  info: Element[];
  /** Our verbatim session-level SDP lines. */
  lines: string[];
}

export function parseJingle(e: Element, limits: Limits = DEFAULT_LIMITS): Jingle {
  const path = 'jingle';
  if (localName(e) !== 'jingle' || elementNs(e) !== NS.jingle) {
    throw new TranslateError('malformed', `expected <jingle xmlns='${NS.jingle}'>`, { element: e.name });
  }
  const action = enumAttr(e, 'action', JINGLE_ACTIONS, path);
  if (action === undefined) throw new TranslateError('missing', "missing attribute 'action'", { element: path });
  const sid = reqAttr(e, 'sid', path);
  if (sid.length > 256) throw new TranslateError('too-large', 'sid is longer than 256 characters', { element: path });
  const j: Jingle = { action, sid, contents: [], groups: [], info: [], lines: [] };
  const initiator = optAttr(e, 'initiator');
  if (initiator) j.initiator = initiator;
  const responder = optAttr(e, 'responder');
  if (responder) j.responder = responder;
  let children = 0;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.jingle);
    const name = localName(c);
    if (++children > limits.maxMedia * 4 + limits.maxListLength) {
      throw new TranslateError('too-large', 'too many children', { element: path });
    }
    if (ns === NS.jingle && name === 'content') {
      if (j.contents.length >= limits.maxMedia) throw new TranslateError('too-large', `more than ${limits.maxMedia} contents`, { element: path, limit: 'maxMedia' });
      const content = parseContent(c, limits);
      // Content names are unique in a session (XEP-0166), and become SDP mids, which must be.
      if (j.contents.some((x) => x.name === content.name)) {
        throw new TranslateError('invalid-value', `two contents named '${content.name}'`, { element: path });
      }
      j.contents.push(content);
    } else if (ns === NS.jingle && name === 'reason') j.reason = parseReasonElement(c, `${path}/reason`);
    else if (ns === NS.grouping && name === 'group') {
      if (j.groups.length >= limits.maxListLength) throw new TranslateError('too-large', `more than ${limits.maxListLength} groups`, { element: path, limit: 'maxListLength' });
      j.groups.push(parseGroup(c, `${path}/group`));
    }
    else if (ns === NS.sdp && name === 'line') j.lines.push(parseSdpLine(c, `${path}/line`, 'session'));
    else if (action === 'session-info') j.info.push(c);
  }
  return j;
}

function parseContent(c: Element, limits: Limits): Content {
  const name = reqAttr(c, 'name', 'jingle/content');
  // The name becomes the SDP mid: the same grammar as the SDP side accepts.
  if (!MID.test(name)) throw new TranslateError('invalid-value', 'content name must be 1 to 64 mid characters', { element: 'jingle/content' });
  const path = `jingle/content[name=${name}]`;
  const creator = enumAttr(c, 'creator', ROLES, path) ?? 'initiator';
  const content: Content = { creator, name, lines: [] };
  const senders = enumAttr(c, 'senders', SENDERS, path);
  if (senders !== undefined) content.senders = senders;
  const disposition = optAttr(c, 'disposition');
  if (disposition !== undefined) content.disposition = disposition;
  for (const child of c.children) {
    if (!isElement(child)) continue;
    const ns = nsOf(child, NS.jingle);
    const childName = localName(child);
    if (childName === 'description') {
      if (ns === NS.rtp) content.description = parseDescription(child, `${path}/description`, limits.maxListLength);
      else content.otherDescription = child;
    } else if (childName === 'transport') {
      if (ns === NS.iceUdp) content.transport = parseTransport(child, `${path}/transport`, limits.maxListLength);
      else content.otherTransport = child;
    } else if (ns === NS.sdp && childName === 'line') {
      // The SDP side's msids, rids and unknown lines are lists of up to maxListLength each.
      if (content.lines.length >= 3 * limits.maxListLength) throw new TranslateError('too-large', 'too many lines', { element: path, limit: 'maxListLength' });
      content.lines.push(parseSdpLine(child, `${path}/line`, 'media'));
    } else if (ns === NS.sdp && childName === 'media-line') content.mediaLine = parseMediaLine(child, `${path}/media-line`);
  }
  return content;
}

/** A <reason> (XEP-0166) wherever it appears: in <jingle>, or in a XEP-0353 retract/reject/finish. */
export function parseReasonElement(r: Element, path: string): Reason {
  let condition: ReasonCondition | undefined;
  let text: string | undefined;
  let alternativeSid: string | undefined;
  for (const c of r.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.jingle);
    if (ns !== NS.jingle) continue;
    const name = localName(c);
    if (name === 'text') text = textOf(c);
    else if ((REASON_CONDITIONS as readonly string[]).includes(name)) {
      condition = name as ReasonCondition;
      if (condition === 'alternative-session') {
        for (const s of c.children) if (isElement(s) && localName(s) === 'sid' && nsOf(s, NS.jingle) === NS.jingle) alternativeSid = textOf(s);
      }
    }
  }
  if (!condition) throw new TranslateError('missing', 'reason without a known condition', { element: path });
  const reason: Reason = { condition };
  if (text !== undefined) reason.text = text;
  if (alternativeSid !== undefined) reason.alternativeSid = alternativeSid;
  return reason;
}

export function buildJingle(j: Jingle): Element {
  const e = el('jingle', { xmlns: NS.jingle, action: j.action, initiator: j.initiator, responder: j.responder, sid: j.sid });
  for (const c of j.contents) e.cnode(buildContent(c));
  for (const g of j.groups) e.cnode(buildGroup(g));
  if (j.reason) e.cnode(buildReason(j.reason));
  for (const i of j.info) e.cnode(i);
  for (const l of j.lines) e.cnode(buildSdpLine(l));
  return e;
}

function buildContent(c: Content): Element {
  const e = el('content', { creator: c.creator, disposition: c.disposition, name: c.name, senders: c.senders });
  if (c.description) e.cnode(buildDescription(c.description));
  else if (c.otherDescription) e.cnode(c.otherDescription);
  if (c.transport) e.cnode(buildTransport(c.transport));
  else if (c.otherTransport) e.cnode(c.otherTransport);
  if (c.mediaLine) e.cnode(buildMediaLine(c.mediaLine));
  for (const l of c.lines) e.cnode(buildSdpLine(l));
  return e;
}

export function buildReason(r: Reason): Element {
  const e = el('reason', {});
  const cond = el(r.condition, {});
  if (r.alternativeSid !== undefined) {
    const sid = el('sid', {});
    sid.children.push(r.alternativeSid);
    cond.cnode(sid);
  }
  e.cnode(cond);
  if (r.text !== undefined) {
    const t = el('text', {});
    t.children.push(r.text);
    e.cnode(t);
  }
  return e;
}
