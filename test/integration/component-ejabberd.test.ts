// The same component beside ejabberd 23.01 (an ejabberd_service listener): it connects, and a user
// logged in over WebSocket reaches its services through ejabberd's routing.
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, parseServices, parseXml } from '../../schemas/index.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { startEjabberd, type EjabberdServer } from '../harness/ejabberd.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
let ejabberd: EjabberdServer;
let comp: TestComponentProcess;
let alice: TestClient;

const child = (el: Element, name: string): Element | undefined =>
  el.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === name);

beforeAll(async () => {
  ejabberd = await startEjabberd({ users: { alice: 'alicepw' }, components: { [DOMAIN]: 'ejabberd-secret' } });
  comp = await runComponent([
    '--service', `xmpp://127.0.0.1:${ejabberd.componentPort}`, '--domain', DOMAIN, '--secret', 'ejabberd-secret',
    '--hosts', 'localhost', '--turn-secret', 'turn-secret-for-tests', '--turn-host', '127.0.0.1', '--stun-port', '0',
  ]);
  alice = await connectClient({ service: ejabberd.websocketUrl, domain: 'localhost', username: 'alice', password: 'alicepw' });
}, 90_000);

afterAll(async () => {
  await alice?.stop();
  await comp?.stop();
  await ejabberd?.stop();
});

describe('the component beside ejabberd', () => {
  it('answers disco#info, external services with credentials, and translate', async () => {
    const info = await alice.iq(parseXml(`<iq type='get' to='${DOMAIN}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`));
    expect(info.attrs.type).toBe('result');
    const services = await alice.iq(parseXml(`<iq type='get' to='${DOMAIN}'><services xmlns='${NS.extdisco}'/></iq>`));
    const turn = parseServices(child(services, 'services')!).filter((s) => s.type === 'turn');
    expect(turn[0]?.username).toMatch(/^\d+:alice@localhost$/);
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\n';
    const res = await alice.iq(parseXml(`<iq type='get' to='${DOMAIN}'><translate xmlns='${NS.translate}' role='responder' action='session-accept' sid='s'><sdp>${sdp}</sdp></translate></iq>`));
    expect(child(child(res, 'translate')!, 'jingle')?.attrs.action).toBe('session-accept');
  });
});
