// STUN messages for tests: a Binding request with chosen attributes, and a reader for replies.
import { crc32 } from '../../component/stun/crc32.ts';
import { MAGIC_COOKIE } from '../../component/stun/message.ts';

export const TXID = Uint8Array.from({ length: 12 }, (_, i) => i + 1);

/** A Binding request with the given attributes (type, value), and FINGERPRINT last if asked. */
export function bindingRequest(attrs: [number, Uint8Array][] = [], fingerprint = true): Uint8Array {
  const body = attrs.reduce((n, [, v]) => n + 4 + Math.ceil(v.length / 4) * 4, 0) + (fingerprint ? 8 : 0);
  const m = new Uint8Array(20 + body);
  const v = new DataView(m.buffer);
  v.setUint16(0, 0x0001);
  v.setUint16(2, body);
  v.setUint32(4, MAGIC_COOKIE);
  m.set(TXID, 8);
  let off = 20;
  for (const [type, value] of attrs) {
    v.setUint16(off, type);
    v.setUint16(off + 2, value.length);
    m.set(value, off + 4);
    off += 4 + Math.ceil(value.length / 4) * 4;
  }
  if (fingerprint) {
    v.setUint16(off, 0x8028);
    v.setUint16(off + 2, 4);
    v.setUint32(off + 4, (crc32(m.subarray(0, off)) ^ 0x5354554e) >>> 0);
  }
  return m;
}

/** Attribute type -> value of a STUN message, and its type. */
export function readMessage(m: Uint8Array): { type: number; attrs: Map<number, Uint8Array> } {
  const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
  const attrs = new Map<number, Uint8Array>();
  for (let off = 20; off < m.length;) {
    const len = v.getUint16(off + 2);
    attrs.set(v.getUint16(off), m.slice(off + 4, off + 4 + len));
    off += 4 + Math.ceil(len / 4) * 4;
  }
  return { type: v.getUint16(0), attrs };
}
