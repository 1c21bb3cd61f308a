/**
 * CIDR blocks (`10.0.0.0/8`, `fe80::/10`, a bare address as a /32 or /128) and whether an address falls
 * in one. Pure; used by the address classes and by the `echo-allow-networks` option.
 */
import { parseIp, unmapIpv4, type Ip, type IpFamily } from './ip.ts';

export interface Cidr {
  family: IpFamily;
  bytes: Uint8Array;
  prefix: number;
  /** As written in the config, for log lines and error messages. */
  text: string;
}

export type CidrProblem = { problem: string };

export function parseCidr(text: string): Cidr | CidrProblem {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addr);
  if (!ip || ip.zone !== undefined) return { problem: `${JSON.stringify(text)} is not an IP network like 203.0.113.0/24 or 2001:db8::/32` };
  const max = ip.family === 4 ? 32 : 128;
  const bits = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > max) {
    return { problem: `${JSON.stringify(text)} has a bad prefix length (0 to ${max})` };
  }
  const prefix = Number(bits);
  // Host bits set (10.1.2.3/8) is almost always a typo for a narrower network: refuse it.
  if (!hostBitsClear(ip.bytes, prefix)) {
    return { problem: `${JSON.stringify(text)} has host bits set; write the network address, e.g. ${networkText(ip, prefix)}` };
  }
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are compared unmapped.
  const v4 = unmapIpv4(ip);
  if (v4.family === 4 && ip.family === 6 && prefix >= 96) return { family: 4, bytes: v4.bytes, prefix: prefix - 96, text };
  return { family: ip.family, bytes: ip.bytes, prefix, text };
}

/** Whether `ip` (an IPv4-mapped IPv6 address counts as IPv4) lies in `cidr`. */
export function inCidr(ip: Ip, cidr: Pick<Cidr, 'family' | 'bytes' | 'prefix'>): boolean {
  const u = unmapIpv4(ip);
  return u.family === cidr.family && sameNetwork(u.bytes, cidr.bytes, cidr.prefix);
}

/** A range written as a literal, for the tables of special ranges. Throws on a typo in the table. */
export function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if ('problem' in c) throw new Error(`cidr table: ${c.problem}`);
  return c;
}

function sameNetwork(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const whole = prefix >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] as number) & mask) === ((b[whole] as number) & mask);
}

function hostBitsClear(bytes: Uint8Array, prefix: number): boolean {
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1) return false;
  }
  return true;
}

function networkText(ip: Ip, prefix: number): string {
  const b = ip.bytes.slice();
  for (let bit = prefix; bit < b.length * 8; bit++) b[bit >> 3] = (b[bit >> 3] as number) & ~(1 << (7 - (bit & 7)));
  if (ip.family === 4) return `${Array.from(b).join('.')}/${prefix}`;
  const h: string[] = [];
  for (let i = 0; i < 16; i += 2) h.push((((b[i] as number) << 8) | (b[i + 1] as number)).toString(16));
  return `${h.join(':')}/${prefix}`;
}
