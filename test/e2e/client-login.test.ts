// The built web client in headless Chromium against Prosody + our component: two users log in through
// the UI, alice adds bob, bob accepts, and each sees the other online in the contact list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientE2E, type ClientE2E } from '../harness/client-e2e.ts';

let e2e: ClientE2E;

beforeAll(async () => {
  e2e = await startClientE2E();
});

afterAll(async () => {
  await e2e?.stop();
});

describe('web client: login and contacts', () => {
  it('authenticates with SCRAM-SHA-1 and shows an error for a wrong password', async () => {
    const { page } = await e2e.openApp();
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => { sent.push(String(payload)); }));
    await e2e.submitLogin(page, 'alice@localhost', 'wrong-password');
    await expect.poll(() => page.locator('jg-login [role="alert"]').textContent()).toContain('Wrong address or password');
    expect(await page.locator('jg-app').getAttribute('status')).toBe('offline');
    expect(sent.join('\n')).toMatch(/<auth [^>]*mechanism=["']SCRAM-SHA-1["']/);
  });

  it('finds the WebSocket URL with host-meta (XEP-0156) when none is given, and logs out', async () => {
    const { page, logs } = await e2e.openApp();
    await e2e.submitLogin(page, 'carol@localhost', 'carol-pw', { viaHostMeta: true });
    await page.locator('jg-app[status="online"]').waitFor({ timeout: 15_000 })
      .catch((err: Error) => { throw new Error(`${err.message}\n${logs.join('\n')}`); });
    await page.locator('jg-app').getByRole('button', { name: 'Log out' }).click();
    await page.locator('jg-app[status="offline"] jg-login').waitFor();
  });

  it('says in words why a login failed: no server for an unknown domain (never tried against this page\'s server), or unreachable', async () => {
    const { page } = await e2e.openApp();
    const sockets: string[] = [];
    page.on('websocket', (ws) => { sockets.push(ws.url()); });
    await e2e.submitLogin(page, 'alice@nothing.invalid', 'alice-pw', { viaHostMeta: true });
    const alert = page.locator('jg-login [role="alert"]');
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toBe('No XMPP server found for nothing.invalid.');
    expect(sockets).toEqual([]);
    expect(await page.locator('jg-login [data-test="error-detail"]').textContent()).toBe('no-server: nothing.invalid');

    await e2e.submitLogin(page, 'alice@localhost', 'alice-pw', { service: 'ws://127.0.0.1:1/xmpp-websocket' });
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toBe('Cannot reach the server.');
    expect(await page.locator('jg-login').getByRole('button', { name: 'Log in' }).isEnabled()).toBe(true);
  });

  it('remembers the address, never the password, and offers to log back in after a reload', async () => {
    const alice = await e2e.login('alice');
    const stored = await alice.page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('alice@localhost');
    expect(stored).not.toContain('alice-pw');
    await alice.page.reload();
    expect(await alice.page.locator('jg-login [data-test="welcome-back"]').textContent({ timeout: 10_000 })).toBe('Log back in as alice@localhost');
    expect(await alice.page.locator('jg-login input[name="jid"]').inputValue()).toBe('alice@localhost');
    expect(await alice.page.locator('jg-login input[name="password"]').inputValue()).toBe('');
    await alice.page.close();
  });

  it('alice adds bob, bob accepts, both see each other online', async () => {
    const alice = await e2e.login('alice');
    const bob = await e2e.login('bob');

    await alice.page.locator('jg-contacts input[name="contact"]').fill('bob@localhost');
    await alice.page.locator('jg-contacts').getByRole('button', { name: 'Add contact' }).click();
    await alice.page.locator('jg-contacts li[data-jid="bob@localhost"]').waitFor();

    const request = bob.page.locator('jg-contacts li[data-request="alice@localhost"]');
    await request.getByRole('button', { name: 'Accept' }).click();

    const bobAtAlice = alice.page.locator('jg-contacts li[data-jid="bob@localhost"][data-online="true"]');
    const aliceAtBob = bob.page.locator('jg-contacts li[data-jid="alice@localhost"][data-online="true"]');
    await bobAtAlice.waitFor({ timeout: 15_000 }).catch((err: Error) => { throw new Error(`${err.message}\n${alice.logs.join('\n')}`); });
    await aliceAtBob.waitFor({ timeout: 15_000 }).catch((err: Error) => { throw new Error(`${err.message}\n${bob.logs.join('\n')}`); });
    expect(await request.count()).toBe(0);

    // Selecting a contact is exposed on the app for the chat and call views.
    await alice.page.locator('jg-contacts li[data-jid="bob@localhost"] button.pick').click();
    await expect.poll(() => alice.page.locator('jg-app').evaluate((app) => (app as HTMLElement & { selected: string }).selected))
      .toBe('bob@localhost');
  });
});
