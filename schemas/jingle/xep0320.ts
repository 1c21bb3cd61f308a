/**
 * XEP-0320: Use of DTLS-SRTP in Jingle Sessions, https://xmpp.org/extensions/xep-0320.html (schema of v0.3).
 * The fingerprint travels in the ICE-UDP <transport>.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { el, optAttr, reqAttr, textOf } from '../xml.ts';

export const SETUP_ROLES = ['actpass', 'active', 'passive', 'holdconn'] as const;
export type SetupRole = (typeof SETUP_ROLES)[number];

export interface DtlsFingerprint {
  hash: string;
  setup?: SetupRole;
  /** Hex pairs separated by colons, as in SDP. */
  value: string;
}

const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/;

export function parseFingerprint(e: Element, path: string): DtlsFingerprint {
  const value = textOf(e).trim();
  if (!HEX_PAIRS.test(value)) throw new TranslateError('invalid-value', 'fingerprint must be hex pairs separated by colons', { element: path });
  const hash = reqAttr(e, 'hash', path);
  if (!/^[A-Za-z0-9-]{1,32}$/.test(hash)) throw new TranslateError('invalid-value', 'bad hash name', { element: path });
  const f: DtlsFingerprint = { hash, value };
  const setup = optAttr(e, 'setup');
  if (setup !== undefined) {
    if (!(SETUP_ROLES as readonly string[]).includes(setup)) {
      throw new TranslateError('invalid-value', `setup must be one of ${SETUP_ROLES.join(', ')}`, { element: path });
    }
    f.setup = setup as SetupRole;
  }
  return f;
}

export function buildFingerprint(f: DtlsFingerprint): Element {
  const e = el('fingerprint', { xmlns: NS.dtls, hash: f.hash, setup: f.setup });
  e.children.push(f.value);
  return e;
}
