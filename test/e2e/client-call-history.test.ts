// Calls in the conversation and missed calls, in real Chromium with the built client and Prosody
// (issue 11 B4, B5, C4): a call nobody answered is "Missed call" in the callee's chat and in the missed
// calls notice, "no answer" in the caller's; an answered one has its duration; delivery ticks come back
// from the archive in a new tab; a call that rang while the callee was offline is a missed call when
// they next log in (from the server's archive, in a browser that never saw it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContacts, startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, select, waitState } from '../harness/call-page.ts';

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

beforeAll(async () => {
  e2e = await startClientE2E({ component: false });
  [alice, bob] = await Promise.all([e2e.login('alice'), e2e.login('bob')]);
  await makeContacts(alice, bob);
  await select(alice, bob.jid);
  await select(bob, alice.jid);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

const calls = (user: UserPage) => user.page.locator('jg-chat li.call');
const missedNotice = (user: UserPage) => user.page.locator('jg-notices [data-test="missed-calls"] li');

describe('web client: call history', () => {
  it('a call nobody answered is a missed call for the callee and "no answer" for the caller', async () => {
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    await expect.poll(() => calls(bob).last().textContent(), { timeout: 10_000 }).toContain('Incoming call, ringing');
    await button(alice, 'Hang up').click();
    await waitState(bob, 'ended');
    await expect.poll(() => calls(bob).last().getAttribute('data-call'), { timeout: 10_000 }).toBe('missed');
    expect(await calls(bob).last().textContent()).toContain('Missed call');
    expect(await calls(bob).count()).toBe(1);
    await expect.poll(() => calls(alice).last().textContent(), { timeout: 10_000 }).toContain('Outgoing call, no answer');
    expect(await calls(alice).count()).toBe(1);
    await expect.poll(() => missedNotice(bob).count(), { timeout: 10_000 }).toBe(1);
    expect(await missedNotice(bob).first().textContent()).toContain(`Missed call from ${alice.jid} at`);
  });

  it('an answered call shows its duration in both conversations', async () => {
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    await expect.poll(() => calls(alice).last().textContent(), { timeout: 10_000 }).toMatch(/Outgoing call, \d+:\d\d/);
    await expect.poll(() => calls(bob).last().textContent(), { timeout: 10_000 }).toMatch(/Incoming call, \d+:\d\d/);
    expect([await calls(alice).count(), await calls(bob).count()]).toEqual([2, 2]);
  });

  it('delivery ticks survive a reload: a new tab of alice shows her message delivered, from the archive', async () => {
    await alice.page.locator('jg-chat textarea[name="message"]').fill('did the tick come?');
    await alice.page.locator('jg-chat').getByRole('button', { name: 'Send', exact: true }).click();
    const sent = alice.page.locator('jg-chat li[data-direction="out"]').last();
    await expect.poll(() => sent.getAttribute('data-state'), { timeout: 10_000 }).toBe('delivered');
    const again = await e2e.login('alice');
    await select(again, bob.jid);
    const archived = again.page.locator('jg-chat li[data-direction="out"]:not(.call)').last();
    await expect.poll(() => archived.textContent(), { timeout: 10_000 }).toContain('did the tick come?');
    await expect.poll(() => archived.getAttribute('data-state'), { timeout: 10_000 }).toBe('delivered');
    await again.page.context().close();
  });

  it('a call that rang while bob was offline is a missed call when he next logs in, in a fresh browser', async () => {
    await bob.page.context().close();
    await alice.page.locator(`jg-contacts li[data-jid="${bob.jid}"][data-online="false"]`).waitFor({ timeout: 15_000 });
    await button(alice, 'Video call').click();
    await waitState(alice, 'proposing');
    await button(alice, 'Hang up').click();
    await expect.poll(() => calls(alice).count(), { timeout: 10_000 }).toBe(3);
    expect(await calls(alice).last().textContent()).toContain('Outgoing video call, no answer');

    // A new browser context: no localStorage, so the archive of the last days is read at login.
    const back = await e2e.login('bob');
    await expect.poll(() => missedNotice(back).count(), { timeout: 15_000 }).toBe(2);
    const texts = await missedNotice(back).allTextContents();
    expect(texts[1]).toContain(`Missed video call from ${alice.jid} at`);
    await select(back, alice.jid);
    await expect.poll(() => calls(back).allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringContaining('Missed call'), expect.stringMatching(/Incoming call, \d+:\d\d/), expect.stringContaining('Missed video call'),
    ]);
    // Opening the chat is seeing them.
    await expect.poll(() => missedNotice(back).count(), { timeout: 10_000 }).toBe(0);
  });
});
