// How calls end, in real headless Chromium with the built client, Prosody and our component, and no
// TURN server (issue 11 B1, B2): a relay-only call that can never connect ends on both sides with
// "Connection failed" within the connect timeout (30 s); a callee who closes the tab, reloads it or logs
// out during a call ends it at once, and the caller reads "<callee> hung up" within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, callState, readyToCall, select, waitState } from '../harness/call-page.ts';
import { startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

beforeAll(async () => {
  e2e = await startClientE2E(); // the component hands out no TURN: relay-only gathers nothing
  [alice, bob] = await readyToCall(e2e);
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

interface Ended { condition: string; by: string; text?: string }
const endReason = (u: UserPage): Promise<Ended | null> =>
  u.page.locator('jg-call').evaluate((el) => (el as HTMLElement & { controller?: { endReason?: Ended } }).controller?.endReason ?? null);
const setPolicy = (u: UserPage, policy: 'all' | 'relay') =>
  u.page.locator('jg-call').evaluate((el, p) => { (el as HTMLElement & { iceTransportPolicy: string }).iceTransportPolicy = p; }, policy);

/** Alice audio-calls bob, bob accepts: both connected. */
async function connected(): Promise<void> {
  await button(alice, 'Audio call').click();
  await waitState(bob, 'ringing');
  await button(bob, 'Accept').click();
  await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
}

/** Bob, after his page went away: logged in again on a new page, alice picked, and alice back to idle. */
async function bobAgain(): Promise<void> {
  bob = await e2e.login('bob');
  await select(bob, alice.jid);
  await alice.page.locator('jg-call').evaluate((el) => (el as HTMLElement & { controller: { dismiss(): void } }).controller.dismiss());
}

describe('web client: how calls end', () => {
  it('a relay-only call without TURN never connects: both sides end with "Connection failed" within 30 s', async () => {
    await Promise.all([setPolicy(alice, 'relay'), setPolicy(bob, 'relay')]);
    try {
      await button(alice, 'Audio call').click();
      await waitState(bob, 'ringing');
      const accepted = Date.now();
      await button(bob, 'Accept').click();
      await waitState(alice, 'connecting');
      await Promise.all([waitState(alice, 'ended', 35_000), waitState(bob, 'ended', 35_000)]);
      const took = Date.now() - accepted;
      expect(took).toBeGreaterThan(25_000); // it waited for the timeout, not for anything else
      expect(took).toBeLessThan(33_000);
      for (const u of [alice, bob]) {
        expect(['failed-transport', 'connectivity-error']).toContain((await endReason(u))?.condition);
        expect((await callState(u.page)).text).toMatch(/connection failed/i);
      }
    } finally {
      await Promise.all([setPolicy(alice, 'all'), setPolicy(bob, 'all')]);
    }
  }, 60_000);

  it('bob closes his tab during a call: alice reads "bob hung up" within a second', async () => {
    await connected();
    await bob.page.close({ runBeforeUnload: true });
    await waitState(alice, 'ended', 1_000);
    expect(await endReason(alice)).toMatchObject({ condition: 'success', by: 'peer' });
    expect((await callState(alice.page)).text).toMatch(/bob@localhost hung up/i);
    await bobAgain();
  }, 60_000);

  it('bob reloads his page during a call: the same, within a second', async () => {
    await connected();
    await bob.page.reload();
    await waitState(alice, 'ended', 1_000);
    expect(await endReason(alice)).toMatchObject({ condition: 'success', by: 'peer' });
    await bob.page.close();
    await bobAgain();
  }, 60_000);

  it('bob logs out during a call: his session-terminate goes before the stream closes', async () => {
    await connected();
    await bob.page.getByRole('button', { name: 'Log out' }).click();
    await waitState(alice, 'ended', 1_000);
    expect(await endReason(alice)).toMatchObject({ condition: 'success', by: 'peer' });
    expect((await callState(alice.page)).text).toMatch(/bob@localhost hung up/i);
  }, 60_000);
});
