// Accessibility of the web client in real Chromium: axe-core finds no serious or critical violation on the
// login page, the main view with a chat open, and the call view (ringing, in a call); the keyboard reaches
// every control of the login form and the main view, each with a visible focus ring; an incoming call and a
// new message are announced in a live region.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeContacts, startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, select, waitState } from '../harness/call-page.ts';
import { seriousViolations } from '../harness/axe.ts';

let e2e: ClientE2E;

beforeAll(async () => {
  e2e = await startClientE2E();
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

interface Focused { tag: string; label: string; outline: string; }

/** Presses Tab `n` times; each time, the focused element inside shadow roots, its name and its outline. */
async function tabThrough(page: Page, n: number): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el) return { tag: '', label: '', outline: '' };
      const style = getComputedStyle(el);
      const label = el.getAttribute('aria-label') || (el as HTMLInputElement).name || el.textContent?.trim().replace(/\s+/g, ' ') || `<${el.localName} class=${el.className}>`;
      return { tag: el.localName, label, outline: style.outlineStyle === 'none' || style.outlineWidth === '0px' ? 'none' : style.outlineStyle };
    }));
  }
  return seen;
}

const expectClean = async (page: Page, what: string): Promise<void> => {
  expect(await seriousViolations(page), what).toEqual([]);
};

describe('web client: accessibility', () => {
  it('login page: no serious violations; Tab reaches every control with a visible focus', async () => {
    const { page } = await e2e.openApp();
    await expectClean(page, 'login page');
    const focus = await tabThrough(page, 5);
    expect(focus.slice(0, 4).map((f) => f.label)).toEqual(['jid', 'password', 'Advanced', 'Log in']);
    expect(focus.slice(0, 4).filter((f) => f.outline === 'none')).toEqual([]);
    // An error is in words, and still clean.
    await e2e.submitLogin(page, 'alice@localhost', 'wrong', {});
    await page.locator('jg-login [role="alert"]').waitFor();
    await expectClean(page, 'login page with an error');
    await page.close();
  });

  let alice: UserPage;
  let bob: UserPage;

  it('main view with a chat open: no serious violations; Tab reaches contacts, chat and call controls with a visible focus', async () => {
    [alice, bob] = await Promise.all([e2e.login('alice'), e2e.login('bob')]);
    await makeContacts(alice, bob);
    await select(alice, bob.jid);
    await select(bob, alice.jid);
    await bob.page.locator('jg-chat textarea[name="message"]').fill('Hello https://example.org/page', { timeout: 10_000 });
    await bob.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true }).click({ timeout: 10_000 });
    await alice.page.locator('jg-chat li[data-direction="in"] a[href="https://example.org/page"]').waitFor({ timeout: 15_000 }).catch(async (err: Error) => {
      const shown = async (u: UserPage): Promise<string> => u.page.locator('jg-app').evaluate((app) => {
        const chat = app.shadowRoot?.querySelector('jg-chat');
        return `${app.getAttribute('status')} selected=${(app as HTMLElement & { selected: string }).selected}: ${chat?.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? 'no chat'}`;
      });
      throw new Error(`${err.message}\nalice: ${await shown(alice)}\nbob: ${await shown(bob)}\n${alice.logs.slice(-20).join('\n')}\n${bob.logs.slice(-20).join('\n')}`);
    });
    await expectClean(alice.page, 'main view');
    await alice.page.locator('jg-app header button').focus();
    const focus = await tabThrough(alice.page, 16);
    const labels = focus.map((f) => f.label);
    for (const wanted of ['Remove bob@localhost', 'Contact address', 'Add contact', 'Audio call', 'Video call', 'Test call', 'Message to bob@localhost', 'https://example.org/page']) {
      expect(labels, `${wanted} reachable by Tab`).toContain(wanted);
    }
    // (Past the last control focus leaves the page, to the body: not a control.)
    expect(focus.filter((f) => f.outline === 'none' && f.tag !== 'body').map((f) => f.label)).toEqual([]);
  });

  it('call view ringing and in a call: no serious violations; the incoming call is announced', async () => {
    await select(alice, bob.jid);
    await button(alice, 'Video call').click();
    await waitState(bob, 'ringing');
    await expect.poll(() => bob.page.locator('jg-app [data-test="announcer-call"]').textContent()).toBe('Incoming video call from alice@localhost');
    await expectClean(bob.page, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await alice.page.locator('jg-call').getByRole('button', { name: 'Details' }).click();
    await alice.page.locator('jg-call [data-stat="bytes-received"]').waitFor();
    await expectClean(alice.page, 'in a call, details open');
    await expectClean(bob.page, 'in a call');
    await button(alice, 'Hang up').click();
    await waitState(bob, 'ended');
    await expectClean(bob.page, 'call ended');
  });
});
