// Screenshots of the call view for a reviewer, in real Chromium (fake camera and microphone): ringing, an
// audio call (initials, no video boxes), a video call with the details open, and a call that ended. Written
// to test-results/screenshots/call-*.png (test-results/ is gitignored); each is checked to be a real PNG
// of the page, and the page to show what the screenshot is named after.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, grows, readyToCall, waitState } from '../harness/call-page.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

let e2e: ClientE2E;
let alice: UserPage;
let bob: UserPage;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  e2e = await startClientE2E();
  [alice, bob] = await readyToCall(e2e);
  await Promise.all([alice, bob].map((u) => u.page.setViewportSize({ width: 1100, height: 760 })));
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Takes the screenshot and checks it is a PNG of the viewport's size. */
async function shoot(user: UserPage, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `call-${name}.png`);
  await user.page.screenshot({ path });
  const png = await readFile(path);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(1100);
  expect(png.readUInt32BE(20)).toBe(760);
}

describe('call view screenshots', () => {
  it('ringing, audio call, ended', async () => {
    await button(alice, 'Audio call').click();
    await waitState(bob, 'ringing');
    await bob.page.locator('jg-call [data-placeholder="remote"] .avatar').waitFor();
    await shoot(bob, 'ringing');

    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await alice.page.locator('jg-call [data-test="call-path"]').waitFor();
    await button(alice, 'Mute').click();
    await alice.page.locator('jg-call [data-test="self-muted"]').waitFor();
    expect(await alice.page.locator('jg-call video.remote').evaluate((v) => v.classList.contains('covered'))).toBe(true);
    await shoot(alice, 'audio');

    await button(bob, 'Hang up').click();
    await waitState(alice, 'ended');
    await shoot(alice, 'ended');
  });

  it('video call with its details open', async () => {
    await button(alice, 'Video call').click();
    await waitState(bob, 'ringing');
    await button(bob, 'Accept').click();
    await Promise.all([waitState(alice, 'connected'), waitState(bob, 'connected')]);
    await grows(alice, 'decoded video frames', (s) => s.framesDecoded);
    await alice.page.locator('jg-call').getByRole('button', { name: 'Details' }).click();
    await alice.page.locator('jg-call [data-stat="rtt"]').waitFor();
    await shoot(alice, 'video');
    await button(bob, 'Camera off').click();
    await alice.page.locator('jg-call [data-placeholder="remote"]').waitFor();
    await shoot(alice, 'video-camera-off');
    await button(alice, 'Hang up').click();
    await waitState(bob, 'ended');
  });
});
