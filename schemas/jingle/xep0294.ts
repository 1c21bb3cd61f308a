/**
 * XEP-0294: Jingle RTP Header Extensions Negotiation, https://xmpp.org/extensions/xep-0294.html
 * (v1.1.2). <rtp-hdrext id uri senders/> per `a=extmap`, and <extmap-allow-mixed/> (added in 1.1).
 * `senders` is relative to the session roles, like the content's; the translator maps directions.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { URI } from '../sdp/tokens.ts';
import { attrValue, el, enumValue, isElement, localName, nsOf, reqIntValue, reqValue } from '../xml.ts';
import { SENDERS, type Senders } from './xep0166-types.ts';

export interface RtpHeaderExtension {
  id: number;
  uri: string;
  senders?: Senders;
  /** Extension attributes after the URI in `a=extmap` (`vad=on`), one <parameter> per token. */
  attributes?: string;
}

export function parseHeaderExtension(e: Element, path: string): RtpHeaderExtension {
  const a = e.attrs; // read here, where they are rtp-hdrexts' attributes only (xml.ts, attrValue)
  const uri = reqValue(e, 'uri', a.uri, path);
  if (!URI.test(uri)) throw new TranslateError('invalid-value', 'uri must be printable ASCII without spaces', { element: path });
  const h: RtpHeaderExtension = { id: reqIntValue(e, 'id', a.id, 1, 4351, path), uri };
  const senders = enumValue(e, 'senders', a.senders, SENDERS, path);
  if (senders !== undefined) h.senders = senders;
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.rtpHdrext);
    if (localName(c) === 'parameter' && ns === NS.rtpHdrext) {
      const name = attrValue(c, 'name', c.attrs.name) ?? '';
      const value = attrValue(c, 'value', c.attrs.value);
      const text = value !== undefined && value !== '' ? (name ? `${name}=${value}` : value) : name;
      if (text !== '' && !URI.test(text)) throw new TranslateError('invalid-value', 'a parameter is printable ASCII without spaces', { element: `${path}/parameter` });
      if (text) h.attributes = h.attributes === undefined ? text : `${h.attributes} ${text}`;
    }
  }
  return h;
}

export function buildHeaderExtension(h: RtpHeaderExtension): Element {
  const e = el('rtp-hdrext', { xmlns: NS.rtpHdrext, id: String(h.id), uri: h.uri, senders: h.senders });
  if (h.attributes !== undefined) {
    for (const token of h.attributes.split(/\s+/)) {
      if (token === '') continue;
      const eq = token.indexOf('=');
      e.cnode(el('parameter', eq < 0 ? { name: token } : { name: token.slice(0, eq), value: token.slice(eq + 1) }));
    }
  }
  return e;
}

export function buildExtmapAllowMixed(): Element {
  return el('extmap-allow-mixed', { xmlns: NS.rtpHdrext });
}
