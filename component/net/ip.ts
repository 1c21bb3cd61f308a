/**
 * IP address text to bytes, and back, without throwing: the STUN server reads the addresses Node gives
 * it for every datagram (which may carry a zone, `fe80::1%eth0.100`, or an embedded IPv4 tail,
 * `::1.2.3.4`), and the echo peer reads the addresses callers write in candidates. Pure.
 */

export type IpFamily = 4 | 6;

export interface Ip {
  family: IpFamily;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
  /** The IPv6 zone (`%eth0` without the %), if the text had one. */
  zone?: string;
}

const DECIMAL_OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;
/** RFC 6874 allows any unreserved character in a zone; Linux names add `.`, `-`, `_`, `:` is never one. */
const ZONE = /^[A-Za-z0-9._~-]{1,64}$/;

/** Strict dotted quad: four decimal octets, no leading zeros (which some stacks read as octal). */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => DECIMAL_OCTET.test(p))) return undefined;
  return Uint8Array.from(parts.map(Number));
}

/** RFC 4291 2.2 text forms: eight hextets, `::` once, a dotted-quad tail; a `%zone` is split off. */
export function parseIpv6(text: string): { bytes: Uint8Array; zone?: string } | undefined {
  let zone: string | undefined;
  const pct = text.indexOf('%');
  let body = text;
  if (pct >= 0) {
    zone = text.slice(pct + 1);
    body = text.slice(0, pct);
    if (!ZONE.test(zone)) return undefined;
  }
  if (body.length === 0 || body.length > 45) return undefined;
  let tail: Uint8Array | undefined;
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    tail = parseIpv4(body.slice(lastColon + 1));
    if (!tail) return undefined;
    // The quad stands for two hextets: `::1.2.3.4` leaves `::`, `::ffff:1.2.3.4` leaves `::ffff`.
    const prefix = body.slice(0, lastColon + 1);
    body = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const want = tail ? 6 : 8;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if (![...head, ...rest].every((h) => HEXTET.test(h))) return undefined;
  let groups: string[];
  if (halves.length === 2) {
    const missing = want - head.length - rest.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== want) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return zone === undefined ? { bytes } : { bytes, zone };
}

/** Either family; undefined for anything that is not a literal address (host names included). */
export function parseIp(text: string): Ip | undefined {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 && (v6.zone === undefined ? { family: 6, bytes: v6.bytes } : { family: 6, bytes: v6.bytes, zone: v6.zone });
  }
  const v4 = parseIpv4(text);
  return v4 && { family: 4, bytes: v4 };
}

/** `::ffff:a.b.c.d` is an IPv4 address on an IPv6 socket: classify and compare it as IPv4. */
export function unmapIpv4(ip: Ip): Ip {
  if (ip.family !== 6) return ip;
  const b = ip.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return ip;
  if (b[10] !== 0xff || b[11] !== 0xff) return ip;
  return { family: 4, bytes: b.slice(12) };
}

/** One canonical text per address (IPv4-mapped as IPv4, zone dropped), for equality checks. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  const u = unmapIpv4(ip);
  if (u.family === 4) return Array.from(u.bytes).join('.');
  const hextets: string[] = [];
  for (let i = 0; i < 16; i += 2) hextets.push((((u.bytes[i] as number) << 8) | (u.bytes[i + 1] as number)).toString(16));
  return hextets.join(':');
}
