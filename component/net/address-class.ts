/**
 * What kind of address a literal IP is, from the IANA special-purpose address registries (RFC 6890 and
 * its updates), so the echo peer can refuse to send to anything but public unicast addresses: a caller
 * must not be able to point our UDP at loopback, the LAN, link-local neighbours or multicast groups.
 * Pure.
 */
import { cidr, inCidr, type Cidr } from './cidr.ts';
import { parseIp, unmapIpv4, type Ip } from './ip.ts';

export type AddressClass =
  | 'public' | 'unspecified' | 'loopback' | 'private' | 'shared' | 'link-local' | 'multicast'
  | 'documentation' | 'reserved';

/** First match wins; order does not matter as these do not overlap except where noted. */
const V4: readonly [Cidr, AddressClass][] = [
  [cidr('0.0.0.0/8'), 'unspecified'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'shared'], // RFC 6598 carrier-grade NAT
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'reserved'], // IETF protocol assignments
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.88.99.0/24'), 'reserved'], // former 6to4 relay anycast
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'reserved'], // benchmarking
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('240.0.0.0/4'), 'reserved'], // includes 255.255.255.255
];

const V6: readonly [Cidr, AddressClass][] = [
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  [cidr('fc00::/7'), 'private'], // unique local
  [cidr('fe80::/10'), 'link-local'],
  [cidr('ff00::/8'), 'multicast'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('3fff::/20'), 'documentation'],
  // Prefixes that carry or translate an IPv4 address (NAT64, 6to4, Teredo): they could reach any
  // IPv4 target, private ones included, so they are not "public" on their own.
  [cidr('64:ff9b::/96'), 'reserved'],
  [cidr('64:ff9b:1::/48'), 'reserved'],
  [cidr('2002::/16'), 'reserved'],
  [cidr('2001::/23'), 'reserved'], // IETF protocol assignments, Teredo 2001::/32 among them
  [cidr('100::/64'), 'reserved'], // discard-only
  [cidr('5f00::/16'), 'reserved'], // SRv6 SIDs
];

/** Global unicast is 2000::/3; everything else in IPv6 is unassigned or special. */
const GLOBAL_UNICAST_V6 = cidr('2000::/3');

export function classifyIp(ip: Ip): AddressClass {
  const u = unmapIpv4(ip);
  const table = u.family === 4 ? V4 : V6;
  for (const [range, cls] of table) if (inCidr(u, range)) return cls;
  if (u.family === 6 && !inCidr(u, GLOBAL_UNICAST_V6)) return 'reserved';
  return 'public';
}

export type AddressVerdict =
  | { ok: true; ip: Ip }
  | { ok: false; reason: AddressClass | 'hostname' | 'mdns' | 'zone' };

/**
 * May the echo peer send to `text`? Only a literal public unicast address, or one inside `allow`
 * (the operator's `echo-allow-networks`). Host names are refused whatever `allow` says: resolving
 * them would let a caller choose the target through DNS, and `.local` names are mDNS.
 */
export function checkRemoteAddress(text: string, allow: readonly Cidr[]): AddressVerdict {
  const ip = parseIp(text);
  if (!ip) return { ok: false, reason: /\.local\.?$/i.test(text) ? 'mdns' : 'hostname' };
  // A zone names one of our interfaces: only ever link-local, and chosen by the caller. Never.
  if (ip.zone !== undefined) return { ok: false, reason: 'zone' };
  if (allow.some((c) => inCidr(ip, c))) return { ok: true, ip };
  const cls = classifyIp(ip);
  return cls === 'public' ? { ok: true, ip } : { ok: false, reason: cls };
}
