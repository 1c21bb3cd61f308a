/**
 * XEP-0343: Signaling WebRTC datachannels in Jingle, https://xmpp.org/extensions/xep-0343.html (v0.3.1).
 * <sctpmap number protocol streams/> in the ICE-UDP <transport>. `number` is the SCTP port, which
 * modern SDP writes as `a=sctp-port` (RFC 8841) and old SDP as `a=sctpmap`.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { TOKEN } from '../sdp/tokens.ts';
import { el, intAttr, reqAttr, reqIntAttr } from '../xml.ts';

export interface SctpMap {
  number: number;
  protocol: string;
  streams?: number;
}

export function parseSctpMap(e: Element, path: string): SctpMap {
  const m: SctpMap = { number: reqIntAttr(e, 'number', 0, 65535, path), protocol: reqAttr(e, 'protocol', path) };
  if (!TOKEN.test(m.protocol)) throw new TranslateError('invalid-value', 'bad protocol', { element: path });
  const streams = intAttr(e, 'streams', 0, 65535, path);
  if (streams !== undefined) m.streams = streams;
  return m;
}

export function buildSctpMap(m: SctpMap): Element {
  return el('sctpmap', {
    xmlns: NS.dtlsSctp,
    number: String(m.number),
    protocol: m.protocol,
    streams: m.streams === undefined ? undefined : String(m.streams),
  });
}
