// The pieces of `npm start` that need no servers: coturn's config, the page's security headers, the
// port checks (a port must be free for the protocol that will be bound), /proc parsing, and the
// stack's web server answering with those headers.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coturnConfig, RELAY_PORTS } from '../../scripts/stack-coturn.ts';
import { contentSecurityPolicy, securityHeaders } from '../../scripts/stack-csp.ts';
import { parseStat } from '../../scripts/stack-lifeline.ts';
import { freePort, portFree } from '../../scripts/stack-ports.ts';
import { startStackServer } from '../../scripts/stack-server.ts';
import { stackPaths } from '../../scripts/stack-state.ts';

describe('coturn config', () => {
  const text = coturnConfig({ dir: '/tmp/s/coturn', port: 40001, secret: 'abc123', realm: 'localhost', relay: RELAY_PORTS });
  const lines = new Set(text.split('\n'));

  it('serves TURN REST credentials from the shared secret on loopback, relaying on loopback', () => {
    for (const line of ['listening-ip=127.0.0.1', 'relay-ip=127.0.0.1', 'listening-port=40001', 'use-auth-secret',
      'static-auth-secret=abc123', 'realm=localhost', 'no-tls', 'no-dtls', 'no-cli', `min-port=${RELAY_PORTS.min}`,
      `max-port=${RELAY_PORTS.max}`]) expect(lines, line).toContain(line);
  });

  it('lets 127.0.0.1 be a peer (coturn refuses loopback by default), and nothing else', () => {
    expect(lines).toContain('allow-loopback-peers');
    expect(lines).toContain('allowed-peer-ip=127.0.0.1');
    expect(lines).toContain('denied-peer-ip=0.0.0.0-255.255.255.255');
  });

  it('keeps its log, pid file and database in the stack dir, not in /var', () => {
    expect(lines).toContain('log-file=/tmp/s/coturn/turnserver.log');
    expect(lines).toContain('pidfile=/tmp/s/coturn/turnserver.pid');
    expect(lines).toContain('userdb=/tmp/s/coturn/turndb');
  });

  it('refuses a value that would add a line', () => {
    expect(() => coturnConfig({ dir: '/tmp', port: 1, secret: 'a\nno-auth', realm: 'x', relay: RELAY_PORTS })).toThrow(/unsafe/);
  });
});

describe('security headers of the page', () => {
  it('is a strict policy: no inline script or style, the WebSocket of this origin only', () => {
    const csp = contentSecurityPolicy({ host: 'localhost:8080' });
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': "'self'", 'script-src': "'self'", 'style-src': "'self'", 'connect-src': "'self' ws://localhost:8080",
      'img-src': "'self' data: blob:", 'media-src': "'self' blob:", 'object-src': "'none'", 'base-uri': "'none'",
      'form-action': "'self'", 'frame-ancestors': "'none'",
    });
    expect(csp).not.toMatch(/unsafe/);
  });

  it('never copies a crafted Host into the policy', () => {
    for (const host of ['evil.example; script-src *', 'a b', "x'y", '']) {
      expect(contentSecurityPolicy({ host })).toContain("connect-src 'self'; ");
    }
    expect(contentSecurityPolicy({ host: '[::1]:8080', websocketScheme: 'wss' })).toContain("connect-src 'self' wss://[::1]:8080;");
  });

  it('names the users\' domains for their XEP-0156 host-meta, adds nosniff and no-referrer', () => {
    expect(contentSecurityPolicy({ host: 'chat.example.com', websocketScheme: 'wss', xmppDomains: ['example.com', 'bad domain'] }))
      .toContain("connect-src 'self' wss://chat.example.com https://example.com;");
    expect(securityHeaders()).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  });
});

describe('ports for the stack', () => {
  let udp: Socket;
  let port: number;
  beforeAll(async () => {
    udp = createSocket('udp4');
    await new Promise<void>((ok) => udp.bind(0, '127.0.0.1', () => ok()));
    port = udp.address().port;
  });
  afterAll(() => udp.close());

  it('a port held over UDP only is free for TCP but not for a STUN or TURN server', async () => {
    expect(await portFree(port, ['tcp'])).toBe(true);
    expect(await portFree(port, ['udp'])).toBe(false);
    expect(await portFree(port, ['udp', 'tcp'])).toBe(false);
  });

  it('scanning from a busy UDP port skips it when UDP is asked for', async () => {
    expect(await freePort({ from: port, protocols: ['tcp'] })).toBe(port);
    const got = await freePort({ from: port, protocols: ['udp', 'tcp'] });
    expect(got).toBeGreaterThan(port);
    expect(await portFree(got, ['udp', 'tcp'])).toBe(true);
  });

  it('never hands out a port to avoid', async () => {
    const first = await freePort({ from: 20000, protocols: ['tcp'] });
    expect(await freePort({ from: 20000, protocols: ['tcp'], avoid: [first] })).not.toBe(first);
  });
});

describe('stack dir and /proc', () => {
  it('is .stack in the checkout, or JG_STACK_DIR', () => {
    expect(stackPaths('/repo', {}).root).toBe('/repo/.stack');
    expect(stackPaths('/repo', { JG_STACK_DIR: '/tmp/x' }).coturn).toBe('/tmp/x/coturn');
  });

  it('reads ppid, state and start time even when the command name holds spaces and parentheses', () => {
    const stat = '123 (tsx (x) y) S 45 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 7 0 98765 1000 200';
    expect(parseStat(stat)).toEqual({ state: 'S', ppid: 45, start: '98765' });
  });
});

describe('the stack web server', () => {
  let dir: string;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jg-stack-web-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const port = await freePort({ protocols: ['tcp'] });
    server = await startStackServer({ root: dir, prosodyHttpPort: 1, port });
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page and host-meta with the security headers', async () => {
    for (const path of ['/', '/.well-known/host-meta.json', '/no/such/route']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(contentSecurityPolicy({ host: new URL(base).host }));
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers a malformed escape with 400 and keeps serving', async () => {
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});
