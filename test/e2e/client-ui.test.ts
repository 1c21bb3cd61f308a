// The messenger around calls and chats, in real Chromium with the built client and Prosody: unread counts
// per contact and in the title whichever contact is open; an incoming call from a contact who is not
// selected rings (tone, title, Accept/Decline on top of the main area) and, answered, takes the main area
// with the chat folded away; the chat's length counter and clickable links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContacts, startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, select, waitState } from '../harness/call-page.ts';

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;
let carol: UserPage;

beforeAll(async () => {
  e2e = await startClientE2E();
  [alice, bob, carol] = await Promise.all([e2e.login('alice'), e2e.login('bob'), e2e.login('carol')]);
  await makeContacts(alice, bob);
  await makeContacts(alice, carol);
  await select(alice, carol.jid);
  await select(bob, alice.jid);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

async function send(user: UserPage, text: string): Promise<void> {
  await user.page.locator('jg-chat textarea[name="message"]').fill(text);
  await user.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true }).click();
}

const title = (user: UserPage): Promise<string> => user.page.title();
const ringing = (user: UserPage): Promise<boolean> =>
  user.page.locator('jg-app').evaluate((app) => (app as HTMLElement & { alerts: { ringer: { ringing: boolean } } }).alerts.ringer.ringing);

describe('web client: unread, incoming calls, chat box', () => {
  it('counts unread messages of a contact who is not open, in the list and the title; opening the chat reads them', async () => {
    expect(await title(alice)).toBe('Jingle Gateway');
    await send(bob, 'one');
    await send(bob, 'two, see https://example.org/x?y=1.');
    const bobRow = alice.page.locator(`jg-contacts li[data-jid="${bob.jid}"]`);
    await expect.poll(() => bobRow.getAttribute('data-unread'), { timeout: 10_000 }).toBe('2');
    expect(await bobRow.locator('[data-test="unread"]').textContent()).toBe('2 unread');
    expect(await title(alice)).toBe('(2) Jingle Gateway');
    expect(await alice.page.locator('jg-app [data-test="announcer"]').textContent()).toBe(`New message from ${bob.jid}`);

    await select(alice, bob.jid);
    await expect.poll(() => title(alice)).toBe('Jingle Gateway');
    expect(await bobRow.getAttribute('data-unread')).toBe('0');
    const link = alice.page.locator('jg-chat li[data-direction="in"] a');
    expect(await link.getAttribute('href')).toBe('https://example.org/x?y=1');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
  });

  it('the message box shows the limit and refuses longer text, keeping it', async () => {
    const box = alice.page.locator('jg-chat textarea[name="message"]');
    await box.fill('x'.repeat(9_950));
    expect(await alice.page.locator('jg-chat [data-test="limit"]').textContent()).toBe('9,950 / 10,000');
    await box.fill('x'.repeat(10_001));
    expect(await alice.page.locator('jg-chat [data-test="too-long"]').textContent()).toContain('Too long by 1 character');
    expect(await alice.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    expect((await box.inputValue()).length).toBe(10_001);
    await box.fill('');
  });

  it('a call from a contact who is not selected rings on top of the main area; answered, it takes the main area', async () => {
    await select(alice, carol.jid);
    await button(bob, 'Audio call').click();
    await waitState(alice, 'ringing');
    expect(await alice.page.locator('jg-call [role="status"]').textContent()).toBe(`ringing: incoming audio call from ${bob.jid}`);
    await expect.poll(() => title(alice)).toBe(`Incoming call: ${bob.jid}`);
    expect(await ringing(alice)).toBe(true);
    expect(await alice.page.locator('jg-call [data-placeholder="remote"] .name').textContent()).toBe(bob.jid);

    await button(alice, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    expect(await ringing(alice)).toBe(false);
    expect(await title(alice)).toBe('Jingle Gateway');
    // The caller's conversation is the one shown, folded away below the call.
    expect(await alice.page.locator('jg-app').evaluate((app) => (app as HTMLElement & { selected: string }).selected)).toBe(bob.jid);
    expect(await alice.page.locator('jg-chat').isHidden()).toBe(true);
    const stage = await alice.page.locator('jg-call .stage').boundingBox();
    expect(stage!.y).toBeLessThan(300); // on top, not below the history
    await alice.page.locator('jg-app').getByRole('button', { name: 'Show chat' }).click();
    await alice.page.locator('jg-chat textarea').waitFor();
    await expect.poll(() => alice.page.locator('jg-call [data-test="call-timer"]').textContent(), { timeout: 5_000 }).toMatch(/^0:0[1-9]$/);
    await button(alice, 'Mute').click();
    expect(await alice.page.locator('jg-call [data-test="self-muted"]').textContent()).toBe('You are muted');
    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    expect(await alice.page.locator('jg-call [role="status"]').textContent()).toBe(`Call ended: ${bob.jid} hung up`);
  });

  it('declining stops the ring tone at once', async () => {
    await button(bob, 'Video call').click();
    await waitState(alice, 'ringing');
    await expect.poll(() => ringing(alice)).toBe(true);
    await button(alice, 'Decline').click();
    expect(await ringing(alice)).toBe(false);
    await waitState(bob, 'ended');
    expect(await bob.page.locator('jg-call [role="status"]').textContent()).toBe(`Call ended: ${alice.jid} declined`);
  });

  it('a call the caller gave up on is a missed call: listed, badged on the contact, an entry in the conversation', async () => {
    await select(alice, carol.jid);
    await button(bob, 'Audio call').click();
    await waitState(alice, 'ringing');
    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    const notice = alice.page.locator('jg-notices [data-test="missed-calls"] li');
    await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^\\s*Missed call from ${bob.jid} at`));
    expect(await alice.page.locator(`jg-contacts li[data-jid="${bob.jid}"] [data-test="missed"]`).textContent()).toContain('1');
    await notice.getByRole('button', { name: 'Open chat' }).click();
    await alice.page.locator('jg-chat li.call[data-call="missed"]', { hasText: 'Missed call' }).last().waitFor({ timeout: 10_000 });
    await expect.poll(() => alice.page.locator('jg-notices [data-test="missed-calls"]').count()).toBe(0);
  });

  it('while the connection is down, Send and the call buttons are disabled with the reason; all back when it is', async () => {
    const dave = await e2e.login('carol', { cuttable: true }); // carol again, in a tab whose WebSocket goes through a proxy to cut
    await select(dave, alice.jid);
    dave.proxy!.block();
    dave.proxy!.cut();
    await dave.page.locator('jg-app[status="reconnecting"]').waitFor({ timeout: 10_000 });
    const sendButton = dave.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true });
    await dave.page.locator('jg-chat textarea[name="message"]').fill('are you there?');
    expect(await sendButton.isDisabled()).toBe(true);
    expect(await dave.page.locator('jg-chat #why').textContent()).toContain('Not connected');
    expect(await button(dave, 'Audio call').isDisabled()).toBe(true);
    expect(await dave.page.locator('jg-call #why').textContent()).toContain('connection to the server');
    dave.proxy!.unblock();
    await dave.page.locator('jg-app[status="online"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => sendButton.isEnabled()).toBe(true);
    expect(await dave.page.locator('jg-chat #why').count()).toBe(0);
    expect(await button(dave, 'Audio call').isEnabled()).toBe(true);
    await dave.page.close();
  });

  it('removing a contact asks first; Cancel keeps them', async () => {
    const row = alice.page.locator(`jg-contacts li[data-jid="${carol.jid}"]`);
    await row.getByRole('button', { name: `Remove ${carol.jid}` }).click();
    const dialog = row.getByRole('alertdialog');
    expect(await dialog.textContent()).toContain(`Remove ${carol.jid} from your contacts?`);
    await alice.page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: `Remove ${carol.jid}` }).click();
    await row.getByRole('alertdialog').getByRole('button', { name: `Remove ${carol.jid}` }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  });
});
