/** What the translator assumes where the Jingle says nothing (what browsers write), and fresh ids. */

export const DEFAULT_RTP_PROTOCOL = 'UDP/TLS/RTP/SAVPF';
export const DEFAULT_APPLICATION_PROTOCOL = 'UDP/DTLS/SCTP';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id from the platform's CSPRNG (Web Crypto: Node 20 and browsers alike). */
export function randomId(length: number): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

export function newSid(): string {
  return randomId(16);
}

/**
 * XEP-0176 wants an id on every candidate, unique in the session. A random prefix per page or
 * process plus a counter is unique without costing a CSPRNG call per candidate.
 */
// XEP-0176 ids are NCNames: they must not start with a digit.
const prefix = `c${randomId(6)}`;
let counter = 0;
export function candidateId(): string {
  counter = (counter + 1) % 0x7fffffff;
  return `${prefix}${counter.toString(36)}`;
}

/** A stable decimal session id for o= derived from the Jingle sid (FNV-1a), so re-offers keep it. */
export function originSessionId(sid: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < sid.length; i++) {
    h ^= sid.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h);
}
