/**
 * The part of STUN (RFC 8489, which obsoletes RFC 5389) a Binding server needs: read a Binding request,
 * write a Binding success response with XOR-MAPPED-ADDRESS and FINGERPRINT, or a 420 error response
 * listing the comprehension-required attributes we do not understand (RFC 8489 6.3.1.1, 14.13).
 * Pure: bytes in, bytes out; nothing here throws on what a datagram or its source address holds.
 * Hand-written because it is small; the `stun` npm package is unmaintained and pulls in vulnerable deps.
 */
import { crc32 } from './crc32.ts';
import { parseIp, unmapIpv4 } from '../net/ip.ts';

export const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const BINDING_ERROR = 0x0111;
const ATTR_ERROR_CODE = 0x0009;
const ATTR_UNKNOWN_ATTRIBUTES = 0x000a;
const ATTR_XOR_MAPPED_ADDRESS = 0x0020;
const ATTR_SOFTWARE = 0x8022;
const ATTR_FINGERPRINT = 0x8028;
const FINGERPRINT_XOR = 0x5354554e;
const HEADER = 20;
/**
 * Comprehension-required attributes (type < 0x8000) a Binding request may carry that we accept: the
 * credentials of RFC 8489 9 (USERNAME, MESSAGE-INTEGRITY(-SHA256), REALM, NONCE, PASSWORD-ALGORITHM,
 * USERHASH), which a server that does not authenticate ignores and answers normally. Any other, e.g.
 * RFC 5780's CHANGE-REQUEST, gets a 420.
 */
const UNDERSTOOD = new Set([0x0006, 0x0008, 0x0014, 0x0015, 0x001c, 0x001d, 0x001e]);

export type StunProblem = 'not-stun' | 'not-binding-request' | 'bad-length' | 'bad-fingerprint';

export interface BindingRequest {
  transactionId: Uint8Array;
  /** Comprehension-required attribute types we do not understand, in order, each once: answer 420. */
  unknown: number[];
}

/** Checks a datagram; returns the request or why it is not one we answer (silently dropped then). */
export function readBindingRequest(msg: Uint8Array): BindingRequest | StunProblem {
  if (msg.length < HEADER || (msg[0] as number) >> 6 !== 0) return 'not-stun';
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  if (view.getUint32(4) !== MAGIC_COOKIE) return 'not-stun';
  const length = view.getUint16(2);
  if (length % 4 !== 0 || HEADER + length !== msg.length) return 'bad-length';
  if (view.getUint16(0) !== BINDING_REQUEST) return 'not-binding-request';
  // Walk the attributes to check their framing and an optional FINGERPRINT, which must be last.
  const unknown: number[] = [];
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
    } else if (type < 0x8000 && !UNDERSTOOD.has(type) && !unknown.includes(type)) {
      unknown.push(type);
    }
    off = next;
  }
  return { transactionId: msg.slice(8, 20), unknown };
}

/**
 * A Binding success response telling the client the address and port we saw it from; undefined if
 * the address is not one we can write (it never should be, but it comes from outside).
 */
export function writeBindingSuccess(req: Pick<BindingRequest, 'transactionId'>, address: string, port: number, software?: string): Uint8Array | undefined {
  const ip = parseAddress(address);
  if (!ip || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
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
  return writeMessage(BINDING_SUCCESS, req.transactionId, attrs);
}

/** The 420 (Unknown Attribute) error response to a request carrying `req.unknown`. */
export function writeUnknownAttributes(req: BindingRequest, software?: string): Uint8Array {
  const reason = new TextEncoder().encode('Unknown Attribute');
  const code = new Uint8Array(4 + reason.length);
  code[2] = 4; // class: the hundreds digit
  code[3] = 20; // number: the rest
  code.set(reason, 4);
  // At most 100 listed: the request held at most 16 KB / 4 B of attributes anyway.
  const types = req.unknown.slice(0, 100);
  const list = new Uint8Array(types.length * 2);
  types.forEach((t, i) => new DataView(list.buffer).setUint16(i * 2, t));
  const attrs: [number, Uint8Array][] = [[ATTR_ERROR_CODE, code], [ATTR_UNKNOWN_ATTRIBUTES, list]];
  if (software) attrs.push([ATTR_SOFTWARE, new TextEncoder().encode(software.slice(0, 127))]);
  return writeMessage(BINDING_ERROR, req.transactionId, attrs);
}

/** Header, attributes padded to 4 bytes, FINGERPRINT last. */
function writeMessage(type: number, transactionId: Uint8Array, attrs: [number, Uint8Array][]): Uint8Array {
  const bodyLength = attrs.reduce((n, [, v]) => n + 4 + Math.ceil(v.length / 4) * 4, 0) + 8; // + FINGERPRINT
  const out = new Uint8Array(HEADER + bodyLength);
  const view = new DataView(out.buffer);
  view.setUint16(0, type);
  view.setUint16(2, bodyLength);
  view.setUint32(4, MAGIC_COOKIE);
  out.set(transactionId, 8);
  let off = HEADER;
  for (const [t, value] of attrs) {
    view.setUint16(off, t);
    view.setUint16(off + 2, value.length);
    out.set(value, off + 4);
    off += 4 + Math.ceil(value.length / 4) * 4;
  }
  view.setUint16(off, ATTR_FINGERPRINT);
  view.setUint16(off + 2, 4);
  view.setUint32(off + 4, (crc32(out.subarray(0, off)) ^ FINGERPRINT_XOR) >>> 0);
  return out;
}

/**
 * The bytes of a source address as Node reports it: IPv4, IPv6 (with `::`, an embedded IPv4 tail,
 * and a `%zone` on link-local sources, which is not part of the address), IPv4-mapped IPv6 as the
 * IPv4 it carries (the client sent IPv4). Undefined for anything else.
 */
export function parseAddress(address: string): Uint8Array | undefined {
  const ip = parseIp(address);
  return ip && unmapIpv4(ip).bytes;
}
