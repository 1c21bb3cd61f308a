/**
 * The part of STUN (RFC 8489, which obsoletes RFC 5389) a Binding server needs: read a Binding request,
 * write a Binding success response with XOR-MAPPED-ADDRESS and FINGERPRINT. Pure: bytes in, bytes out.
 * Hand-written because it is small; the `stun` npm package is unmaintained and pulls in vulnerable deps.
 */
import { crc32 } from './crc32.ts';

export const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const ATTR_SOFTWARE = 0x8022;
const ATTR_FINGERPRINT = 0x8028;
const FINGERPRINT_XOR = 0x5354554e;
const HEADER = 20;

export type StunProblem = 'not-stun' | 'not-binding-request' | 'bad-length' | 'bad-fingerprint';

export interface BindingRequest {
  transactionId: Uint8Array;
}

/** Checks a datagram; returns the request or why it is not one we answer (silently dropped then). */
export function readBindingRequest(msg: Uint8Array): BindingRequest | StunProblem {
  if (msg.length < HEADER || (msg[0] as number) >> 6 !== 0) return 'not-stun';
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (view.getUint32(4) !== MAGIC_COOKIE) return 'not-stun';
  const length = view.getUint16(2);
  if (length % 4 !== 0 || HEADER + length !== msg.length) return 'bad-length';
  if (view.getUint16(0) !== BINDING_REQUEST) return 'not-binding-request';
  // Walk the attributes only to check their framing and an optional FINGERPRINT, which must be last.
  let off = HEADER;
  while (off < msg.length) {
    if (off + 4 > msg.length) return 'bad-length';
    const type = view.getUint16(off);
    const len = view.getUint16(off + 2);
    const next = off + 4 + Math.ceil(len / 4) * 4;
    if (next > msg.length) return 'bad-length';
    if (type === ATTR_FINGERPRINT) {
      if (len !== 4 || next !== msg.length) return 'bad-fingerprint';
      if (view.getUint32(off + 4) !== ((crc32(msg.subarray(0, off)) ^ FINGERPRINT_XOR) >>> 0)) return 'bad-fingerprint';
    }
    off = next;
  }
  return { transactionId: msg.slice(8, 20) };
}

/** A Binding success response telling the client the address and port we saw it from. */
export function writeBindingSuccess(req: BindingRequest, address: string, port: number, software?: string): Uint8Array {
  const ip = parseAddress(address);
  const family = ip.length === 4 ? 0x01 : 0x02;
  const xorAddress = new Uint8Array(4 + ip.length);
  const xv = new DataView(xorAddress.buffer);
  xv.setUint8(1, family);
  xv.setUint16(2, port ^ (MAGIC_COOKIE >>> 16));
  const key = new Uint8Array(16);
  new DataView(key.buffer).setUint32(0, MAGIC_COOKIE);
  key.set(req.transactionId, 4);
  for (let i = 0; i < ip.length; i++) xorAddress[4 + i] = (ip[i] as number) ^ (key[i] as number);

  const attrs: [number, Uint8Array][] = [[ATTR_XOR_MAPPED_ADDRESS, xorAddress]];
  if (software) attrs.push([ATTR_SOFTWARE, new TextEncoder().encode(software.slice(0, 127))]);
  const bodyLength = attrs.reduce((n, [, v]) => n + 4 + Math.ceil(v.length / 4) * 4, 0) + 8; // + FINGERPRINT
  const out = new Uint8Array(HEADER + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint16(0, BINDING_SUCCESS);
  view.setUint16(2, bodyLength);
  view.setUint32(4, MAGIC_COOKIE);
  out.set(req.transactionId, 8);
  let off = HEADER;
  for (const [type, value] of attrs) {
    view.setUint16(off, type);
    view.setUint16(off + 2, value.length);
    out.set(value, off + 4);
    off += 4 + Math.ceil(value.length / 4) * 4;
  }
  view.setUint16(off, ATTR_FINGERPRINT);
  view.setUint16(off + 2, 4);
  view.setUint32(off + 4, (crc32(out.subarray(0, off)) ^ FINGERPRINT_XOR) >>> 0);
  return out;
}

/** IPv4 dotted quad or IPv6 (with ::, and IPv4-mapped ::ffff:a.b.c.d) to bytes. */
export function parseAddress(address: string): Uint8Array {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return parseAddress(mapped[1] as string);
  if (address.includes('.')) {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 address ${address}`);
    return Uint8Array.from(parts);
  }
  const [head = '', tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 address ${address}`);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}
