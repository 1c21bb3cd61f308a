// Shared set-up for end-to-end tests of the web client: the BUILT client (vite build into dist/client,
// reused while fresh) served over http://localhost, a real Prosody, our component, and headless
// Chromium pages that log users in through the UI.
//
//   const e2e = await startClientE2E();                 // in beforeAll (users alice, bob, carol)
//   const alice = await e2e.login('alice');             // a page of its own, logged in, online
//   await alice.page.getByRole('button', { name: 'Log in' }) ...   // Playwright locators pierce shadow DOM
//   await e2e.stop();                                   // in afterAll
//
// Every user page lives in its own browser context (own storage), in one shared Chromium.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowserPage, type BrowserPage } from './chromium.ts';
import { runComponent, type TestComponentProcess } from './component.ts';
import { startCutProxy, type CutProxy } from './cut-proxy.ts';
import { buildIfStale } from './fresh-build.ts';
import { sleep } from './ports.ts';
import { startProsody, type ProsodyServer } from './prosody.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where `npm run build` puts the client. */
export const CLIENT_DIST = join(ROOT, 'dist/client');
/** Inputs of the build: a change to any of them makes dist/client stale. */
const BUILD_INPUTS = ['client', 'schemas', 'vite.config.ts', 'package-lock.json'];
const LOCK = join(ROOT, 'dist/.client-build.lock');

export const COMPONENT_DOMAIN = 'jingle.localhost';
const COMPONENT_SECRET = 'e2e-component-secret';
/** The default accounts: the password is the user name + "-pw". */
export const DEFAULT_USERS: Readonly<Record<string, string>> = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' };

function viteBuild(): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`vite build failed (${code}):\n${out}`))));
  });
}

/** Builds the client into dist/client unless it is newer than every input; returns the directory. */
export async function buildClient(): Promise<string> {
  await buildIfStale({
    name: 'buildClient', output: join(CLIENT_DIST, 'index.html'), lock: LOCK, build: viteBuild,
    inputs: BUILD_INPUTS.map((p) => join(ROOT, p)),
  });
  return CLIENT_DIST;
}

export interface ClientE2EOptions {
  /** Accounts on "localhost": user -> password. Default DEFAULT_USERS. */
  users?: Record<string, string>;
  /** Start our component at COMPONENT_DOMAIN (default true). */
  component?: boolean;
  /** More component flags, appended after the defaults (a repeated flag overrides the default). */
  componentArgs?: string[];
}

export interface UserPage {
  page: Page;
  user: string;
  /** The bare JID, e.g. alice@localhost. */
  jid: string;
  /** The page's console messages and uncaught errors, as "type: text" lines (for failure messages). */
  logs: string[];
  /** With login(user, { cuttable: true }): the proxy its WebSocket goes through, to cut it. */
  proxy?: CutProxy;
}

export interface ClientE2E {
  prosody: ProsodyServer;
  /** Undefined when started with `component: false`. */
  component: TestComponentProcess | undefined;
  /** The built client's page, e.g. http://localhost:41234/index.html */
  appUrl: string;
  browser: BrowserPage['browser'];
  /** A new page (own browser context) with the app loaded, logged out. */
  openApp(): Promise<UserPage & { user: ''; jid: '' }>;
  /**
   * Opens the app in a new page and logs `user` in through the login form (JID, password, and the
   * WebSocket URL under "Advanced"); resolves once <jg-app status="online">. Password from the options.
   */
  login(user: string, options?: { cuttable?: boolean }): Promise<UserPage>;
  /**
   * Fills and submits the login form of an open page (e.g. to test a wrong password); does not wait.
   * The WebSocket URL goes in the "Advanced" field, unless `viaHostMeta` (then the client finds it in
   * the host-meta this harness serves on the page's origin).
   */
  submitLogin(page: Page, jid: string, password: string, options?: { viaHostMeta?: boolean; service?: string }): Promise<void>;
  /** Closes every page, the browser, the static server, the component and Prosody. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startClientE2E(options: ClientE2EOptions = {}): Promise<ClientE2E> {
  const users = options.users ?? { ...DEFAULT_USERS };
  const cleanups: (() => Promise<unknown>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    })();
    return stopped;
  };
  try {
    const [dist, prosody] = await Promise.all([
      buildClient(),
      startProsody({ users, components: options.component === false ? {} : { [COMPONENT_DOMAIN]: COMPONENT_SECRET } }),
    ]);
    cleanups.push(() => prosody.stop());
    let component: TestComponentProcess | undefined;
    if (options.component !== false) {
      const c = await runComponent([
        '--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', COMPONENT_DOMAIN, '--secret', COMPONENT_SECRET,
        '--hosts', prosody.domain, '--stun-port', '0', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128', '--log-level', 'warn',
        ...(options.componentArgs ?? []),
      ]);
      component = c;
      cleanups.push(() => c.stop());
    }
    // XEP-0156 on the page's origin, as a deployment serving the client from the XMPP host would.
    const hostMeta = JSON.stringify({ links: [{ rel: 'urn:xmpp:alt-connections:websocket', href: prosody.websocketUrl }] });
    const browserPage = await launchBrowserPage({
      staticDir: dist, routes: { '/.well-known/host-meta.json': { type: 'application/json', body: hostMeta } },
    });
    cleanups.push(() => browserPage.close());
    const appUrl = `${browserPage.baseUrl}index.html`;

    const openApp = async (): Promise<UserPage & { user: ''; jid: '' }> => {
      const context = await browserPage.browser.newContext();
      cleanups.push(() => context.close());
      const page = await context.newPage();
      const logs: string[] = [];
      page.on('console', (m) => { logs.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => { logs.push(`pageerror: ${e.message}`); });
      await page.goto(appUrl);
      await page.locator('jg-login input[name="jid"]').waitFor();
      return { page, user: '', jid: '', logs };
    };

    const submitLogin = async (page: Page, jid: string, password: string, opts: { viaHostMeta?: boolean; service?: string } = {}): Promise<void> => {
      await page.locator('jg-login input[name="jid"]').fill(jid);
      await page.locator('jg-login input[name="password"]').fill(password);
      if (opts.viaHostMeta !== true) {
        await page.locator('jg-login summary', { hasText: 'Advanced' }).click();
        await page.locator('jg-login input[name="service"]').fill(opts.service ?? prosody.websocketUrl);
      }
      await page.locator('jg-login').getByRole('button', { name: 'Log in' }).click();
    };

    const login = async (user: string, opts: { cuttable?: boolean } = {}): Promise<UserPage> => {
      const password = users[user];
      if (password === undefined) throw new Error(`client-e2e: no account ${user} (have ${Object.keys(users).join(', ')})`);
      let proxy: CutProxy | undefined;
      if (opts.cuttable === true) {
        const p = await startCutProxy(prosody.httpPort);
        cleanups.push(() => p.close());
        proxy = p;
      }
      const opened = await openApp();
      const jid = `${user}@${prosody.domain}`;
      await submitLogin(opened.page, jid, password, proxy ? { service: `ws://127.0.0.1:${proxy.port}/xmpp-websocket` } : {});
      try {
        await opened.page.locator('jg-app[status="online"]').waitFor({ timeout: 15_000 });
      } catch (err) {
        throw new Error(`client-e2e: ${user} not online: ${(err as Error).message}\n${opened.logs.join('\n')}`);
      }
      return { ...opened, user, jid, ...(proxy ? { proxy } : {}) };
    };

    return { prosody, component, appUrl, browser: browserPage.browser, openApp, login, submitLogin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `a` adds `b` through the contact list and `b` accepts: contacts both ways (receipts and calls need
 * it), each seeing the other in their list, `b` online in `a`'s.
 */
export async function makeContacts(a: UserPage, b: UserPage): Promise<void> {
  const aJid = a.jid;
  const bJid = b.jid;
  await a.page.locator('jg-contacts input[name="contact"]').fill(bJid);
  await a.page.locator('jg-contacts').getByRole('button', { name: 'Add contact' }).click();
  await b.page.locator(`jg-contacts li[data-request="${aJid}"]`).getByRole('button', { name: 'Accept' }).click();
  await a.page.locator(`jg-contacts li[data-jid="${bJid}"][data-online="true"]`).waitFor({ timeout: 15_000 });
  await b.page.locator(`jg-contacts li[data-jid="${aJid}"]`).waitFor({ timeout: 15_000 });
}
