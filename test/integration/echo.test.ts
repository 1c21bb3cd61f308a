// The echo test call for real: Prosody, the component in this process, Node users calling echo@ with a
// werift RTCPeerConnection as the caller (audio + video tracks fed with crafted RTP), XEP-0353 then
// XEP-0166/0167/0176 with trickle ICE, and the caller's own packets coming back. Loopback only.
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { NS } from '../../schemas/index.ts';
import { loadConfig } from '../../component/config.ts';
import { createLogger } from '../../component/logger.ts';
import { startComponent, type RunningComponent } from '../../component/main.ts';
import { echoCaller } from '../harness/echo-caller.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';
import { sleep } from '../harness/ports.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'echo-secret';
const ECHO = `echo@${DOMAIN}`;
const ECHO_FULL = `${ECHO}/echo`;

let prosody: ProsodyServer;
let component: RunningComponent;
const users: Record<string, TestClient> = {};

const { calls, serveJingle, call, hangUp } = echoCaller(ECHO);

const active = (): number => Number(/echo_calls_active (\d+)/.exec(component.metrics.text())?.[1]);

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: 'alicepw', bob: 'bobpw' }, components: { [DOMAIN]: SECRET } });
  const config = loadConfig({
    argv: ['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', SECRET, '--stun-port', '0',
      '--log-level', 'warn', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128'],
    env: {}, readFile: () => '{}',
  });
  component = await startComponent(config, createLogger('warn'));
  await component.ready;
  for (const name of ['alice', 'bob']) {
    const client = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: name, password: `${name}pw` });
    serveJingle(client);
    users[name] = client;
  }
});

afterAll(async () => {
  for (const c of calls.values()) await c.stop();
  await Promise.all(Object.values(users).map((u) => u.stop()));
  await component?.stop();
  await prosody?.stop();
});

describe('echo test call', () => {
  it('is a contact with Jingle capabilities: subscription answered, presence with caps, disco', async () => {
    const alice = users.alice!;
    // Prosody hands presence only to available resources, and 'subscribed' only to those that fetched the roster.
    await alice.iq(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    await alice.send(xml('presence', {}));
    const subscribed = alice.nextStanza((s) => s.name === 'presence' && s.attrs.type === 'subscribed' && s.attrs.from === ECHO);
    const available = alice.nextStanza((s) => s.name === 'presence' && s.attrs.from === ECHO_FULL && s.attrs.type === undefined);
    await alice.send(xml('presence', { to: ECHO, type: 'subscribe' }));
    await Promise.all([subscribed, available]);
    const caps = (await available).getChild('c', 'http://jabber.org/protocol/caps');
    expect(caps?.attrs.ver).toMatch(/=$/);
    const info = await alice.iq(xml('iq', { type: 'get', to: ECHO }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var as string) ?? [];
    expect(features).toEqual(expect.arrayContaining([NS.jingle, NS.rtpAudio, NS.rtpVideo, NS.iceUdp, NS.dtls, NS.jmi]));
  });

  it('answers a call and sends the caller\'s audio and video back until session-terminate', async () => {
    const alice = users.alice!;
    const c = await call(alice, 'alice');
    await sleep(1_000);
    const first = { ...c.got };
    await sleep(1_000);
    console.info(`echo: connected in ${c.connectedMs} ms; after 2 s got back ${c.got.audio} audio and ${c.got.video} video packets (${c.got.bytes} bytes)`);
    expect(first.audio).toBeGreaterThan(10);
    expect(first.video).toBeGreaterThan(10);
    expect(c.got.audio).toBeGreaterThan(first.audio);
    expect(c.got.video).toBeGreaterThan(first.video);
    expect(c.got.bytes).toBeGreaterThan(first.bytes);
    expect(c.got.foreign).toBe(0);
    expect(c.actions).toContain('session-accept');
    expect(active()).toBe(1);
    await hangUp(alice, c);
    await sleep(200);
    expect(active()).toBe(0);
    expect(component.metrics.get('echo_calls_total')).toBe(1);
  });

  it('called at its bare JID (as StanzaJS calls), answers from the bare JID: responder, session-accept, trickle, media back', async () => {
    const bob = users.bob!;
    const c = await call(bob, 'bare', { address: ECHO });
    await expect.poll(() => c.got.audio, { timeout: 5_000 }).toBeGreaterThan(10);
    await expect.poll(() => c.got.video, { timeout: 5_000 }).toBeGreaterThan(10);
    expect(c.responder).toBe(ECHO);
    expect(c.actions[0]).toBe('session-accept');
    expect(new Set(c.senders)).toEqual(new Set([ECHO]));
    await hangUp(bob, c);
    await expect.poll(active).toBe(0);
  });

  it('echoes two concurrent calls, each its own media only', async () => {
    const [a, b] = await Promise.all([call(users.alice!, 'alice2'), call(users.bob!, 'bob')]);
    expect(active()).toBe(2);
    const before = { a: a.got.video, b: b.got.video };
    await sleep(1_500);
    console.info(`echo x2: connected in ${a.connectedMs} and ${b.connectedMs} ms; video back ${a.got.video} and ${b.got.video}`);
    for (const c of [a, b]) {
      expect(c.got.audio).toBeGreaterThan(10);
      expect(c.got.foreign).toBe(0);
    }
    expect(a.got.video).toBeGreaterThan(before.a);
    expect(b.got.video).toBeGreaterThan(before.b);
    await Promise.all([hangUp(users.alice!, a), hangUp(users.bob!, b)]);
  });
});
