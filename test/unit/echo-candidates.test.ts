// The echo peer's policy for the caller's candidates (issue 12 item 1), and the option behind it.
import { describe, expect, it } from 'vitest';
import { RemoteCandidatePolicy } from '../../component/services/echo-candidates.ts';
import { cidr } from '../../component/net/cidr.ts';
import { loadConfig } from '../../component/config.ts';

const line = (address: string, port = 5000, transport = 'udp') => `candidate:1 1 ${transport} 2122260223 ${address} ${port} typ host generation 0`;
const BASE = ['--service', 'xmpp://127.0.0.1:5347', '--domain', 'jingle.example.com', '--secret', 's'];

describe('remote candidates the echo peer uses', () => {
  it('by default only UDP with a literal public unicast address', () => {
    const p = new RemoteCandidatePolicy([]);
    expect(p.admit(line('8.8.8.8'))).toEqual({ ok: true });
    expect(p.admit(`a=${line('2a00:1450:4001::200e')}`)).toEqual({ ok: true });
    const refused: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['::1', 'loopback'], ['10.1.2.3', 'private'], ['172.20.0.1', 'private'], ['192.168.0.9', 'private'],
      ['100.64.1.1', 'shared'], ['fd00::2', 'private'], ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'],
      ['224.0.0.251', 'multicast'], ['ff02::fb', 'multicast'], ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
      ['192.0.2.2', 'documentation'], ['240.1.1.1', 'reserved'], ['::ffff:127.0.0.1', 'loopback'],
      ['0f3a9b9e-2c1d-4a7e-9a55-3d8f1c2b4e6a.local', 'mdns'], ['victim.example', 'hostname'], ['fe80::1%eth0', 'zone'],
    ];
    for (const [address, reason] of refused) expect(p.admit(line(address)), address).toEqual({ ok: false, reason, address });
    expect(p.admit(line('8.8.4.4', 9, 'tcp'))).toMatchObject({ ok: false, reason: 'not-udp' });
    expect(p.admit(line('8.8.4.4', 0))).toMatchObject({ ok: false, reason: 'bad-port' });
    expect(p.admit(line('8.8.4.4', 70000))).toMatchObject({ ok: false, reason: 'bad-port' });
    expect(p.admit('candidate:1 1 udp')).toEqual({ ok: false, reason: 'malformed' });
    expect(p.used).toBe(2);
  });

  it('allowed networks open what they list, and nothing else', () => {
    const p = new RemoteCandidatePolicy([cidr('127.0.0.0/8'), cidr('::1/128')]);
    expect(p.admit(line('127.0.0.2'))).toEqual({ ok: true });
    expect(p.admit(line('::1'))).toEqual({ ok: true });
    expect(p.admit(line('10.0.0.1'))).toMatchObject({ ok: false, reason: 'private' });
  });

  it('at most `max` per call; the first one over is flagged for the log, the others not; repeats cost nothing', () => {
    const p = new RemoteCandidatePolicy([], 20);
    for (let i = 0; i < 20; i++) expect(p.admit(line('8.8.8.8', 1000 + i)).ok).toBe(true);
    expect(p.admit(line('8.8.8.8', 1000))).toEqual({ ok: true });
    expect(p.admit(line('8.8.8.8', 2000))).toEqual({ ok: false, reason: 'limit', address: '8.8.8.8', first: true });
    expect(p.admit(line('8.8.8.8', 2001))).toEqual({ ok: false, reason: 'limit', address: '8.8.8.8', first: false });
    expect(p.used).toBe(20);
  });
});

describe('echo-allow-networks', () => {
  it('is a CIDR list from a flag, the environment or the config file; none by default', () => {
    const read = (argv: string[], env: Record<string, string> = {}, file = '') => loadConfig({ argv: [...BASE, ...argv], env, readFile: () => file });
    expect(read([])['echo-allow-networks']).toEqual([]);
    expect(read(['--echo-allow-networks', '127.0.0.0/8, ::1/128'])['echo-allow-networks'].map((c) => c.text)).toEqual(['127.0.0.0/8', '::1/128']);
    expect(read([], { JINGLE_GATEWAY_ECHO_ALLOW_NETWORKS: '10.0.0.0/8' })['echo-allow-networks'].map((c) => c.prefix)).toEqual([8]);
    expect(read(['--config', 'f.json'], {}, JSON.stringify({ 'echo-allow-networks': ['192.168.0.0/16', '127.0.0.1'] }))['echo-allow-networks'].map((c) => c.text))
      .toEqual(['192.168.0.0/16', '127.0.0.1']);
    expect(read([])['echo-max-candidates']).toBe(20);
  });

  it('a bad network stops start-up naming the option, the value and how to write it', () => {
    expect(() => loadConfig({ argv: [...BASE, '--echo-allow-networks', '127.0.0.1/8'], env: {}, readFile: () => '' }))
      .toThrow(/^config: echo-allow-networks: must list networks like 127\.0\.0\.0\/8,::1\/128: "127\.0\.0\.1\/8" has host bits set; write the network address, e\.g\. 127\.0\.0\.0\/8 .*--echo-allow-networks, JINGLE_GATEWAY_ECHO_ALLOW_NETWORKS/);
    expect(() => loadConfig({ argv: [...BASE, '--echo-allow-networks', 'localhost'], env: {}, readFile: () => '' }))
      .toThrow(/echo-allow-networks: .*"localhost" is not an IP network/);
  });
});

describe('stun-bind', () => {
  it('takes a link-local IPv6 address with its zone, and refuses what is neither a name nor an address', () => {
    const read = (v: string) => loadConfig({ argv: [...BASE, '--stun-bind', v], env: {}, readFile: () => '' })['stun-bind'];
    expect(read('fe80::1%eth0.100')).toBe('fe80::1%eth0.100');
    expect(read('::1')).toBe('::1');
    expect(read('stun.example.com')).toBe('stun.example.com');
    expect(() => read('fe80::1%')).toThrow(/^config: stun-bind: must be a host name or an IP address/);
  });
});
