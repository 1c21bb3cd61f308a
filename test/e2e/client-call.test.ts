// Calls in real headless Chromium (fake camera and microphone) with the built client, Prosody, our
// component and a real coturn: alice video-calls bob, media flows both ways, mute, hang up; bob declines;
// the echo test call; a relay-only call through TURN. Stats are read from each page's own getStats().
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, callState, grows, readyToCall, waitState } from '../harness/call-page.ts';
import { startCoturn, type CoturnServer } from '../harness/coturn.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the screenshot of a connected video call goes (test-results/ is gitignored). */
export const SCREENSHOT = join(ROOT, 'test-results/connected-call.png');
const TURN_SECRET = 'e2e-turn-secret-0123456789';

let coturn: CoturnServer;
let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

beforeAll(async () => {
  coturn = await startCoturn({ secret: TURN_SECRET });
  e2e = await startClientE2E({
    componentArgs: ['--turn-secret', TURN_SECRET, '--turn-host', '127.0.0.1', '--turn-port', String(coturn.port),
      '--turn-transports', 'udp', '--credentials-per-minute', '1000'],
  });
  [alice, bob] = await readyToCall(e2e);
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
  await coturn?.stop();
});

describe('web client: calls', () => {
  it('alice video-calls bob: both connected, media both ways, mute, hang up', async () => {
    await button(alice, 'Video call').click();
    await waitState(bob, 'ringing');
    expect((await callState(bob.page)).text).toContain('incoming video call from alice@localhost');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await Promise.all([
      grows(alice, 'inbound bytes', (s) => s.bytesReceived), grows(bob, 'inbound bytes', (s) => s.bytesReceived),
      grows(alice, 'decoded video frames', (s) => s.framesDecoded), grows(bob, 'decoded video frames', (s) => s.framesDecoded),
    ]);
    await expect.poll(async () => (await callState(alice.page)).stats?.rtt ?? null).not.toBeNull();
    await alice.page.locator('jg-call').getByRole('button', { name: 'Details' }).click(); // the figures are behind it
    await alice.page.locator('jg-call [data-stat="bytes-received"]').waitFor();
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await alice.page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Mute: alice's outbound audio stops; bob is told (XEP-0167 mute).
    await button(alice, 'Mute').click();
    await button(alice, 'Unmute').waitFor();
    await expect.poll(async () => (await callState(bob.page)).text, { timeout: 5_000 }).toContain('muted');
    await new Promise((r) => setTimeout(r, 1_500)); // the stats poll has caught up with the mute
    const before = (await callState(alice.page)).stats!.audioSent;
    await new Promise((r) => setTimeout(r, 2_000));
    const after = (await callState(alice.page)).stats!.audioSent;
    expect(after - before).toBeLessThan(200);
    await button(alice, 'Unmute').click();
    await grows(alice, 'outbound audio after unmute', (s) => s.audioSent);
    await button(alice, 'Camera off').click();
    await button(alice, 'Camera on').waitFor();
    await expect.poll(async () => (await callState(bob.page)).text, { timeout: 5_000 }).toContain('camera off');

    // ICE restart (as after a failure): a transport-info with a new ufrag/pwd and no candidates, which
    // Chromium on the other side takes as a re-offer; both move to the new ICE generation, media flows.
    const ufrags = [(await callState(alice.page)).stats!.ufrag, (await callState(bob.page)).stats!.ufrag];
    expect(ufrags[0]).toBeTruthy();
    await alice.page.locator('jg-call').evaluate((el) => {
      const link = (el as HTMLElement & { link: { send(s: unknown): Promise<void> } }).link;
      const w = window as unknown as { sent: string[] };
      w.sent = [];
      const send = link.send.bind(link);
      link.send = (s: unknown) => { w.sent.push(String(s)); return send(s); };
    });
    await alice.page.locator('jg-call').evaluate((el) => (el as HTMLElement & { controller: { restartIce(): Promise<void> } }).controller.restartIce());
    await expect.poll(() => alice.page.evaluate(() => (window as unknown as { sent: string[] }).sent
      .filter((s) => s.includes("action='transport-info'") || s.includes('action="transport-info"')))).not.toHaveLength(0);
    const infos = await alice.page.evaluate(() => (window as unknown as { sent: string[] }).sent.filter((s) => /action=['"]transport-info/.test(s)));
    const restart = infos.find((s) => !s.includes('<candidate'));
    expect(restart, infos.join('\n')).toMatch(/ufrag=['"][^'"]+['"]/);
    expect(restart).toMatch(/pwd=['"][^'"]+['"]/);
    await expect.poll(async () => (await callState(alice.page)).stats?.ufrag, { timeout: 10_000 }).not.toBe(ufrags[0]);
    await expect.poll(async () => (await callState(bob.page)).stats?.ufrag, { timeout: 10_000 }).not.toBe(ufrags[1]);
    expect([...alice.logs, ...bob.logs].filter((l) => /ICE restart|refused|setLocalDescription failed|could not/i.test(l))).toEqual([]);
    await grows(bob, 'inbound bytes after the ICE restart', (s) => s.bytesReceived);
    await grows(alice, 'inbound bytes after the ICE restart', (s) => s.bytesReceived);
    expect((await callState(alice.page)).state).toBe('connected');
    expect((await callState(bob.page)).state).toBe('connected');

    await button(alice, 'Hang up').click();
    await Promise.all([waitState(alice, 'ended'), waitState(bob, 'ended')]);
    expect((await callState(bob.page)).text).toBe('Call ended: alice@localhost hung up');
    expect((await callState(alice.page)).text).toBe('Call ended: You hung up');
  });

  it('bob declines a second call', async () => {
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    expect((await callState(bob.page)).text).toContain('incoming audio call');
    await button(bob, 'Decline').click();
    await waitState(alice, 'ended');
    expect((await callState(alice.page)).text).toBe('Call ended: bob@localhost declined');
    expect((await callState(bob.page)).text).toBe('Call ended: You declined');
  });

  it('the test call reaches the echo peer and gets media back', async () => {
    await button(alice, 'Test call').click();
    await waitState(alice, 'connected');
    expect((await callState(alice.page)).text).toContain('the echo test');
    await grows(alice, 'echoed bytes', (s) => s.bytesReceived);
    await grows(alice, 'echoed video frames', (s) => s.framesDecoded);
    await button(alice, 'Hang up').click();
    await waitState(alice, 'ended');
  });

  it('a relay-only call connects through coturn', async () => {
    await alice.page.locator('jg-call').evaluate((el) => { (el as HTMLElement & { iceTransportPolicy: string }).iceTransportPolicy = 'relay'; });
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected', 30_000), waitState(bob, 'connected', 30_000)]);
    await grows(bob, 'inbound bytes over TURN', (s) => s.bytesReceived);
    await expect.poll(async () => (await callState(alice.page)).stats?.local ?? null).toBe('relay');
    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    await alice.page.locator('jg-call').evaluate((el) => { (el as HTMLElement & { iceTransportPolicy: string }).iceTransportPolicy = 'all'; });
  });
});
