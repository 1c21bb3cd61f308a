// Reading and driving the call view (<jg-call>) of a user's page in the client end-to-end tests: its
// controller state, status line and getStats() summary, its buttons, and waiting for a state or a
// counter to move.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { makeContacts, type ClientE2E, type UserPage } from './client-e2e.ts';

export interface PageStats {
  bytesReceived: number; bytesSent: number; audioSent: number; videoReceived: number; framesDecoded: number;
  rtt: number | null; local: string | null; ufrag: string | null;
}

/** The call element's controller state and its latest getStats() summary, read in the page. */
export function callState(page: Page): Promise<{ state: string; text: string; stats: PageStats | null }> {
  return page.locator('jg-call').evaluate((el) => {
    const c = (el as HTMLElement & { controller?: { state: string; stats?: Record<string, unknown> & { audio: { bytesSent: number }; video: { bytesReceived: number; framesDecoded: number } } } }).controller;
    const s = c?.stats;
    const text = el.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '';
    return {
      state: c?.state ?? 'none', text,
      stats: s ? {
        bytesReceived: s.bytesReceived as number, bytesSent: s.bytesSent as number, audioSent: s.audio.bytesSent,
        videoReceived: s.video.bytesReceived, framesDecoded: s.video.framesDecoded, rtt: (s.rtt as number | undefined) ?? null,
        local: (s.localCandidateType as string | undefined) ?? null, ufrag: (s.iceUfrag as string | undefined) ?? null,
      } : null,
    };
  });
}

export async function waitState(user: UserPage, state: string, timeout = 20_000): Promise<void> {
  try {
    await user.page.locator(`jg-call[data-state="${state}"]`).waitFor({ timeout });
  } catch (err) {
    const now = await callState(user.page).catch(() => undefined);
    throw new Error(`${user.user} not ${state} (is ${now?.state}: ${now?.text}): ${(err as Error).message}\n${user.logs.slice(-30).join('\n')}`);
  }
}

/** Waits until `read` grows past its first value. */
export async function grows(user: UserPage, what: string, read: (s: PageStats) => number, timeout = 10_000): Promise<void> {
  const first = (await callState(user.page)).stats;
  const start = first ? read(first) : 0;
  await expect.poll(async () => {
    const s = (await callState(user.page)).stats;
    return s ? read(s) : 0;
  }, { timeout, message: `${user.user}: ${what} should grow` }).toBeGreaterThan(start);
}

export const button = (user: UserPage, name: string) => user.page.locator('jg-call').getByRole('button', { name, exact: true });

export async function select(user: UserPage, contact: string): Promise<void> {
  await user.page.locator(`jg-contacts li[data-jid="${contact}"] button.pick`).click();
}

/**
 * Alice and bob logged in (alice's WebSocket through a cuttable proxy if asked), contacts both ways,
 * each with the other picked: ready to call each other.
 */
export async function readyToCall(e2e: ClientE2E, options: { aliceCuttable?: boolean } = {}): Promise<[UserPage, UserPage]> {
  const [alice, bob] = await Promise.all([e2e.login('alice', { cuttable: options.aliceCuttable === true }), e2e.login('bob')]);
  await makeContacts(alice, bob);
  await select(alice, bob.jid);
  await select(bob, alice.jid);
  return [alice, bob];
}
