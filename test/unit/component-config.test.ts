import { describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig } from '../../component/config.ts';
import { DEFAULT_LIMITS } from '../../schemas/limits.ts';

const base = ['--service', 'xmpp://127.0.0.1:5347', '--domain', 'jingle.example.com', '--secret', 's3cret'];
const load = (argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) =>
  loadConfig({ argv, env, readFile: (p) => {
    const f = files[p];
    if (f === undefined) throw new Error(`ENOENT: ${p}`);
    return f;
  } });

function problem(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('component config', () => {
  it('has defaults, and serves the parent domain', () => {
    const c = load(base);
    expect(c.hosts).toEqual(['example.com']);
    expect(c['turn-host']).toBe('example.com');
    expect(c['stun-port']).toBe(3478);
    expect(c['http-port']).toBe(0);
    expect(c['turn-secret']).toBeUndefined();
    expect(c['turn-transports']).toEqual(['udp', 'tcp']);
    expect(c['log-level']).toBe('info');
    // The translator's own defaults (schemas/limits.ts), which the component passes on.
    expect([c['max-sdp-line-length'], c['max-media'], c['max-list-length']])
      .toEqual([DEFAULT_LIMITS.maxLineLength, DEFAULT_LIMITS.maxMedia, DEFAULT_LIMITS.maxListLength]);
  });

  it('takes flags over environment over file', () => {
    const files = { '/c.json': JSON.stringify({ 'turn-port': 1111, 'stun-port': 1112, 'http-port': 1113, hosts: ['a.org', 'b.org'] }) };
    const c = load([...base, '--config', '/c.json', '--turn-port=2221'], { [envName('turn-port')]: '3331', [envName('stun-port')]: '3332' }, files);
    expect(c['turn-port']).toBe(2221);
    expect(c['stun-port']).toBe(3332);
    expect(c['http-port']).toBe(1113);
    expect(c.hosts).toEqual(['a.org', 'b.org']);
  });

  it.each([
    [['--domain', 'x.org', '--secret', 's'], 'service', 'is required'],
    [[...base, '--turn-port', 'abc'], 'turn-port', 'must be a port'],
    [[...base, '--turn-port', '70000'], 'turn-port', 'from 1 to 65535'],
    [[...base, '--service', 'http://x:1'], 'service', 'xmpp://HOST:PORT'],
    [[...base, '--log-level', 'loud'], 'log-level', 'must be fatal'],
    [[...base, '--turn-secret', 'short'], 'turn-secret', 'at least 8'],
    [[...base, '--hosts', 'bad host'], 'hosts', 'domain name'],
    [[...base, '--bogus', '1'], 'bogus', 'unknown option'],
    [[...base, '--turn-port'], 'turn-port', 'needs a value'],
    [[...base, '--config', '/missing.json'], 'config', 'cannot read'],
    [[...base, '--max-sdp-line-length', '10000'], 'max-sdp-line-length', 'from 256 to 4096'],
    [[...base, '--max-media', '0'], 'max-media', 'from 1 to 1024'],
  ])('%j: names %s and the fix', (argv, key, text) => {
    const e = problem(() => load(argv as string[]));
    expect(e.key).toBe(key);
    expect(e.message).toContain(text);
    expect(e.message).toContain(`--${key}`);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuses unknown keys and non-objects in the file', () => {
    expect(problem(() => load([...base, '--config', '/c.json'], {}, { '/c.json': '{"turn-prot": 1}' })).key).toBe('turn-prot');
    expect(problem(() => load([...base, '--config', '/c.json'], {}, { '/c.json': '[1]' })).key).toBe('config');
  });
});
