// The browser loses its WebSocket during a call (real headless Chromium, Prosody, our component): alice's
// XMPP connection runs through a proxy that the test cuts, abruptly, and keeps refusing for a while.
// The media goes peer to peer, so the call goes on meanwhile; the client reconnects under the same full
// JID, and the call's signalling works again both ways. (The ways such a call ends with a reason, when
// it cannot survive, are in test/unit/client-call-recovery.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { button, callState, grows, readyToCall, waitState } from '../harness/call-page.ts';
import { startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

const appStatus = (u: UserPage) => u.page.locator('jg-app').getAttribute('status');
const ownJid = (u: UserPage) => u.page.locator('jg-app').evaluate((el) => (el as HTMLElement & { connection: { jid?: string } }).connection.jid ?? '');
const serverLostNote = (u: UserPage) => u.page.locator('jg-call [data-note="server-lost"]');

beforeAll(async () => {
  e2e = await startClientE2E();
  [alice, bob] = await readyToCall(e2e, { aliceCuttable: true });
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

describe('web client: the WebSocket lost during a call', () => {
  it('keeps the call through the outage, reconnects under the same JID, and signals again both ways', async () => {
    const proxy = alice.proxy!;
    await button(alice, 'Video call').click();
    await waitState(bob, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await Promise.all([grows(alice, 'inbound bytes', (s) => s.bytesReceived), grows(bob, 'inbound bytes', (s) => s.bytesReceived)]);
    const jidBefore = await ownJid(alice);
    expect(jidBefore).toMatch(/^alice@localhost\/web-[0-9a-f]{12}$/);

    // The network path to the server goes: the socket is reset and new ones are refused.
    proxy.block();
    proxy.cut();
    await expect.poll(() => appStatus(alice), { timeout: 10_000 }).toBe('reconnecting');
    await serverLostNote(alice).waitFor({ timeout: 5_000 });
    // Prosody closed her session: bob sees her go offline, but his call goes on.
    await bob.page.locator('jg-contacts li[data-jid="alice@localhost"][data-online="false"]').waitFor({ timeout: 10_000 });
    // Media keeps flowing both ways through the outage; neither call moves.
    await Promise.all([
      grows(alice, 'inbound bytes while offline', (s) => s.bytesReceived),
      grows(bob, 'inbound bytes while alice is offline', (s) => s.bytesReceived),
      grows(alice, 'decoded frames while offline', (s) => s.framesDecoded),
    ]);
    await new Promise((r) => setTimeout(r, 2_500)); // at least one reconnect attempt is refused
    expect(proxy.accepted).toBe(1);
    expect((await callState(alice.page)).state).toBe('connected');
    expect((await callState(bob.page)).state).toBe('connected');
    expect(await appStatus(alice)).toBe('reconnecting');

    // The network comes back: the client reconnects by itself (backoff), under the same full JID.
    proxy.unblock();
    await expect.poll(() => appStatus(alice), { timeout: 30_000 }).toBe('online');
    expect(await ownJid(alice)).toBe(jidBefore);
    expect(proxy.accepted).toBe(2);
    await serverLostNote(alice).waitFor({ state: 'detached', timeout: 5_000 });
    await bob.page.locator('jg-contacts li[data-jid="alice@localhost"][data-online="true"]').waitFor({ timeout: 10_000 });
    expect((await callState(alice.page)).state).toBe('connected');
    expect((await callState(bob.page)).state).toBe('connected');

    // Signalling works again both ways: session-info from alice to bob and from bob to alice.
    await button(alice, 'Mute').click();
    await expect.poll(async () => (await callState(bob.page)).text, { timeout: 10_000 }).toContain('muted');
    await button(bob, 'Camera off').click();
    await expect.poll(async () => (await callState(alice.page)).text, { timeout: 10_000 }).toContain('camera off');
    await grows(bob, 'inbound bytes after the outage', (s) => s.bytesReceived);

    // And the end of the call reaches the other side.
    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    expect((await callState(alice.page)).text).toBe('Call ended: bob@localhost hung up');
  });
});
