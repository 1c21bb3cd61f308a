/**
 * XEP-0115: Entity Capabilities, https://xmpp.org/extensions/xep-0115.html (v1.6): what we announce in
 * presence (a hash over our disco#info) and how we answer disco#info (XEP-0030) about ourselves.
 * Native clients (Conversations, Dino, Gajim) offer calls only to a contact whose caps list Jingle.
 */
import type { Element } from 'ltx';
import { NS } from '../../schemas/namespaces.ts';
import { CLIENT_NS } from './ns.ts';
import { attr, childNs, elements, x } from './xml.ts';

/** Identifies this software in caps `node` attributes. */
export const CAPS_NODE = 'https://jingle-gateway.org/client';

export interface Identity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

export const CLIENT_IDENTITY: Identity = { category: 'client', type: 'web', name: 'Jingle Gateway' };

/**
 * Every disco feature the web client announces. One list for all controllers: add a feature here when
 * the code that implements it lands (the caps hash follows automatically).
 */
export const CLIENT_FEATURES: readonly string[] = [
  CLIENT_NS.discoInfo,
  CLIENT_NS.caps,
  NS.jingle,
  NS.iceUdp,
  NS.rtp,
  NS.dtls,
  NS.rtpAudio,
  NS.rtpVideo,
  NS.jmi,
  NS.grouping,
  CLIENT_NS.receipts,
  CLIENT_NS.chatstates,
  CLIENT_NS.carbons,
  CLIENT_NS.mam,
];

export interface DiscoInfo {
  identities: Identity[];
  features: string[];
}

/** The XEP-0115 section 5.1 verification string: identities, then features, each sorted, `<`-terminated. */
export function capsString(info: DiscoInfo): string {
  const ids = info.identities
    .map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}`)
    .sort(octetCompare);
  const features = [...new Set(info.features)].sort(octetCompare);
  return [...ids, ...features].map((s) => `${s}<`).join('');
}

/** Sorting "by octet" (XEP-0115 5.1 / i;octet): compare UTF-8 bytes, not UTF-16 code units. */
function octetCompare(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
    const d = (ea[i] ?? 0) - (eb[i] ?? 0);
    if (d !== 0) return d;
  }
  return ea.length - eb.length;
}

/** The `ver` attribute: base64 of SHA-1 over capsString (WebCrypto: Node and secure-context browsers). */
export async function capsVer(info: DiscoInfo): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-1', new TextEncoder().encode(capsString(info)));
  let binary = '';
  for (const b of new Uint8Array(digest)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node=... ver=.../>` for our presence. */
export function capsElement(ver: string, node = CAPS_NODE): Element {
  return x('c', { xmlns: CLIENT_NS.caps, hash: 'sha-1', node, ver });
}

export interface Caps {
  node: string;
  ver: string;
  hash: string;
}

/** The caps a presence announces, if any (legacy caps without `hash` are ignored). */
export function capsOf(presence: Element): Caps | undefined {
  const c = childNs(presence, 'c', CLIENT_NS.caps);
  if (c === undefined) return undefined;
  const node = attr(c, 'node');
  const ver = attr(c, 'ver');
  const hash = attr(c, 'hash');
  return node && ver && hash ? { node, ver, hash } : undefined;
}

/** `<query xmlns='disco#info' node=...>` with identities and features, for a reply. */
export function discoInfoElement(info: DiscoInfo, node?: string): Element {
  return x('query', { xmlns: CLIENT_NS.discoInfo, node },
    ...info.identities.map((i) => x('identity', { category: i.category, type: i.type, name: i.name, 'xml:lang': i.lang })),
    ...[...new Set(info.features)].map((f) => x('feature', { var: f })));
}

/** Reads a disco#info `<query/>` (a reply from someone else). */
export function parseDiscoInfo(query: Element): DiscoInfo & { hasForms: boolean } {
  const identities: Identity[] = [];
  const features: string[] = [];
  let hasForms = false;
  for (const c of elements(query)) {
    if (c.name === 'identity') {
      const category = attr(c, 'category');
      const type = attr(c, 'type');
      if (category && type) identities.push({ category, type, name: attr(c, 'name'), lang: attr(c, 'xml:lang') });
    } else if (c.name === 'feature') {
      const v = attr(c, 'var');
      if (v) features.push(v);
    } else if (c.name === 'x') hasForms = true;
  }
  return { identities, features, hasForms };
}
