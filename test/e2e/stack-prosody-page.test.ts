// The built client served by Prosody 0.12 itself, as the README's deployment says, through
// deploy/prosody/mod_jingle_gateway_web.lua (mod_http_files cannot set headers): the page and its assets
// carry the strict CSP, nosniff and no-referrer, and in Chromium the page logs in over the WebSocket of
// the same origin without a single CSP violation (issue 12 item 9).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lua, prosodyConfig } from '../../scripts/prosody-config.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../harness/chromium.ts';
import { buildClient } from '../harness/client-e2e.ts';
import { freePorts, run, spawnServer, stopServer, waitForPort, type ServerProcess } from '../harness/ports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let dir: string;
let prosody: ServerProcess;
let http: number;
let browser: Browser;
let page: string;

beforeAll(async () => {
  const dist = await buildClient();
  dir = await mkdtemp(join(tmpdir(), 'jg-prosody-page-'));
  await mkdir(join(dir, 'data'));
  const [c2s, httpPort, component] = await freePorts(3);
  http = httpPort!;
  const cfg = join(dir, 'prosody.cfg.lua');
  await writeFile(cfg, prosodyConfig({
    dir, ports: { c2s: c2s!, http, component: component! }, components: {}, turnSecret: 'unused-here', turnPort: 3478,
    extraModules: ['jingle_gateway_web'],
    globalLines: [`plugin_paths = { ${lua(join(ROOT, 'deploy/prosody'))} }`, `jingle_gateway_web_dir = ${lua(dist)}`],
  }));
  await run('prosodyctl', ['--config', cfg, 'register', 'alice', 'localhost', 'alice-pw']);
  prosody = spawnServer('prosody', ['--config', cfg, '-F'], { cwd: dir });
  await waitForPort(http, 15_000, () => prosody.exitReason());
  page = `http://localhost:${http}/call/`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (prosody) await stopServer(prosody);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the client served by Prosody (mod_jingle_gateway_web)', () => {
  it('sends the page and its script with the strict CSP, nosniff and no-referrer', async () => {
    const res = await fetch(page);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(new URL(script!, page));
    expect(js.headers.get('content-type')).toBe('text/javascript');
    for (const r of [res, js]) {
      expect(r.headers.get('content-security-policy')).toBe("default-src 'self'; script-src 'self'; style-src 'self'; "
        + "connect-src 'self' https://localhost; img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('logs in over the WebSocket of its own origin in Chromium, with no CSP violation', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const logs: string[] = [];
    p.on('console', (m) => { logs.push(`${m.type()}: ${m.text()}`); });
    await p.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => { seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`); });
    });
    await p.goto(page);
    await p.locator('jg-login input[name="jid"]').fill('alice@localhost');
    await p.locator('jg-login input[name="password"]').fill('alice-pw');
    await p.locator('jg-login summary', { hasText: 'Advanced' }).click();
    await p.locator('jg-login input[name="service"]').fill(`ws://localhost:${http}/xmpp-websocket`);
    await p.locator('jg-login').getByRole('button', { name: 'Log in' }).click();
    await p.locator('jg-app[status="online"]').waitFor({ timeout: 30_000 }).catch((err: Error) => { throw new Error(`${err.message}\n${logs.join('\n')}`); });
    const violations = [...await p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      ...logs.filter((l) => /Content Security Policy/i.test(l))];
    expect(violations).toEqual([]);
    await context.close();
  });
});
