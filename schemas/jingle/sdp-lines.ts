/**
 * Ours, `urn:xmpp:jingle-gateway:sdp:0`: SDP details that no XEP has an element for, carried verbatim
 * instead of dropped. `<line>a=rtcp-rsize</line>` holds one SDP line; it sits in <jingle> (session
 * level), <content> (media level) or <transport> (ICE attributes). `<media-line>` keeps the m= line's
 * protocol and a rejected (port 0) m-line where they differ from what the Jingle implies.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { MAPPED_ATTRIBUTES } from '../sdp/tokens.ts';
import { el, optAttr, textOf } from '../xml.ts';

export { MAPPED_ATTRIBUTES };

/**
 * Lines that would change the SDP's structure or contradict the XEP elements are refused: a peer must
 * not be able to smuggle an m= section or a second fingerprint through a <line>.
 */
const STRUCTURAL = /^[vostmc]=/;

export function parseSdpLine(e: Element, path: string, level: 'session' | 'media'): string {
  const line = textOf(e);
  if (!/^[a-z]=[^\x00-\x08\x0a-\x1f\x7f-\x9f]{0,4094}$/.test(line)) throw new TranslateError('malformed', 'a <line> holds one SDP line "<type>=<value>"', { element: path });
  if (STRUCTURAL.test(line)) throw new TranslateError('unsupported', `a <line> may not hold ${line.slice(0, 2)} lines`, { element: path });
  if (line.startsWith('a=')) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? line.slice(2) : line.slice(2, colon);
    if (MAPPED_ATTRIBUTES.has(name)) throw new TranslateError('unsupported', `a=${name} is carried by its XEP element, not a <line>`, { element: path });
  } else if (level === 'media' && line[0] !== 'b' && line[0] !== 'i' && line[0] !== 'k') {
    throw new TranslateError('unsupported', 'only a=, b=, i= and k= lines belong to a media section', { element: path });
  }
  return line;
}

export function buildSdpLine(line: string): Element {
  const e = el('line', { xmlns: NS.sdp });
  e.children.push(line);
  return e;
}

export interface MediaLine {
  protocol?: string;
  rejected?: boolean;
}

export function parseMediaLine(e: Element, path: string): MediaLine {
  const m: MediaLine = {};
  const protocol = optAttr(e, 'protocol');
  if (protocol !== undefined) {
    if (!/^[A-Za-z0-9/._-]{1,64}$/.test(protocol)) throw new TranslateError('invalid-value', 'bad protocol', { element: path });
    m.protocol = protocol;
  }
  if (optAttr(e, 'rejected') === 'true') m.rejected = true;
  return m;
}

export function buildMediaLine(m: MediaLine): Element {
  return el('media-line', { xmlns: NS.sdp, protocol: m.protocol, rejected: m.rejected ? 'true' : undefined });
}
