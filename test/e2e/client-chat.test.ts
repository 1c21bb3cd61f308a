// Chat in real headless Chromium with the built client against a real Prosody (carbons and MAM on):
// alice writes to bob, bob reads it as text, alice sees the receipt; bob's typing shows at alice's;
// a second tab of alice gets the history from the archive, and its messages reach the first tab as
// carbons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientE2E, type ClientE2E, type UserPage, makeContacts } from '../harness/client-e2e.ts';

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

async function select(user: UserPage, contact: string): Promise<void> {
  await user.page.locator(`jg-contacts li[data-jid="${contact}"] button.pick`).click();
  await user.page.locator('jg-chat textarea[name="message"]').waitFor();
}

async function send(user: UserPage, text: string): Promise<void> {
  await user.page.locator('jg-chat textarea[name="message"]').fill(text);
  await user.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true }).click();
}

/** A message in the user's open chat, by direction and text; waits for it. */
async function seen(user: UserPage, direction: 'in' | 'out', text: string, state?: string): Promise<void> {
  const selector = `jg-chat li[data-direction="${direction}"]${state ? `[data-state="${state}"]` : ''}`;
  try {
    await user.page.locator(selector, { hasText: text }).first().waitFor({ timeout: 15_000 });
  } catch (err) {
    const shown = await user.page.locator('jg-chat li').allTextContents().catch(() => []);
    throw new Error(`${user.user}: no ${selector} "${text}" (shown: ${JSON.stringify(shown)}): ${(err as Error).message}\n${user.logs.slice(-30).join('\n')}`);
  }
}

beforeAll(async () => {
  e2e = await startClientE2E();
  [alice, bob] = await Promise.all([e2e.login('alice'), e2e.login('bob')]);
  // Contacts both ways: receipts go only to contacts who may see our presence.
  await makeContacts(alice, bob);
  await select(alice, 'bob@localhost');
  await select(bob, 'alice@localhost');
});

afterAll(async () => {
  await e2e?.stop();
});

describe('web client: chat', () => {
  const hello = 'Hello Bob <b>not bold</b> <img src=x onerror=alert(1)>';

  it('alice writes, bob receives the text, alice sees it delivered', async () => {
    await send(alice, hello);
    await seen(bob, 'in', hello);
    // Markup in a body stays text: no element was made of it.
    expect(await bob.page.locator('jg-chat li b, jg-chat li img').count()).toBe(0);
    await seen(alice, 'out', hello, 'delivered');
    expect(await alice.page.locator('jg-chat li[data-state="delivered"] .receipt').first().textContent()).toContain('✓ delivered');
  });

  it("alice sees bob typing, then his answer; bob's answer is delivered", async () => {
    // Alice's message carried <active/>: bob's client now knows alice takes chat states.
    await bob.page.locator('jg-chat textarea[name="message"]').pressSequentially('Hi al', { delay: 20 });
    await alice.page.locator('jg-chat [part="state"][data-state="composing"]', { hasText: 'typing…' }).waitFor({ timeout: 15_000 });
    await send(bob, 'Hi alice');
    await seen(alice, 'in', 'Hi alice');
    await expect.poll(() => alice.page.locator('jg-chat [part="state"]').getAttribute('data-state')).toBe('');
    await seen(bob, 'out', 'Hi alice', 'delivered');
  });

  it('a second tab of alice loads the history (MAM); what it sends reaches the first tab (carbons)', async () => {
    const tab2 = await e2e.login('alice');
    await select(tab2, 'bob@localhost');
    await seen(tab2, 'out', hello);
    await seen(tab2, 'in', 'Hi alice');
    await send(tab2, 'Sent from my second tab');
    await seen(bob, 'in', 'Sent from my second tab');
    await seen(alice, 'out', 'Sent from my second tab');
    await seen(tab2, 'out', 'Sent from my second tab', 'delivered');
    await tab2.page.close();
  });
});
