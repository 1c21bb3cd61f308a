// The echo test call for real: Prosody, the component in this process, Node users calling echo@ with a
// werift RTCPeerConnection as the caller (audio + video tracks fed with crafted RTP), XEP-0353 then
// XEP-0166/0167/0176 with trickle ICE, and the caller's own packets coming back. Loopback only.
import { randomBytes } from 'node:crypto';
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xml } from '@xmpp/client';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket } from 'werift';
import {
  NS, buildJmiMessage, candidatesToTransportInfo, findJmi, jingleToSdp, sdpToJingle, transportInfoToCandidates, type CandidateInit,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { loadConfig } from '../../component/config.ts';
import { createLogger } from '../../component/logger.ts';
import { startComponent, type RunningComponent } from '../../component/main.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';
import { sleep } from '../harness/ports.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'echo-secret';
const ECHO = `echo@${DOMAIN}`;
const ECHO_FULL = `${ECHO}/echo`;
const LOOPBACK_ICE = { iceServers: [], iceInterfaceAddresses: { udp4: '127.0.0.1' }, iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };
/** xmpp.js's iq callee answers an empty result to any non-element truthy value. */
const ACK = true as unknown as Element;

let prosody: ProsodyServer;
let component: RunningComponent;
const users: Record<string, TestClient> = {};

interface Call {
  sid: string;
  pc: RTCPeerConnection;
  /** Packets and payload bytes the echo sent back, by kind; packets whose payload we never sent. */
  got: { audio: number; video: number; bytes: number; foreign: number };
  actions: string[];
  connectedMs: number;
  stop(): Promise<void>;
}
const calls = new Map<string, Call>();

/** The caller's side of Jingle: what echo@ sends to a user is applied to that call's peer connection. */
function serveJingle(client: TestClient): void {
  client.xmpp.iqCallee.set(NS.jingle, 'jingle', ({ element }) => {
    const call = calls.get(element.attrs.sid as string);
    if (!call) return undefined;
    const action = element.attrs.action as string;
    call.actions.push(action);
    if (action === 'session-accept') void call.pc.setRemoteDescription({ type: 'answer', sdp: jingleToSdp(element, { role: 'responder' }) });
    if (action === 'transport-info') for (const c of transportInfoToCandidates(element)) void call.pc.addIceCandidate(c);
    return ACK;
  });
}

const jingleIq = (jingle: Element): Element => el('iq', { type: 'set', to: ECHO_FULL }, [jingle]);
const jmiFrom = (sid: string, action: string) => (s: Element): boolean =>
  s.name === 'message' && s.attrs.from === ECHO_FULL && findJmi(s)?.id === sid && findJmi(s)?.action === action;

/** Proposes, initiates with an offer whose candidates trickle after it, and sends RTP every 20 ms. */
async function call(client: TestClient, label: string): Promise<Call> {
  const sid = `${label}-${randomBytes(6).toString('hex')}`;
  const pc = new RTCPeerConnection(LOOPBACK_ICE);
  const tracks = { audio: new MediaStreamTrack({ kind: 'audio' }), video: new MediaStreamTrack({ kind: 'video' }) };
  pc.addTransceiver(tracks.audio, { direction: 'sendrecv' });
  pc.addTransceiver(tracks.video, { direction: 'sendrecv' });
  const local: CandidateInit[] = [];
  pc.onIceCandidate.subscribe((c) => {
    const j = c?.toJSON();
    if (j && j.candidate.includes(' 127.0.0.1 ')) local.push({ candidate: j.candidate, sdpMid: j.sdpMid ?? '0', usernameFragment: j.usernameFragment ?? null });
  });
  const sent = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const c: Call = {
    sid, pc, got: { audio: 0, video: 0, bytes: 0, foreign: 0 }, actions: [], connectedMs: 0,
    async stop() { clearInterval(timer); await pc.close(); },
  };
  calls.set(sid, c);
  pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => {
    c.got[track.kind as 'audio' | 'video']++;
    c.got.bytes += rtp.payload.length;
    if (!sent.has(rtp.payload.toString())) c.got.foreign++;
  }));

  const ringing = client.nextStanza(jmiFrom(sid, 'ringing'));
  const proceed = client.nextStanza(jmiFrom(sid, 'proceed'));
  await client.send(buildJmiMessage({ action: 'propose', id: sid, media: ['audio', 'video'] }, { to: ECHO, id: `${sid}-p`, store: true, receipt: true }));
  await ringing;
  await proceed;

  await pc.setLocalDescription(await pc.createOffer());
  const offer = (pc.localDescription?.sdp ?? '').split('\r\n').filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
  const t0 = Date.now();
  const accepted = client.nextStanza((s) => s.name === 'iq' && s.getChild('jingle', NS.jingle)?.attrs.sid === sid);
  const initiate = await client.iq(jingleIq(sdpToJingle(offer, { role: 'initiator', sid, initiator: client.jid })));
  expect(initiate.attrs.type).toBe('result');
  const trickle = await client.iq(jingleIq(candidatesToTransportInfo([...local, { candidate: '', sdpMid: '0' }], { sid, creator: 'initiator' })));
  expect(trickle.attrs.type).toBe('result');
  expect((await accepted).getChild('jingle', NS.jingle)?.attrs.action).toBe('session-accept');
  await pc.connectionStateChange.watch((s) => s === 'connected', 10_000);
  c.connectedMs = Date.now() - t0;

  let seq = 0;
  timer = setInterval(() => {
    seq++;
    for (const kind of ['audio', 'video'] as const) {
      const payload = Buffer.from(`${label}:${kind}:${seq}:`.padEnd(kind === 'audio' ? 80 : 900, 'x'));
      sent.add(payload.toString());
      const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: seq * (kind === 'audio' ? 960 : 3000), ssrc: 1000, marker: true });
      tracks[kind].writeRtp(new RtpPacket(header, payload));
    }
  }, 20);
  return c;
}

async function hangUp(client: TestClient, c: Call): Promise<void> {
  const terminate = el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid: c.sid }, [el('reason', {}, [el('success', {})])]);
  expect((await client.iq(jingleIq(terminate))).attrs.type).toBe('result');
  await c.stop();
}

const active = (): number => Number(/echo_calls_active (\d+)/.exec(component.metrics.text())?.[1]);

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: 'alicepw', bob: 'bobpw' }, components: { [DOMAIN]: SECRET } });
  const config = loadConfig({
    argv: ['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', SECRET, '--stun-port', '0',
      '--log-level', 'warn', '--echo-bind', '127.0.0.1'],
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
