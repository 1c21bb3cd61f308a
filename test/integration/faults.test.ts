// Faults during echo test calls, against a real Prosody and the component in this process:
// (a) Prosody is killed (SIGKILL) in the middle of a call with media, then started again: the component
//     reconnects, the call from before is ended (peer closed, session-terminate with connectivity-error
//     if the caller is back in time, a log line), the caller sees the echo's presence again, and a new
//     call carries media;
// (b) only the component's link to Prosody drops (its socket destroyed, as a network fault would) while
//     the caller stays online: after the reconnect the caller gets the session-terminate
//     (connectivity-error) and the echo's presence again;
// (c) the component is stopped (its call ends with a session-terminate 'gone') and a new one started
//     with the same options while the user stays logged in: disco#info answers again, a subscribe gets
//     presence with caps, and a new call carries media.
// The caller is test/harness/echo-caller.ts: a werift RTCPeerConnection sending crafted RTP. Loopback only.
import { Socket } from 'node:net';
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { NS } from '../../schemas/index.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { freePorts, sleep } from '../harness/ports.ts';
import { echoCaller, type EchoCall } from '../harness/echo-caller.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, waitOnline, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'faults-secret';
const ECHO = `echo@${DOMAIN}`;
const ECHO_FULL = `${ECHO}/echo`;

let prosody: ProsodyServer;
let comp: TestComponentProcess;
let argv: string[];
let httpPort: number;
const users: Record<string, TestClient> = {};

const { calls, serveJingle, call: mediaCall, hangUp } = echoCaller(ECHO);
type MediaCall = EchoCall;

const terminateOf = (sid: string) => (s: Element): boolean =>
  s.name === 'iq' && s.attrs.from === ECHO_FULL && s.getChild('jingle', NS.jingle)?.attrs.sid === sid
  && s.getChild('jingle', NS.jingle)?.attrs.action === 'session-terminate';
const reasonOf = (iq: Element): string | undefined =>
  (iq.getChild('jingle', NS.jingle)?.getChild('reason')?.children.find((c) => typeof c === 'object' && (c as Element).name !== 'text') as Element | undefined)?.name;
const echoAvailable = (s: Element): boolean => s.name === 'presence' && s.attrs.from === ECHO_FULL && s.attrs.type === undefined;

/** Media keeps coming back: more audio and video packets after `ms` than before. */
async function echoing(c: MediaCall, ms = 1_000): Promise<void> {
  const before = { ...c.got };
  await sleep(ms);
  expect(c.got.audio).toBeGreaterThan(before.audio + 10);
  expect(c.got.video).toBeGreaterThan(before.video + 10);
}

const active = (): number => Number(/echo_calls_active (\d+)/.exec(comp.metrics.text())?.[1]);
const health = async (): Promise<number> => (await fetch(`http://127.0.0.1:${httpPort}/health`).catch(() => undefined))?.status ?? 0;
const discoEcho = (client: TestClient): Promise<Element> =>
  client.iq(xml('iq', { type: 'get', to: ECHO }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
const features = (info: Element): string[] => info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var as string) ?? [];

/**
 * Drops the component's TCP connection to Prosody from the component's side, as a network fault would.
 * The component runs in this process; Node lists its sockets among the active handles (undocumented).
 */
function dropComponentLink(): void {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const links = handles.filter((h): h is Socket => h instanceof Socket && h.remotePort === prosody.componentPort);
  expect(links).toHaveLength(1);
  links[0]!.destroy();
}

/** A logged-in user as a real client behaves: roster fetched, available presence sent on every (re)connect. */
async function login(name: string): Promise<TestClient> {
  const client = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: name, password: `${name}pw` });
  serveJingle(client);
  const announce = async (): Promise<void> => {
    await client.iq(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    await client.send(xml('presence', {}));
  };
  client.xmpp.on('online', () => void announce().catch(() => undefined));
  await announce();
  return client;
}

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: 'alicepw', bob: 'bobpw' }, components: { [DOMAIN]: SECRET } });
  [httpPort] = (await freePorts(1)) as [number];
  argv = ['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', SECRET, '--hosts', 'localhost',
    '--stun-port', '0', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128', '--http-port', String(httpPort)];
  comp = await runComponent(argv);
  for (const name of ['alice', 'bob']) users[name] = await login(name);
});

afterAll(async () => {
  for (const c of [...calls.values()]) await c.stop();
  await Promise.all(Object.values(users).map((u) => u.stop()));
  await comp?.stop();
  await prosody?.stop();
});

describe('faults during echo test calls', () => {
  it('Prosody killed and restarted during a call: the component reconnects, the old call ends, a new call carries media', async () => {
    const alice = users.alice!;
    // A subscription, so that alice is among those the echo announces itself to.
    const subscribed = alice.nextStanza(echoAvailable);
    await alice.send(xml('presence', { to: ECHO, type: 'subscribe' }));
    await subscribed;
    const old = await mediaCall(alice, 'before-kill');
    await echoing(old);
    expect(active()).toBe(1);

    const terminated = alice.nextStanza(terminateOf(old.sid), 40_000).catch(() => undefined);
    // Alice's client reconnects on its own (every second) and sends its presence; the echo's comes
    // either from its re-announcement or in answer to the server's probe at her login.
    const seen = alice.nextStanza(echoAvailable, 40_000);
    const t0 = Date.now();
    await prosody.kill();
    await expect.poll(health, { timeout: 10_000, interval: 100 }).toBe(503);
    await prosody.restart();
    await expect.poll(health, { timeout: 30_000, interval: 100 }).toBe(200);
    const back = Date.now() - t0;
    await waitOnline(alice.xmpp, 30_000);
    await seen;

    await expect.poll(active, { timeout: 10_000, interval: 100 }).toBe(0);
    const ended = comp.logs.find((l) => l.msg === 'echo call ended' && l.sid === old.sid);
    expect(ended).toMatchObject({ reason: 'connectivity-error' });
    expect(comp.logs.some((l) => l.msg === 'echo: ending the calls from before the connection to the server was lost')).toBe(true);
    expect(comp.logs.some((l) => l.msg === 'lost the connection to the server')).toBe(true);
    // Its media stops: the echo's peer is closed.
    await sleep(500);
    const stopped = { ...old.got };
    await sleep(1_000);
    expect(old.got).toEqual(stopped);
    // The session-terminate reaches alice only if her client was back before the component was.
    const terminate = await Promise.race([terminated, sleep(2_000).then(() => undefined)]);
    if (terminate) expect(reasonOf(terminate)).toBe('connectivity-error');
    console.info(`faults: prosody killed; component healthy again after ${back} ms; old call ended with connectivity-error; `
      + `caller ${terminate ? 'got' : 'missed (offline at that moment)'} the session-terminate`);
    await old.stop();

    const fresh = await mediaCall(alice, 'after-kill');
    await echoing(fresh);
    expect(active()).toBe(1);
    await hangUp(alice, fresh);
    await expect.poll(active, { timeout: 5_000 }).toBe(0);
  });

  it('the link to Prosody drops while the caller stays online: the caller gets session-terminate and the echo\'s presence', async () => {
    const alice = users.alice!;
    const old = await mediaCall(alice, 'before-drop');
    await echoing(old, 500);
    const terminated = alice.nextStanza(terminateOf(old.sid), 20_000);
    const seen = alice.nextStanza(echoAvailable, 20_000);
    dropComponentLink();
    const terminate = await terminated;
    expect(reasonOf(terminate)).toBe('connectivity-error');
    expect(terminate.getChild('jingle', NS.jingle)?.getChild('reason')?.getChildText('text')).toMatch(/lost its connection/);
    await seen;
    expect(await health()).toBe(200);
    expect(active()).toBe(0);
    await old.stop();
    const fresh = await mediaCall(alice, 'after-drop');
    await echoing(fresh, 500);
    await hangUp(alice, fresh);
  });

  it('the component restarted while a user stays logged in: the call ends with gone, disco, presence and a new call work again', async () => {
    const bob = users.bob!;
    expect(features(await discoEcho(bob))).toContain(NS.jingle);
    const during = await mediaCall(bob, 'before-restart');
    await echoing(during, 500);

    const terminated = bob.nextStanza(terminateOf(during.sid), 10_000);
    await comp.stop();
    expect(reasonOf(await terminated)).toBe('gone');
    await during.stop();
    // While it is away the server answers for it.
    expect((await discoEcho(bob)).attrs.type).toBe('error');

    comp = await runComponent(argv);
    await expect.poll(health, { timeout: 10_000, interval: 100 }).toBe(200);
    const info = await discoEcho(bob);
    expect(info.attrs.type).toBe('result');
    expect(features(info)).toEqual(expect.arrayContaining([NS.jingle, NS.rtpAudio, NS.rtpVideo, NS.iceUdp, NS.dtls, NS.jmi]));
    // The new process knows no one yet: a client asking (subscribe, or the probe at its next login) gets presence with caps.
    const available = bob.nextStanza(echoAvailable);
    await bob.send(xml('presence', { to: ECHO, type: 'subscribe' }));
    expect((await available).getChild('c', 'http://jabber.org/protocol/caps')?.attrs.ver).toMatch(/=$/);

    const fresh = await mediaCall(bob, 'after-restart');
    await echoing(fresh);
    await hangUp(bob, fresh);
    await expect.poll(active, { timeout: 5_000 }).toBe(0);
  });
});
