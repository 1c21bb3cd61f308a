// The component against a real Prosody: every service from a Node XMPP client, every error path,
// STUN with a real STUN client, TURN credentials accepted by a real coturn, and reconnecting.
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, parseServices, parseXml } from '../../schemas/index.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { startCoturn, type CoturnServer } from '../harness/coturn.ts';
import { freePorts } from '../harness/ports.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'component-secret';
const TURN_SECRET = 'turn-secret-for-tests';
let prosody: ProsodyServer;
let coturn: CoturnServer;
let comp: TestComponentProcess;
let alice: TestClient;
let stunPort: number;
let httpPort: number;

const q = (xml: string): Element => parseXml(xml);
const get = (payload: string, to = DOMAIN): Element => q(`<iq type='get' to='${to}'>${payload}</iq>`);
const child = (iq: Element, name: string): Element | undefined =>
  iq.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === name);
function errorOf(iq: Element): { condition?: string; text?: string; app?: Element } {
  const e = child(iq, 'error');
  const conds = (e?.children ?? []).filter((c): c is Element => typeof c === 'object' && c !== null);
  return {
    condition: conds.find((c) => c.attrs.xmlns === NS.stanzas && c.name !== 'text')?.name,
    text: conds.find((c) => c.name === 'text')?.children.join(''),
    app: conds.find((c) => c.attrs.xmlns !== NS.stanzas),
  };
}

beforeAll(async () => {
  coturn = await startCoturn({ secret: TURN_SECRET });
  prosody = await startProsody({ users: { alice: 'alicepw', bob: 'bobpw' }, components: { [DOMAIN]: SECRET, 'strict.localhost': 'strict-secret' } });
  const ports = await freePorts(2, { udp: true });
  stunPort = ports[0]!;
  httpPort = ports[1]!;
  comp = await runComponent([
    '--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', SECRET,
    '--hosts', 'localhost', '--turn-secret', TURN_SECRET, '--turn-host', '127.0.0.1', '--turn-port', String(coturn.port),
    '--stun-port', String(stunPort), '--stun-bind', '127.0.0.1', '--stun-host', '127.0.0.1',
    '--http-port', String(httpPort), '--credentials-per-minute', '5',
  ]);
  alice = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: 'alice', password: 'alicepw' });
});

afterAll(async () => {
  await alice?.stop();
  await comp?.stop();
  await prosody?.stop();
  await coturn?.stop();
});

describe('the component beside Prosody', () => {
  it('answers disco#info with its identity and features, and lists the echo peer in disco#items', async () => {
    const info = await alice.iq(get(`<query xmlns='http://jabber.org/protocol/disco#info'/>`));
    const features = (child(info, 'query')?.children as Element[]).filter((c) => c.name === 'feature').map((f) => f.attrs.var);
    expect(features).toEqual(expect.arrayContaining([NS.extdisco, NS.translate, 'urn:xmpp:ping']));
    expect(child(child(info, 'query')!, 'identity')?.attrs).toMatchObject({ category: 'component' });
    const items = await alice.iq(get(`<query xmlns='http://jabber.org/protocol/disco#items'/>`));
    expect((child(items, 'query')?.children as Element[]).map((i) => i.attrs.jid)).toContain(`echo@${DOMAIN}`);
  });

  it('hands out STUN and TURN with coturn REST credentials that coturn accepts', async () => {
    const res = await alice.iq(get(`<services xmlns='${NS.extdisco}'/>`));
    const services = parseServices(child(res, 'services')!);
    expect(services.find((s) => s.type === 'stun')).toMatchObject({ host: '127.0.0.1', port: stunPort, transport: 'udp' });
    const turn = services.filter((s) => s.type === 'turn');
    expect(turn.map((s) => s.transport).sort()).toEqual(['tcp', 'udp']);
    const t = turn[0]!;
    const [expiry, user] = t.username!.split(':');
    expect(user).toBe('alice@localhost');
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(86_000);
    expect(t.password).toBe(createHmac('sha1', TURN_SECRET).update(t.username!).digest('base64'));
    expect(Date.parse(t.expires!) / 1000).toBe(Number(expiry));
    expect(t.restricted).toBe(true);
    const out = await promisify(execFile)('turnutils_uclient',
      ['-p', String(coturn.port), '-u', t.username!, '-w', t.password!, '-y', '-n', '3', '-m', '1', '127.0.0.1'], { timeout: 20_000 });
    // The allocation succeeded (a refused one says "Cannot complete Allocation" and exits non-zero).
    expect(out.stdout + out.stderr).toMatch(/Total lost packets/);
    expect(out.stdout + out.stderr).not.toMatch(/Cannot complete Allocation/);
  });

  it('answers credentials queries for one service, and limits how often', async () => {
    const res = await alice.iq(get(`<credentials xmlns='${NS.extdisco}'><service type='turn' host='127.0.0.1'/></credentials>`));
    expect(parseServices(child(res, 'credentials')!)).toHaveLength(1);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => alice.iq(get(`<services xmlns='${NS.extdisco}'/>`))));
    expect(answers.map((a) => errorOf(a).condition).filter(Boolean)).toContain('resource-constraint');
    expect(comp.logs.some((l) => l.condition === 'resource-constraint')).toBe(true);
  });

  it('runs a STUN server a real STUN client gets its address from', async () => {
    const out = await promisify(execFile)('turnutils_stunclient', ['-p', String(stunPort), '127.0.0.1'], { timeout: 10_000 });
    expect(out.stdout).toMatch(/UDP reflexive addr: 127\.0\.0\.1:\d+/);
  });

  it('translates SDP to Jingle and back, and names the bad line', async () => {
    const fingerprint = `a=fingerprint:sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase()).join(':')}\r\na=setup:actpass\r\n`;
    const sdp = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n${fingerprint}`;
    const res = await alice.iq(get(`<translate xmlns='${NS.translate}' role='initiator' sid='abc'><sdp>${sdp}</sdp></translate>`));
    const jingle = child(child(res, 'translate')!, 'jingle')!;
    expect(jingle.attrs).toMatchObject({ action: 'session-initiate', sid: 'abc' });
    const back = await alice.iq(get(`<translate xmlns='${NS.translate}' role='initiator'>${jingle.toString()}</translate>`));
    expect(child(child(back, 'translate')!, 'sdp')!.children.join('')).toContain('a=rtpmap:111 opus/48000/2');
    const bad = await alice.iq(get(`<translate xmlns='${NS.translate}' role='initiator'><sdp>${sdp.replace('opus/48000/2', 'opus')}</sdp></translate>`));
    expect(errorOf(bad)).toMatchObject({ condition: 'bad-request', text: expect.stringContaining('line 8') });
    expect(errorOf(bad).app?.attrs).toMatchObject({ condition: 'malformed', line: '8' });
    // Jingle with no DTLS fingerprint never becomes an SDP: the translator names the security-error.
    const plain = jingle.toString().replace(/<fingerprint[^>]*>[^<]*<\/fingerprint>/g, '');
    const insecure = await alice.iq(get(`<translate xmlns='${NS.translate}' role='initiator'>${plain}</translate>`));
    expect(errorOf(insecure).app?.attrs).toMatchObject({ condition: 'security-error' });
  });

  it('answers what it does not know with service-unavailable, and ping with a result', async () => {
    expect(errorOf(await alice.iq(get(`<query xmlns='jabber:iq:version'/>`))).condition).toBe('service-unavailable');
    expect((await alice.iq(get(`<ping xmlns='urn:xmpp:ping'/>`))).attrs.type).toBe('result');
  });

  it('serves health and metrics over HTTP', async () => {
    const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).toMatch(/jingle_gateway_stanzas_in_total\{kind="iq"\} \d+/);
    expect(metrics).toMatch(/jingle_gateway_errors_total\{condition="service-unavailable"\} \d+/);
  });

  it('refuses external services to users of hosts it does not serve', async () => {
    const strict = await runComponent([
      '--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', 'strict.localhost', '--secret', 'strict-secret',
      '--hosts', 'example.org', '--stun-port', '0',
    ]);
    const res = await alice.iq(get(`<services xmlns='${NS.extdisco}'/>`, 'strict.localhost'));
    expect(errorOf(res).condition).toBe('forbidden');
    await strict.stop();
  });

  it('stops at start-up when the server refuses its secret, saying which option to fix', async () => {
    const wrong = await runComponent([
      '--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', 'not-the-secret', '--stun-port', '0',
    ], false);
    const refused = await wrong.ready.then(() => undefined, (e: Error) => e);
    expect(refused?.name).toBe('HandshakeRefused');
    await wrong.stop();
  });

  it('comes back after the server restarts, and serves again', async () => {
    await prosody.restart();
    await expect.poll(async () => (await fetch(`http://127.0.0.1:${httpPort}/health`)).status, { timeout: 20_000, interval: 250 }).toBe(200);
    const bob = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: 'bob', password: 'bobpw' });
    expect((await bob.iq(get(`<ping xmlns='urn:xmpp:ping'/>`))).attrs.type).toBe('result');
    await bob.stop();
    expect(comp.logs.some((l) => l.msg === 'lost the connection to the server')).toBe(true);
  });
});
