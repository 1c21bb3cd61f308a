// The pure address modules behind the echo peer's candidate policy and the STUN server's replies.
import { describe, expect, it } from 'vitest';
import { canonicalIp, parseIp, parseIpv4, parseIpv6 } from '../../component/net/ip.ts';
import { inCidr, parseCidr, type Cidr } from '../../component/net/cidr.ts';
import { checkRemoteAddress, classifyIp } from '../../component/net/address-class.ts';

const bytes = (text: string): number[] | undefined => {
  const ip = parseIp(text);
  return ip && Array.from(ip.bytes);
};
const cls = (text: string) => classifyIp(parseIp(text)!);
const net = (text: string): Cidr => {
  const c = parseCidr(text);
  if ('problem' in c) throw new Error(c.problem);
  return c;
};

describe('parseIp', () => {
  it('reads strict dotted quads and refuses the rest', () => {
    expect(bytes('192.0.2.1')).toEqual([192, 0, 2, 1]);
    expect(bytes('0.0.0.0')).toEqual([0, 0, 0, 0]);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.4 ', '', 'a.b.c.d', '-1.2.3.4', '0x7f.0.0.1']) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });

  it('reads every IPv6 text form of RFC 4291 2.2', () => {
    expect(bytes('::')).toEqual(Array(16).fill(0));
    expect(bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(bytes('2001:DB8::8:800:200C:417A')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]);
    expect(bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(bytes('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(bytes('::2:3:4:5:6:7:8')).toEqual([0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
  });

  it('reads an embedded IPv4 tail, compatible (::1.2.3.4) or mapped (::ffff:1.2.3.4)', () => {
    expect(bytes('::1.2.3.4')).toEqual([...Array(12).fill(0), 1, 2, 3, 4]);
    expect(bytes('::ffff:1.2.3.4')).toEqual([...Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]);
    expect(bytes('64:ff9b::192.0.2.33')).toEqual([0, 0x64, 0xff, 0x9b, ...Array(8).fill(0), 192, 0, 2, 33]);
    expect(bytes('1:2:3:4:5:6:1.2.3.4')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
  });

  it('splits off a zone id, as Node reports link-local sources', () => {
    expect(parseIpv6('fe80::1%eth0.100')).toEqual({ bytes: Uint8Array.from([0xfe, 0x80, ...Array(13).fill(0), 1]), zone: 'eth0.100' });
    expect(parseIp('fe80::1%2')?.zone).toBe('2');
    expect(parseIp('fe80::1%')).toBeUndefined();
    expect(parseIp('fe80::1%a b')).toBeUndefined();
  });

  it('refuses malformed IPv6 without throwing', () => {
    for (const bad of [':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '::1.2.3', '::1.2.3.256',
      '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:5', ':1::', '1::2:', 'localhost', 'example.local', '[::1]']) {
      expect(() => parseIp(bad), bad).not.toThrow();
      expect(parseIp(bad), bad).toBeUndefined();
    }
  });

  it('has one canonical text per address', () => {
    expect(canonicalIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalIp('2001:DB8:0::1')).toBe(canonicalIp('2001:db8::0:1'));
    expect(canonicalIp('fe80::1%eth0')).toBe(canonicalIp('fe80::1'));
    expect(canonicalIp('nope')).toBeUndefined();
  });
});

describe('CIDR blocks', () => {
  it('parse, and match both families; an IPv4-mapped address matches as IPv4', () => {
    const ten = net('10.0.0.0/8');
    expect(inCidr(parseIp('10.255.1.2')!, ten)).toBe(true);
    expect(inCidr(parseIp('11.0.0.1')!, ten)).toBe(false);
    expect(inCidr(parseIp('::ffff:10.1.2.3')!, ten)).toBe(true);
    expect(inCidr(parseIp('::10.1.2.3')!, ten)).toBe(false);
    expect(inCidr(parseIp('fe80::abcd%lo')!, net('fe80::/10'))).toBe(true);
    expect(inCidr(parseIp('fec0::1')!, net('fe80::/10'))).toBe(false);
    expect(inCidr(parseIp('127.0.0.1')!, net('127.0.0.1'))).toBe(true);
    expect(inCidr(parseIp('127.0.0.2')!, net('127.0.0.1/32'))).toBe(false);
    expect(inCidr(parseIp('1.2.3.4')!, net('0.0.0.0/0'))).toBe(true);
    expect(inCidr(parseIp('::1')!, net('0.0.0.0/0'))).toBe(false);
    expect(inCidr(parseIp('10.0.0.1')!, net('::ffff:10.0.0.0/104'))).toBe(true);
  });

  it('refuse bad text, prefix lengths and host bits, saying what to write', () => {
    expect(parseCidr('10.0.0.0/33')).toEqual({ problem: expect.stringContaining('0 to 32') });
    expect(parseCidr('::/129')).toEqual({ problem: expect.stringContaining('0 to 128') });
    expect(parseCidr('10.1.2.3/8')).toEqual({ problem: expect.stringContaining('10.0.0.0/8') });
    expect(parseCidr('fe80::1/10')).toEqual({ problem: expect.stringContaining('fe80:0:0:0:0:0:0:0/10') });
    expect(parseCidr('example.com/8')).toHaveProperty('problem');
    expect(parseCidr('10.0.0.0/')).toHaveProperty('problem');
    expect(parseCidr('fe80::%eth0/10')).toHaveProperty('problem');
  });
});

describe('address classes', () => {
  it('IPv4', () => {
    const table: [string, string][] = [
      ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['100.63.255.255', 'public'], ['100.128.0.0', 'public'], ['172.32.0.1', 'public'],
      ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'],
      ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
      ['100.64.0.1', 'shared'], ['100.127.255.254', 'shared'], ['169.254.169.254', 'link-local'],
      ['224.0.0.251', 'multicast'], ['239.255.255.250', 'multicast'], ['255.255.255.255', 'reserved'], ['240.0.0.1', 'reserved'],
      ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
      ['198.18.0.1', 'reserved'], ['192.0.0.8', 'reserved'],
    ];
    for (const [ip, want] of table) expect(cls(ip), ip).toBe(want);
  });

  it('IPv6, and IPv4-mapped addresses as the IPv4 they carry', () => {
    const table: [string, string][] = [
      ['2a00:1450:4001::200e', 'public'], ['2606:4700::1111', 'public'], ['::', 'unspecified'], ['::1', 'loopback'],
      ['fc00::1', 'private'], ['fd12:3456::1', 'private'], ['fe80::1', 'link-local'], ['fe80::1%eth0.100', 'link-local'],
      ['ff02::1', 'multicast'], ['2001:db8::1', 'documentation'], ['64:ff9b::10.0.0.1', 'reserved'], ['2002:a00:1::1', 'reserved'],
      ['2001::1', 'reserved'], ['::1.2.3.4', 'reserved'], ['fec0::1', 'reserved'], ['4000::1', 'reserved'],
      ['::ffff:127.0.0.1', 'loopback'], ['::ffff:192.168.0.1', 'private'], ['::ffff:8.8.8.8', 'public'],
    ];
    for (const [ip, want] of table) expect(cls(ip), ip).toBe(want);
  });

  it('the echo peer\'s verdict: public unicast, or inside the allowed networks; never names', () => {
    expect(checkRemoteAddress('8.8.8.8', [])).toMatchObject({ ok: true });
    expect(checkRemoteAddress('127.0.0.1', [])).toEqual({ ok: false, reason: 'loopback' });
    expect(checkRemoteAddress('127.0.0.1', [net('127.0.0.0/8')])).toMatchObject({ ok: true });
    expect(checkRemoteAddress('::ffff:127.0.0.1', [net('127.0.0.0/8')])).toMatchObject({ ok: true });
    expect(checkRemoteAddress('127.0.0.2', [net('127.0.0.1/32')])).toEqual({ ok: false, reason: 'loopback' });
    expect(checkRemoteAddress('198.51.100.7', [net('198.51.100.0/24')])).toMatchObject({ ok: true });
    expect(checkRemoteAddress('10.1.1.1', [net('192.168.0.0/16')])).toEqual({ ok: false, reason: 'private' });
    expect(checkRemoteAddress('fe80::1%eth0', [net('fe80::/10')])).toEqual({ ok: false, reason: 'zone' });
    expect(checkRemoteAddress('4b3a0c8e-1b6d-4c3e-9f8a-2b1c0d9e8f7a.local', [net('0.0.0.0/0')])).toEqual({ ok: false, reason: 'mdns' });
    expect(checkRemoteAddress('attacker.example', [net('0.0.0.0/0')])).toEqual({ ok: false, reason: 'hostname' });
    expect(checkRemoteAddress('localhost', [])).toEqual({ ok: false, reason: 'hostname' });
  });
});
