// The demo as a newcomer runs it: the real `npm start` (on a stack dir of its own), the page it serves, in
// headless Chromium. Alice and bob log in through the form (the WebSocket found by host-meta), and a
// relay-only call (`?ice=relay`, README) carries audio both ways through the stack's coturn, shown as
// "Relayed"; the echo test call works there too. The page runs under the stack server's
// Content-Security-Policy without a single violation (issue 11 A2, issue 12 item 9).
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, callState, grows, select, waitState } from '../harness/call-page.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../harness/chromium.ts';
import type { UserPage } from '../harness/client-e2e.ts';
import { startNpmStack, type NpmStack } from '../harness/npm-start.ts';

let stack: NpmStack;
let browser: Browser;
const pages: (UserPage & { violations: () => Promise<string[]>; csp: string | undefined })[] = [];

/** A page of its own (own context) at `path` of the stack, recording CSP violations from its first script. */
async function open(path: string): Promise<{ page: Page; logs: string[]; csp: string | undefined; violations: () => Promise<string[]> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => { logs.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => { logs.push(`pageerror: ${e.message}`); });
  // Injected by the browser's debugging protocol, which the page's CSP does not govern.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const response = await page.goto(new URL(path, stack.url).href);
  const csp = response?.headers()['content-security-policy'];
  const violations = async (): Promise<string[]> => [
    ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
    ...logs.filter((l) => /Content Security Policy/i.test(l)),
  ];
  return { page, logs, csp, violations };
}

async function login(user: 'alice' | 'bob', path: string): Promise<UserPage & { violations: () => Promise<string[]>; csp: string | undefined }> {
  const opened = await open(path);
  await opened.page.locator('jg-login input[name="jid"]').fill(`${user}@localhost`);
  await opened.page.locator('jg-login input[name="password"]').fill(stack.passwords[user] as string);
  await opened.page.locator('jg-login').getByRole('button', { name: 'Log in' }).click();
  try {
    await opened.page.locator('jg-app[status="online"]').waitFor({ timeout: 30_000 });
  } catch (err) {
    throw new Error(`${user} not online: ${(err as Error).message}\n${opened.logs.join('\n')}\n--- npm start:\n${stack.output()}`);
  }
  const p = { ...opened, user, jid: `${user}@localhost` };
  pages.push(p);
  return p;
}

beforeAll(async () => {
  stack = await startNpmStack();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('npm start in Chromium', () => {
  it('a relay-only call (?ice=relay) carries audio both ways over TURN relay candidates', async () => {
    const [alice, bob] = await Promise.all([login('alice', '/?ice=relay'), login('bob', '/?ice=relay')]);
    await select(alice, bob.jid);
    await select(bob, alice.jid);
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected', 30_000), waitState(bob, 'connected', 30_000)]);
    await Promise.all([
      grows(alice, 'inbound bytes over TURN', (s) => s.bytesReceived), grows(bob, 'inbound bytes over TURN', (s) => s.bytesReceived),
    ]);
    for (const u of [alice, bob]) {
      // The selected candidate pair, as the call controller reads it from getStats().
      const pair = await u.page.locator('jg-call').evaluate((el) => {
        const s = (el as HTMLElement & { controller?: { stats?: { localCandidateType?: string; remoteCandidateType?: string } } }).controller?.stats;
        return `${s?.localCandidateType} -> ${s?.remoteCandidateType}`;
      });
      expect(pair, u.user).toBe('relay -> relay');
      await expect.poll(() => u.page.locator('jg-call [data-test="call-path"]').textContent(), { timeout: 10_000 }).toBe('Relayed');
      expect((await callState(u.page)).stats?.local).toBe('relay');
    }
    await button(bob, 'Hang up').click();
    await Promise.all([waitState(alice, 'ended'), waitState(bob, 'ended')]);
  });

  it('the echo test call connects in the demo, over TURN too, and echoes media', async () => {
    const alice = pages.find((p) => p.user === 'alice');
    expect(alice).toBeDefined();
    await button(alice!, 'Test call').click();
    await waitState(alice!, 'connected', 30_000);
    await grows(alice!, 'echoed bytes', (s) => s.bytesReceived);
    expect((await callState(alice!.page)).stats?.local).toBe('relay');
    await button(alice!, 'Hang up').click();
    await waitState(alice!, 'ended');
  });

  it('the page is served under a strict CSP and runs without one violation', async () => {
    expect(pages.length).toBeGreaterThan(0); // the call above went through these very pages
    for (const p of pages) {
      expect(p.csp).toMatch(/script-src 'self'(;|$)/);
      expect(p.csp).toMatch(/connect-src 'self' ws:\/\/localhost:\d+ https:\/\/localhost(;|$)/);
      expect(p.csp).not.toMatch(/unsafe/);
      expect(await p.violations(), p.user).toEqual([]);
    }
    // A page that has only loaded: nothing refused either.
    const carol = await open('/');
    await carol.page.locator('jg-login input[name="jid"]').waitFor();
    expect(await carol.violations()).toEqual([]);
    // An inline script is really refused (the policy is on, not merely sent).
    await carol.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.append(s);
    });
    await expect.poll(() => carol.page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))
      .toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    expect(await carol.page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
  });
});
