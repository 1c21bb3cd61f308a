/**
 * XEP-0293: Jingle RTP Feedback Negotiation, https://xmpp.org/extensions/xep-0293.html (schema of v0.3).
 * <rtcp-fb type subtype/> and <rtcp-fb-trr-int value/>, in a <payload-type> (that codec) or in the
 * <description> (every codec, SDP's `a=rtcp-fb:*`).
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { FEEDBACK_SUBTYPE, FEEDBACK_TYPE } from '../sdp/tokens.ts';
import { attrValue, el, reqIntAttr, reqValue } from '../xml.ts';

export interface RtcpFeedback {
  type: string;
  subtype?: string;
}

export function parseRtcpFb(e: Element, path: string): RtcpFeedback {
  const a = e.attrs; // read here, where they are rtcp-fbs' attributes only (xml.ts, attrValue)
  const fb: RtcpFeedback = { type: reqValue(e, 'type', a.type, path) };
  const subtype = attrValue(e, 'subtype', a.subtype);
  if (!FEEDBACK_TYPE.test(fb.type) || (subtype !== undefined && subtype !== '' && !FEEDBACK_SUBTYPE.test(subtype))) {
    throw new TranslateError('invalid-value', 'type and subtype are tokens (the subtype may be several, one space apart)', { element: path });
  }
  if (subtype !== undefined && subtype !== '') fb.subtype = subtype;
  return fb;
}

export function parseTrrInt(e: Element, path: string): number {
  return reqIntAttr(e, 'value', 0, 0xffffffff, path);
}

export function buildRtcpFb(fb: RtcpFeedback): Element {
  return el('rtcp-fb', { xmlns: NS.rtcpFb, type: fb.type, subtype: fb.subtype });
}

export function buildTrrInt(value: number): Element {
  return el('rtcp-fb-trr-int', { xmlns: NS.rtcpFb, value: String(value) });
}
