/**
 * XEP-0320: Use of DTLS-SRTP in Jingle Sessions, https://xmpp.org/extensions/xep-0320.html (schema of v0.3).
 * The fingerprint travels in the ICE-UDP <transport>. Before 2013 (v0.2) its namespace was
 * `urn:xmpp:tmp:jingle:apps:dtls:0`: read, never written.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { el, optAttr, textOf } from '../xml.ts';

export const SETUP_ROLES = ['actpass', 'active', 'passive', 'holdconn'] as const;
export type SetupRole = (typeof SETUP_ROLES)[number];

export interface DtlsFingerprint {
  hash: string;
  setup?: SetupRole;
  /** Hex pairs separated by colons, as in SDP. */
  value: string;
}

const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/;

/**
 * The IANA "Hash Function Textual Names" a DTLS fingerprint may use (RFC 8122 section 5), with the
 * digest length in bytes; 0 where the length varies. A browser refuses any other name.
 */
const HASH_BYTES: ReadonlyMap<string, number> = new Map([
  ['md2', 16], ['md5', 16], ['sha-1', 20], ['sha-224', 28], ['sha-256', 32], ['sha-384', 48], ['sha-512', 64],
  ['shake128', 0], ['shake256', 0],
]);

export function isDtlsNamespace(ns: string | undefined): boolean {
  return ns === NS.dtls || ns === NS.dtlsLegacy;
}

export function parseFingerprint(e: Element, path: string): DtlsFingerprint {
  const f = readFingerprint(e, path);
  if (typeof f === 'string') throw new TranslateError('invalid-value', f, { element: path });
  return f;
}

/**
 * A fingerprint, or why it cannot be used (unknown hash, a value that is not a digest of it). The
 * translator skips unusable ones, and refuses with security-error only when a content has none left
 * (schemas/translate/dtls.ts): one odd fingerprint beside a good one does not sink the call.
 */
export function readFingerprint(e: Element, path: string): DtlsFingerprint | string {
  const setup = optAttr(e, 'setup');
  if (setup !== undefined && !(SETUP_ROLES as readonly string[]).includes(setup)) {
    throw new TranslateError('invalid-value', `setup must be one of ${SETUP_ROLES.join(', ')}`, { element: path });
  }
  const hash = optAttr(e, 'hash');
  if (hash === undefined || hash === '') return 'fingerprint without a hash';
  if (!/^[A-Za-z0-9-]{1,32}$/.test(hash)) return 'bad hash name';
  const bytes = HASH_BYTES.get(hash.toLowerCase());
  if (bytes === undefined) return `unknown fingerprint hash '${hash}'`;
  const value = textOf(e).trim();
  if (!HEX_PAIRS.test(value)) return 'fingerprint must be hex pairs separated by colons';
  if (bytes !== 0 && (value.length + 1) / 3 !== bytes) return `a ${hash} fingerprint is ${bytes} bytes`;
  const f: DtlsFingerprint = { hash, value };
  if (setup !== undefined) f.setup = setup as SetupRole;
  return f;
}

export function buildFingerprint(f: DtlsFingerprint): Element {
  const e = el('fingerprint', { xmlns: NS.dtls, hash: f.hash, setup: f.setup });
  e.children.push(f.value);
  return e;
}
