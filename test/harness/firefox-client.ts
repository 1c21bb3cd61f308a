// The built web client driven the same way in Chromium (playwright-core, client-e2e.ts) and in Firefox
// (puppeteer-core, firefox.ts), so one test can put a Chromium user and a Firefox user face to face:
//
//   const bob = await loginFirefox(e2e, ff, 'bob');      // a Firefox page of its own, online
//   const alice = chromiumPeer(await e2e.login('alice'));
//   await contacts(alice, bob);
//   await bob.click('jg-call', 'button', 'Accept');
//
// Elements are named by the client element they live in (`jg-call`) and a CSS selector inside its
// shadow root, optionally with the exact text of the element; Chromium's side uses Playwright
// locators (they pierce shadow roots), Firefox's a deep query run in the page.
import { expect } from 'vitest';
import type { ElementHandle, Page as FirefoxPage } from 'puppeteer-core';
import type { ClientE2E, UserPage } from './client-e2e.ts';
import type { FirefoxBrowser } from './firefox.ts';

export interface Peer {
  browser: 'chromium' | 'firefox';
  user: string;
  /** The bare JID, e.g. bob@localhost. */
  jid: string;
  /** The page's console messages and errors, for failure messages. */
  logs: string[];
  /** Waits for the element (and its exact text, if given); fails after `timeout` ms (default 15 s). */
  waitFor(host: string, selector: string, options?: { text?: string; timeout?: number }): Promise<void>;
  click(host: string, selector: string, text?: string): Promise<void>;
  /** Replaces an input's or textarea's value, as typing would (input events). */
  fill(host: string, selector: string, value: string): Promise<void>;
  /** Runs `fn` in the page on the client element `host`. `fn` must be self-contained. */
  onElement<T, A>(host: string, fn: (el: HTMLElement, arg: A) => T, arg: A): Promise<T>;
}

export function chromiumPeer(u: UserPage): Peer {
  const exact = (text: string): RegExp => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const at = (host: string, selector: string, text?: string) => {
    const l = u.page.locator(`${host} ${selector}`);
    return (text === undefined ? l : l.filter({ hasText: exact(text) })).first();
  };
  return {
    browser: 'chromium', user: u.user, jid: u.jid, logs: u.logs,
    waitFor: (host, selector, o = {}) => at(host, selector, o.text).waitFor({ timeout: o.timeout ?? 15_000 }),
    click: (host, selector, text) => at(host, selector, text).click(),
    fill: (host, selector, value) => at(host, selector).fill(value),
    // `fn` goes in as source text: a closure over it would not exist in the page.
    onElement: <T, A>(host: string, fn: (el: HTMLElement, arg: A) => T, arg: A) =>
      u.page.locator(host).first().evaluate((el, [src, a]) => (new Function(`return (${src})`)() as (e: Element, x: unknown) => unknown)(el, a),
        [fn.toString(), arg] as const) as Promise<T>,
  };
}

interface Query { host: string; selector: string; text: string | null }

/**
 * In the page: the first element matching `selector` in the shadow tree of the first `host`, looked
 * for through every open shadow root (the client nests them: jg-app > jg-call > ...).
 */
const findInPage = ({ host, selector, text }: Query): Element | null => {
  const all = (root: ParentNode, sel: string): Element[] => {
    const out = [...root.querySelectorAll(sel)];
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...all(el.shadowRoot, sel));
    return out;
  };
  const h = all(document, host)[0];
  if (!h?.shadowRoot) return null;
  return all(h.shadowRoot, selector).find((e) => text === null || (e.textContent ?? '').trim() === text) ?? null;
};

export function firefoxPeer(page: FirefoxPage, user: string, jid: string, logs: string[]): Peer {
  const find = async (q: Query, timeout = 15_000): Promise<ElementHandle<Element>> => {
    try {
      const handle = await page.waitForFunction(findInPage, { timeout, polling: 50 }, q);
      const el = handle.asElement();
      if (el === null) throw new Error('not an element');
      return el as ElementHandle<Element>;
    } catch (err) {
      throw new Error(`firefox ${user}: no ${q.host} ${q.selector}${q.text === null ? '' : ` "${q.text}"`}: ${(err as Error).message}\n${logs.slice(-30).join('\n')}`);
    }
  };
  return {
    browser: 'firefox', user, jid, logs,
    waitFor: async (host, selector, o = {}) => { await (await find({ host, selector, text: o.text ?? null }, o.timeout)).dispose(); },
    // The element's own click(), as a user's click dispatches it (nothing on a disabled button).
    // Puppeteer's pointer click over BiDi took 3-5 s per click in a page playing two videos.
    click: async (host, selector, text) => {
      const el = await find({ host, selector, text: text ?? null });
      await el.evaluate((e) => { (e as HTMLElement).click(); });
      await el.dispose();
    },
    fill: async (host, selector, value) => {
      const el = await find({ host, selector, text: null });
      await el.evaluate((e, v) => {
        const input = e as HTMLInputElement;
        input.focus();
        input.value = v;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: v }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, value);
      await el.dispose();
    },
    onElement: async <T, A>(host: string, fn: (el: HTMLElement, arg: A) => T, arg: A) => {
      const q: Query = { host: 'jg-app', selector: host, text: null };
      await (await find(q)).dispose();
      // One expression: puppeteer passes no functions as arguments, so both go in as source text.
      return page.evaluate(`(${fn.toString()})((${findInPage.toString()})(${JSON.stringify(q)}), ${JSON.stringify(arg ?? null)})`) as Promise<T>;
    },
  };
}

/** Opens the built client in a new Firefox page and logs `user` in through the form; resolves once online. */
export async function loginFirefox(e2e: ClientE2E, ff: FirefoxBrowser, user: string, password: string): Promise<Peer> {
  const logs: string[] = [];
  const page = await ff.newPage(e2e.appUrl, (p) => {
    p.on('console', (m) => { logs.push(`${m.type()}: ${m.text()}`); });
    p.on('pageerror', (e) => { logs.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`); });
  });
  const jid = `${user}@${e2e.prosody.domain}`;
  const peer = firefoxPeer(page, user, jid, logs);
  await peer.fill('jg-login', 'input[name="jid"]', jid);
  await peer.fill('jg-login', 'input[name="password"]', password);
  await peer.click('jg-login', 'summary', 'Advanced');
  await peer.fill('jg-login', 'input[name="service"]', e2e.prosody.websocketUrl);
  await peer.click('jg-login', 'button', 'Log in');
  try {
    await page.waitForSelector('jg-app[status="online"]', { timeout: 15_000 });
  } catch (err) {
    throw new Error(`firefox ${user} not online: ${(err as Error).message}\n${logs.join('\n')}`);
  }
  return peer;
}

/** `a` adds `b` and `b` accepts: contacts both ways, `b` online in `a`'s list; each picks the other. */
export async function contactsAndPick(a: Peer, b: Peer): Promise<void> {
  await a.fill('jg-contacts', 'input[name="contact"]', b.jid);
  await a.click('jg-contacts', 'button', 'Add contact');
  await b.click('jg-contacts', `li[data-request="${a.jid}"] button`, 'Accept');
  await a.waitFor('jg-contacts', `li[data-jid="${b.jid}"][data-online="true"]`);
  await b.waitFor('jg-contacts', `li[data-jid="${a.jid}"][data-online="true"]`);
  await a.click('jg-contacts', `li[data-jid="${b.jid}"] button.pick`);
  await b.click('jg-contacts', `li[data-jid="${a.jid}"] button.pick`);
  await Promise.all([a.waitFor('jg-chat', 'textarea[name="message"]'), b.waitFor('jg-chat', 'textarea[name="message"]')]);
}

/** What a call view shows: the controller's state, the status line, and getStats() per kind. */
export interface CallView {
  state: string;
  text: string;
  audioIn: number; videoIn: number; framesDecoded: number; audioOut: number; videoOut: number;
  /** Our ICE ufrag in use (it changes with an ICE restart). */
  ufrag: string | null;
  /** The type of our candidate in the selected pair (host, srflx, prflx, relay). */
  local: string | null;
}

export function callView(p: Peer): Promise<CallView> {
  return p.onElement('jg-call', (el) => {
    type S = {
      audio: { bytesReceived: number; bytesSent: number }; video: { bytesReceived: number; bytesSent: number; framesDecoded: number };
      iceUfrag?: string; localCandidateType?: string;
    };
    const c = (el as HTMLElement & { controller?: { state: string; stats?: S } }).controller;
    const s = c?.stats;
    return {
      state: c?.state ?? 'none', text: el.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '',
      audioIn: s?.audio.bytesReceived ?? 0, videoIn: s?.video.bytesReceived ?? 0, framesDecoded: s?.video.framesDecoded ?? 0,
      audioOut: s?.audio.bytesSent ?? 0, videoOut: s?.video.bytesSent ?? 0, ufrag: s?.iceUfrag ?? null,
      local: s?.localCandidateType ?? null,
    };
  }, null);
}

export async function waitCallState(p: Peer, state: string, timeout = 20_000): Promise<void> {
  try {
    await p.waitFor('jg-app', `jg-call[data-state="${state}"]`, { timeout });
  } catch (err) {
    const now = await callView(p).catch(() => undefined);
    throw new Error(`${p.browser} ${p.user} not ${state} (is ${now?.state}: ${now?.text}): ${(err as Error).message}`);
  }
}

/** Waits until a counter of the call view grows past its value now. */
export async function callGrows(p: Peer, what: keyof CallView, timeout = 15_000): Promise<void> {
  const start = Number((await callView(p))[what]);
  await expect.poll(async () => Number((await callView(p))[what]), { timeout, interval: 250, message: `${p.browser} ${p.user}: ${what} should grow` })
    .toBeGreaterThan(start);
}
