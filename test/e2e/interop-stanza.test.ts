// "We interoperate": our web client (alice, the built client in Chromium) and an independent Jingle
// stack, the unmodified StanzaJS 12 in Chromium (bob, test/harness/stanza-peer), through a real Prosody
// and our component. Calls both ways, audio and video, media both ways (each side's inbound-rtp bytes
// of each kind grow), a clean hang-up from each side with the reason seen by the other, and StanzaJS
// calling the echo peer at its bare JID. On failure the XMPP traffic of both pages is written to
// test-results/ and its tail printed.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMPONENT_DOMAIN, startClientE2E, type ClientE2E, type UserPage } from '../harness/client-e2e.ts';
import { button, callState, select, waitState } from '../harness/call-page.ts';
import { openStanzaPeer, type StanzaPeer } from '../harness/stanza-peer/page.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const USERS = { alice: 'alice-pw', bob: 'bob-pw' };
const ECHO = `echo@${COMPONENT_DOMAIN}`;

let e2e: ClientE2E;
let alice: UserPage;
let bob: StanzaPeer;
/** Alice's WebSocket frames ('>>' sent, '<<' received), as the page sent and got them. */
const aliceTraffic: string[] = [];

/** Alice's inbound bytes per kind, from her call controller's getStats() summary. */
async function aliceInbound(page: Page): Promise<{ audio: number; video: number }> {
  return page.locator('jg-call').evaluate((el) => {
    const s = (el as HTMLElement & { controller?: { stats?: { audio: { bytesReceived: number }; video: { bytesReceived: number } } } }).controller?.stats;
    return { audio: s?.audio.bytesReceived ?? 0, video: s?.video.bytesReceived ?? 0 };
  });
}

async function aliceGrows(kind: 'audio' | 'video'): Promise<void> {
  const start = (await aliceInbound(alice.page))[kind];
  await expect.poll(async () => (await aliceInbound(alice.page))[kind], { timeout: 10_000, message: `alice: inbound ${kind} bytes should grow` })
    .toBeGreaterThan(start);
}

/** Media both ways: every kind of the call grows on both sides. */
async function mediaBothWays(kinds: ('audio' | 'video')[]): Promise<void> {
  await Promise.all(kinds.flatMap((k) => [aliceGrows(k), bob.grows(k)]));
}

/** Bob plays what alice sends: both remote tracks live, and picture in his <video> when it is a video call. */
async function bobPlays(video: boolean): Promise<void> {
  await expect.poll(async () => (await bob.info()).remoteTracks.sort(), { message: 'bob: remote tracks' })
    .toEqual(video ? ['audio:live', 'video:live'] : ['audio:live']);
  if (video) await expect.poll(async () => (await bob.info()).videoSize, { message: 'bob: remote video size' }).not.toBe('0x0');
}

/** Alice's full JID as bob sees it online (StanzaJS calls a full JID). */
async function aliceFullJid(): Promise<string> {
  await expect.poll(async () => (await bob.online())[alice.jid]?.length ?? 0, { message: 'bob should see alice online' }).toBeGreaterThan(0);
  return (await bob.online())[alice.jid]![0]!;
}

/** Where each page's traffic stood when the test began. */
let mark = { alice: 0, bob: 0 };

/**
 * No stanza errors between the two clients during the test: each side understood every request of the
 * other (a refused transport-info or session-info is an interop bug even when the call survives it).
 * Allowed: unknown-session for a request that crossed the replier's own session-terminate on the wire
 * (XEP-0166: who terminated answers later requests so).
 */
async function noErrorsBetweenThem(): Promise<void> {
  const attr = (frame: string, name: string): string | undefined => new RegExp(`<(?:iq|jingle)\\b[^>]*\\b${name}=['"]([^'"]+)['"]`).exec(frame)?.[1];
  const sidOf = (frame: string): string | undefined => /<jingle[^>]*\bsid=['"]([^'"]+)['"]/.exec(frame)?.[1];
  const isTerminate = (f: string): boolean => f.startsWith('>> ') && /action=['"]session-terminate['"]/.test(f) && attr(f, 'type') === 'set';
  /** The errors one side sent; `traffic` is that side's, both directions, in order. */
  const refused = (traffic: string[]): string[] => traffic.filter((frame, i) => {
    if (!frame.startsWith('>> <iq') || attr(frame, 'type') !== 'error') return false;
    // StanzaJS's error replies carry no <jingle>: the request they answer (same id) names the sid.
    const id = attr(frame, 'id');
    const sid = sidOf(frame) ?? sidOf(traffic.slice(0, i).find((f) => f.startsWith('<< <iq') && attr(f, 'id') === id) ?? '');
    const crossedOwnTerminate = frame.includes('unknown-session') && sid !== undefined
      && traffic.slice(0, i).some((f) => isTerminate(f) && sidOf(f) === sid);
    return !crossedOwnTerminate;
  });
  const errors = [...refused(aliceTraffic.slice(mark.alice)), ...refused((await bob.traffic()).slice(mark.bob))];
  expect(errors, 'stanza errors between alice and bob').toEqual([]);
}

async function dumpTraffic(name: string): Promise<void> {
  const file = join(ROOT, 'test-results', `interop-stanza-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.log`);
  const bobTraffic = await bob?.traffic().catch(() => [] as string[]) ?? [];
  const text = [
    '== alice (web client): console', ...alice.logs, '== alice: XMPP', ...aliceTraffic,
    '== bob (StanzaJS): console', ...(bob?.logs ?? []), '== bob: XMPP', ...bobTraffic,
  ].join('\n');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  console.error(`interop-stanza: traffic of both pages in ${file}; last stanzas:\n${[...aliceTraffic.slice(-12), '--', ...bobTraffic.slice(-12)].join('\n')}`);
}

beforeAll(async () => {
  e2e = await startClientE2E({ users: USERS });
  // Alice logs in through the UI, her WebSocket frames recorded from the start.
  const opened = await e2e.openApp();
  opened.page.on('websocket', (ws) => {
    ws.on('framesent', (f) => { aliceTraffic.push(`>> ${String(f.payload)}`); });
    ws.on('framereceived', (f) => { aliceTraffic.push(`<< ${String(f.payload)}`); });
  });
  await e2e.submitLogin(opened.page, 'alice@localhost', USERS.alice);
  await opened.page.locator('jg-app[status="online"]').waitFor({ timeout: 15_000 });
  alice = { ...opened, user: 'alice', jid: 'alice@localhost' };
  bob = await openStanzaPeer(e2e.browser);
  await bob.login('bob@localhost', USERS.bob, e2e.prosody.websocketUrl);
  // Alice adds bob in the UI; the StanzaJS app accepts and subscribes back, which alice's client approves.
  await alice.page.locator('jg-contacts input[name="contact"]').fill('bob@localhost');
  await alice.page.locator('jg-contacts').getByRole('button', { name: 'Add contact' }).click();
  await alice.page.locator('jg-contacts li[data-jid="bob@localhost"][data-online="true"]').waitFor({ timeout: 15_000 });
  await select(alice, 'bob@localhost');
}, 180_000);

afterAll(async () => {
  await bob?.close();
  await e2e?.stop();
});

beforeEach(async (ctx) => {
  ctx.onTestFailed(() => dumpTraffic(ctx.task.name));
  mark = { alice: aliceTraffic.length, bob: (await bob.traffic()).length };
});

afterEach(async () => {
  // A failed test must not leave a call up for the next one.
  if (['pending', 'active', 'ringing'].includes((await bob.info()).state)) await bob.hangUp().catch(() => undefined);
  const hangUp = button(alice, 'Hang up');
  if (await hangUp.isVisible()) await hangUp.click().catch(() => undefined);
});

describe('web client <-> StanzaJS 12 (Chromium both), through Prosody', () => {
  it('StanzaJS advertises Jingle RTP in its caps, and each sees the other online', async () => {
    const full = await aliceFullJid();
    expect(full).toMatch(/^alice@localhost\//);
    const caps = (await bob.traffic()).find((s) => s.startsWith('>> <presence') && s.includes('http://jabber.org/protocol/caps'));
    expect(caps, 'StanzaJS sends its caps in presence').toBeDefined();
  });

  it('bob (StanzaJS) video-calls alice: rings, alice accepts, audio and video both ways, mute both ways, bob hangs up', async () => {
    await bob.call(await aliceFullJid(), true);
    await waitState(alice, 'ringing', 10_000);
    expect((await callState(alice.page)).text).toContain('incoming video call from bob@localhost');
    await button(alice, 'Accept').click();
    await Promise.all([waitState(alice, 'connected', 10_000), bob.waitState('active')]);
    await mediaBothWays(['audio', 'video']);
    await bobPlays(true);
    // XEP-0167 mute both ways: StanzaJS names the audio content, our client names its own.
    await bob.mute('audio', true);
    await expect.poll(async () => (await callState(alice.page)).text, { timeout: 5_000 }).toContain('(they: muted)');
    await bob.mute('audio', false);
    await expect.poll(async () => (await callState(alice.page)).text, { timeout: 5_000 }).not.toContain('muted');
    await button(alice, 'Mute').click();
    await expect.poll(async () => (await bob.info()).peerMute, { timeout: 5_000 }).toEqual({ muted: true, kind: 'audio' });
    await button(alice, 'Unmute').click();
    await expect.poll(async () => (await bob.info()).peerMute, { timeout: 5_000 }).toEqual({ muted: false, kind: 'audio' });
    await bob.hangUp();
    await waitState(alice, 'ended', 5_000);
    expect((await callState(alice.page)).text).toBe('Call ended: bob@localhost hung up');
    expect(await bob.lastEnded()).toMatchObject({ condition: 'success', by: 'us' });
    await noErrorsBetweenThem();
  });

  it('bob (StanzaJS) audio-calls alice: audio both ways, alice hangs up, bob sees success', async () => {
    await bob.call(await aliceFullJid(), false);
    await waitState(alice, 'ringing', 10_000);
    expect((await callState(alice.page)).text).toContain('incoming audio call from bob@localhost');
    await button(alice, 'Accept').click();
    await Promise.all([waitState(alice, 'connected', 10_000), bob.waitState('active')]);
    expect(await bob.info()).toMatchObject({ audio: true, video: false });
    await mediaBothWays(['audio']);
    await bobPlays(false);
    await button(alice, 'Hang up').click();
    await bob.waitState('ended', 5_000);
    expect(await bob.lastEnded()).toMatchObject({ condition: 'success', by: 'peer' });
    await waitState(alice, 'ended', 5_000);
    await noErrorsBetweenThem();
  });

  it('alice video-calls bob (StanzaJS, no XEP-0353): bob rings, accepts, audio and video both ways, alice hangs up', async () => {
    await button(alice, 'Video call').click();
    await bob.waitState('ringing', 10_000);
    // StanzaJS rings (XEP-0167 <ringing/>), which alice shows.
    await expect.poll(async () => (await callState(alice.page)).text, { timeout: 5_000 }).toContain('(ringing)');
    expect(await bob.info()).toMatchObject({ audio: true, video: true });
    expect((await bob.info()).peer).toMatch(/^alice@localhost\//);
    await bob.accept();
    await Promise.all([waitState(alice, 'connected', 10_000), bob.waitState('active')]);
    await mediaBothWays(['audio', 'video']);
    await bobPlays(true);
    await button(alice, 'Hang up').click();
    await bob.waitState('ended', 5_000);
    expect(await bob.lastEnded()).toMatchObject({ condition: 'success', by: 'peer' });
    expect((await callState(alice.page)).text).toBe('Call ended: You hung up');
    await noErrorsBetweenThem();
  });

  it('alice audio-calls bob (StanzaJS): audio both ways, bob hangs up, alice sees hung up', async () => {
    await button(alice, 'Audio call').click();
    await bob.waitState('ringing', 10_000);
    expect(await bob.info()).toMatchObject({ audio: true, video: false });
    await bob.accept();
    await Promise.all([waitState(alice, 'connected', 10_000), bob.waitState('active')]);
    await mediaBothWays(['audio']);
    await bobPlays(false);
    await bob.hangUp();
    await waitState(alice, 'ended', 5_000);
    expect((await callState(alice.page)).text).toBe('Call ended: bob@localhost hung up');
    await noErrorsBetweenThem();
  });

  it('bob (StanzaJS) declines alice\'s call: alice sees declined', async () => {
    await button(alice, 'Audio call').click();
    await bob.waitState('ringing', 10_000);
    await bob.hangUp('decline');
    await waitState(alice, 'ended', 5_000);
    expect((await callState(alice.page)).text).toBe('Call ended: bob@localhost declined');
    await noErrorsBetweenThem();
  });

  it('alice declines bob\'s (StanzaJS) call: bob sees decline from her', async () => {
    await bob.call(await aliceFullJid(), false);
    await waitState(alice, 'ringing', 10_000);
    await button(alice, 'Decline').click();
    await bob.waitState('ended', 5_000);
    expect(await bob.lastEnded()).toMatchObject({ condition: 'decline', by: 'peer' });
    await noErrorsBetweenThem();
  });

  it('StanzaJS calls the echo peer at its bare JID and gets its audio and video back', async () => {
    await bob.call(ECHO, true);
    await bob.waitState('active');
    expect((await bob.info()).peer).toBe(ECHO);
    await Promise.all([bob.grows('audio'), bob.grows('video')]);
    await bob.hangUp();
    expect(await bob.lastEnded()).toMatchObject({ condition: 'success', by: 'us' });
  });
});
