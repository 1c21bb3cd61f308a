// The built web client in Firefox (Debian's firefox-esr, headless, WebDriver BiDi) face to face with
// the client in Chromium, through a real Prosody and our component: bob logs in in Firefox, chats both
// ways with alice in Chromium, and they call each other both ways, audio and video, with media flowing
// both ways (each side's own getStats(), per kind) and the hang-up seen on both sides; during a call,
// Firefox's mute and camera-off reach Chromium and ICE restarts from either side keep the media; the
// echo test call, a relay-only call through coturn, and Firefox calling Firefox. No process of this
// file's Firefox outlives it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USERS, startClientE2E, type ClientE2E } from '../harness/client-e2e.ts';
import { startCoturn, type CoturnServer } from '../harness/coturn.ts';
import { closeAndFindSurvivors, launchFirefox, type FirefoxBrowser } from '../harness/firefox.ts';
import {
  callGrows, callView, chromiumPeer, contactsAndPick, loginFirefox, waitCallState, type Peer,
} from '../harness/firefox-client.ts';

const TURN_SECRET = 'e2e-firefox-turn-secret-0123456789';

let coturn: CoturnServer;
let e2e: ClientE2E;
let ff: FirefoxBrowser;
let alice: Peer;
let bob: Peer;

beforeAll(async () => {
  coturn = await startCoturn({ secret: TURN_SECRET });
  [e2e, ff] = await Promise.all([startClientE2E({
    componentArgs: ['--turn-secret', TURN_SECRET, '--turn-host', '127.0.0.1', '--turn-port', String(coturn.port),
      '--turn-transports', 'udp', '--credentials-per-minute', '1000'],
  }), launchFirefox()]);
  const [a, b] = await Promise.all([e2e.login('alice'), loginFirefox(e2e, ff, 'bob', DEFAULT_USERS.bob ?? '')]);
  alice = chromiumPeer(a);
  bob = b;
  await contactsAndPick(alice, bob);
}, 180_000);

afterAll(async () => {
  await ff?.close();
  await e2e?.stop();
  await coturn?.stop();
});

/** After each call test, even a failed one: no call left on either side (the next test starts idle). */
afterEach(async () => {
  for (const p of [alice, bob]) {
    if (p === undefined) continue;
    const { state } = await callView(p).catch(() => ({ state: 'none' }));
    if (state === 'connected' || state === 'connecting' || state === 'proposing') await p.click('jg-call', 'button', 'Hang up').catch(() => undefined);
    if (state === 'ringing') await p.click('jg-call', 'button', 'Decline').catch(() => undefined);
  }
});

async function send(p: Peer, text: string): Promise<void> {
  await p.fill('jg-chat', 'textarea[name="message"]', text);
  await p.click('jg-chat', 'button', 'Send');
}

describe('web client in Firefox: chat with Chromium', () => {
  it('Firefox bob logged in through the form, and is alice\'s contact', async () => {
    await alice.waitFor('jg-contacts', `li[data-jid="${bob.jid}"][data-online="true"]`);
    await bob.waitFor('jg-contacts', `li[data-jid="${alice.jid}"]`);
  });

  it('alice (Chromium) writes, bob (Firefox) reads it; bob answers, alice reads it; both delivered', async () => {
    await send(alice, 'Hello Firefox');
    await bob.waitFor('jg-chat', 'li[data-direction="in"]', { text: undefined });
    await expect.poll(() => bob.onElement('jg-chat', (el) => [...(el.shadowRoot?.querySelectorAll('li[data-direction="in"]') ?? [])]
      .map((li) => li.textContent ?? '').join('|'), null)).toContain('Hello Firefox');
    await alice.waitFor('jg-chat', 'li[data-direction="out"][data-state="delivered"]');
    await send(bob, 'Hello Chromium');
    await expect.poll(() => alice.onElement('jg-chat', (el) => [...(el.shadowRoot?.querySelectorAll('li[data-direction="in"]') ?? [])]
      .map((li) => li.textContent ?? '').join('|'), null)).toContain('Hello Chromium');
    await bob.waitFor('jg-chat', 'li[data-direction="out"][data-state="delivered"]');
  });
});

const calls: [string, () => Peer, () => Peer, 'Audio call' | 'Video call'][] = [
  ['Chromium -> Firefox, video', () => alice, () => bob, 'Video call'],
  ['Firefox -> Chromium, video', () => bob, () => alice, 'Video call'],
  ['Chromium -> Firefox, audio', () => alice, () => bob, 'Audio call'],
  ['Firefox -> Chromium, audio', () => bob, () => alice, 'Audio call'],
];

/** Starts recording the Jingle iq-sets `p`'s client sends (its XMPP link's send). */
function recordJingle(p: Peer): Promise<void> {
  return p.onElement('jg-call', (el) => {
    const link = (el as HTMLElement & { link: { send(s: unknown): Promise<void> } }).link;
    const w = window as unknown as { jingleSent?: string[] };
    if (w.jingleSent) return;
    w.jingleSent = [];
    const send = link.send.bind(link);
    link.send = (s: unknown) => {
      const text = String(s);
      if (text.includes('urn:xmpp:jingle:1')) w.jingleSent?.push(text);
      return send(s);
    };
  }, null);
}

function takeJingle(p: Peer): Promise<string[]> {
  return p.onElement('jg-call', () => {
    const w = window as unknown as { jingleSent?: string[] };
    const sent = w.jingleSent ?? [];
    w.jingleSent = [];
    return sent;
  }, null);
}

/**
 * The console lines these pages log from now on. Pages live across tests, so a line an earlier test
 * allowed (Firefox's "ICE failed" before its own ICE restart recovers) must not fail a later one.
 */
function logsFromNow(...pages: Peer[]): () => string[] {
  const from = pages.map((p) => p.logs.length);
  return () => pages.flatMap((p, i) => p.logs.slice(from[i]));
}

describe('web client in Firefox: calls with Chromium', () => {
  it.each(calls)('%s: rings, connects, media both ways, hang-up seen on both sides', async (_, caller, callee, kind) => {
    const [from, to] = [caller(), callee()];
    const logs = logsFromNow(from, to);
    await recordJingle(bob);
    await takeJingle(bob);
    await from.click('jg-call', 'button', kind);
    await waitCallState(to, 'ringing');
    expect((await callView(to)).text).toContain(`incoming ${kind === 'Video call' ? 'video' : 'audio'} call from ${from.jid}`);
    await to.click('jg-call', 'button', 'Accept');
    await Promise.all([waitCallState(from, 'connected'), waitCallState(to, 'connected')]);
    const counters = kind === 'Video call' ? (['audioIn', 'videoIn', 'framesDecoded'] as const) : (['audioIn'] as const);
    await Promise.all([from, to].flatMap((p) => counters.map((c) => callGrows(p, c))));
    if (kind === 'Audio call') for (const p of [from, to]) expect((await callView(p)).videoIn, `${p.browser}: no video`).toBe(0);
    // The callee hangs up the first pair of calls, the caller the second.
    const hanger = calls.findIndex((c) => c[0] === _) < 2 ? to : from;
    await hanger.click('jg-call', 'button', 'Hang up');
    await Promise.all([waitCallState(from, 'ended'), waitCallState(to, 'ended')]);
    const other = hanger === from ? to : from;
    expect((await callView(other)).text).toBe(`Call ended: ${hanger.jid} hung up`);
    // Firefox gathers RTCP (component 2) candidates although rtcp-mux is required: none is sent.
    const sent = await takeJingle(bob);
    expect(sent.some((x) => /action=["'](session-initiate|session-accept)/.test(x)), 'bob sent the offer or answer').toBe(true);
    expect(sent.some((x) => /<candidate /.test(x)), 'bob sent candidates').toBe(true);
    expect(sent.filter((x) => /component=["']2/.test(x))).toEqual([]);
    expect(logs().filter((l) => /refused|setLocalDescription failed|could not|pageerror/i.test(l))).toEqual([]);
  });

});

/** Bytes `what` moves in 2 s, measured after the stats poll has caught up. */
async function flow(p: Peer, what: 'audioOut' | 'videoIn'): Promise<number> {
  const first = (await callView(p))[what];
  await new Promise((r) => setTimeout(r, 2_000)); // a measurement over time: no condition to wait on
  return (await callView(p))[what] - first;
}

/**
 * `p` restarts ICE; both sides move to new credentials and media flows again both ways, within
 * `recoverMs` (a restart that leaves one side without a working pair ends in ICE failure there, and
 * that side's own restart brings the media back: the call survives either way).
 */
async function restartFrom(p: Peer, other: Peer, recoverMs = 15_000): Promise<void> {
  const before = [(await callView(p)).ufrag, (await callView(other)).ufrag];
  expect(before[0], `${p.browser} reports its ufrag`).toBeTruthy();
  await p.onElement('jg-call', (el) => (el as HTMLElement & { controller: { restartIce(): Promise<void> } }).controller.restartIce(), null);
  await expect.poll(async () => (await callView(p)).ufrag, { timeout: 10_000, message: `${p.browser}: new ufrag` }).not.toBe(before[0]);
  await expect.poll(async () => (await callView(other)).ufrag, { timeout: 10_000, message: `${other.browser}: new ufrag` }).not.toBe(before[1]);
  await Promise.all([p, other].flatMap((x) => [callGrows(x, 'audioIn', recoverMs), callGrows(x, 'videoIn', recoverMs)]));
  expect((await callView(p)).state).toBe('connected');
  expect((await callView(other)).state).toBe('connected');
}

describe('web client in Firefox: during a call with Chromium', () => {
  it('Firefox mutes and turns its camera off, Chromium sees it; ICE restarts from either side keep media flowing', async () => {
    const logs = logsFromNow(alice, bob);
    const bobLogs = logsFromNow(bob);
    await bob.click('jg-call', 'button', 'Video call');
    await waitCallState(alice, 'ringing');
    await alice.click('jg-call', 'button', 'Accept');
    await Promise.all([waitCallState(alice, 'connected'), waitCallState(bob, 'connected')]);
    await Promise.all([callGrows(alice, 'audioIn'), callGrows(bob, 'audioOut')]);

    await bob.click('jg-call', 'button', 'Mute');
    await bob.waitFor('jg-call', 'button', { text: 'Unmute' });
    await expect.poll(async () => (await callView(alice)).text, { timeout: 5_000 }).toContain('muted');
    await new Promise((r) => setTimeout(r, 1_500)); // the stats poll (1 s) has caught up with the mute
    expect(await flow(bob, 'audioOut')).toBeLessThan(200);
    await bob.click('jg-call', 'button', 'Unmute');
    await callGrows(bob, 'audioOut');
    await callGrows(alice, 'audioIn');

    await bob.click('jg-call', 'button', 'Camera off');
    await bob.waitFor('jg-call', 'button', { text: 'Camera on' });
    await expect.poll(async () => (await callView(alice)).text, { timeout: 5_000 }).toContain('camera off');
    await bob.click('jg-call', 'button', 'Camera on');
    await bob.waitFor('jg-call', 'button', { text: 'Camera off' });
    await callGrows(alice, 'framesDecoded');

    await restartFrom(bob, alice);
    // Chromium's restart towards Firefox failed one time in two (Firefox's new ICE session never
    // nominated, "ICE failed" 10 s later) before the restart offer waited for its answer
    // (client/rtc/browser.ts); about one in twelve still does when Chromium is slow to apply the
    // answer, and Firefox's own restart then recovers the call: hence the recovery time.
    await restartFrom(alice, bob, 30_000);
    expect(logs().filter((l) => /ICE restart|refused|setLocalDescription failed|could not/i.test(l))).toEqual([]);
    expect(bobLogs().filter((l) => /pageerror/.test(l) && !/ICE failed/.test(l))).toEqual([]);

    await alice.click('jg-call', 'button', 'Hang up');
    await Promise.all([waitCallState(alice, 'ended'), waitCallState(bob, 'ended')]);
  }, 120_000);

  it("Firefox's test call reaches the echo peer and gets its audio and video back", async () => {
    await bob.click('jg-call', 'button', 'Test call');
    await waitCallState(bob, 'connected');
    expect((await callView(bob)).text).toContain('the echo test');
    await Promise.all([callGrows(bob, 'audioIn'), callGrows(bob, 'videoIn'), callGrows(bob, 'framesDecoded')]);
    await bob.click('jg-call', 'button', 'Hang up');
    await waitCallState(bob, 'ended');
  });
});

describe('web client in Firefox: relay and Firefox to Firefox', () => {
  it('a relay-only call from Firefox connects through coturn', async () => {
    const policy = (p: Peer, value: string) => p.onElement('jg-call', (el, v) => { (el as HTMLElement & { iceTransportPolicy: string }).iceTransportPolicy = v; }, value);
    await policy(bob, 'relay');
    try {
      await bob.click('jg-call', 'button', 'Audio call');
      await waitCallState(alice, 'ringing');
      await alice.click('jg-call', 'button', 'Accept');
      await Promise.all([waitCallState(alice, 'connected', 30_000), waitCallState(bob, 'connected', 30_000)]);
      await Promise.all([callGrows(alice, 'audioIn'), callGrows(bob, 'audioIn')]);
      await expect.poll(async () => (await callView(bob)).local).toBe('relay');
      await bob.click('jg-call', 'button', 'Hang up');
      await Promise.all([waitCallState(alice, 'ended'), waitCallState(bob, 'ended')]);
    } finally {
      await policy(bob, 'all');
    }
  });

  it('Firefox video-calls Firefox: media both ways', async () => {
    const carol = await loginFirefox(e2e, ff, 'carol', DEFAULT_USERS.carol ?? '');
    const logs = logsFromNow(carol, bob);
    await contactsAndPick(carol, bob);
    await carol.click('jg-call', 'button', 'Video call');
    await waitCallState(bob, 'ringing');
    await bob.click('jg-call', 'button', 'Accept');
    await Promise.all([waitCallState(carol, 'connected'), waitCallState(bob, 'connected')]);
    await Promise.all([carol, bob].flatMap((p) => (['audioIn', 'videoIn', 'framesDecoded'] as const).map((c) => callGrows(p, c))));
    await bob.click('jg-call', 'button', 'Hang up');
    await Promise.all([waitCallState(carol, 'ended'), waitCallState(bob, 'ended')]);
    expect(logs().filter((l) => /refused|setLocalDescription failed|could not|pageerror/i.test(l))).toEqual([]);
  });
});

describe('shutdown', () => {
  it('leaves no Firefox process behind', async () => {
    const { before, alive } = await closeAndFindSurvivors(ff);
    expect(before.length, 'the launcher, the main and the content processes').toBeGreaterThan(2);
    expect(alive).toEqual([]);
  });
});
