// Issue 12 item 2: "one 15-byte datagram ends any echo call". werift takes a DTLS alert from any
// source address as close_notify; the echo peer now drops non-STUN datagrams that do not come from the
// caller's selected address before they reach DTLS. And a call whose media stops is ended by the
// watchdog instead of holding a slot for echo-max-seconds. Real Prosody, real werift on both sides.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { echoCaller, type EchoCall } from '../harness/echo-caller.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const ECHO = `echo@${DOMAIN}`;
/** A DTLS 1.2 alert record, epoch 0, plaintext: fatal handshake_failure. 13 bytes of header + 2. */
const ALERT = Buffer.from([0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40]);
const CLOSE_NOTIFY = Buffer.from([0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0]);

let prosody: ProsodyServer;
let comp: TestComponentProcess;
let alice: TestClient;
const caller = echoCaller(ECHO);

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: 'alicepw' }, components: { [DOMAIN]: 'secret' } });
  comp = await runComponent(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', 'secret',
    '--hosts', 'localhost', '--stun-port', '0', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8', '--echo-idle-seconds', '5']);
  alice = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: 'alice', password: 'alicepw' });
  caller.serveJingle(alice);
}, 120_000);

afterAll(async () => {
  for (const c of caller.calls.values()) await c.stop();
  await alice?.stop();
  await comp?.stop();
  await prosody?.stop();
});

/** The echo peer's address and port, as the caller's ICE selected it. */
function echoAddress(c: EchoCall): { host: string; port: number } {
  const nominated = (c.pc.iceTransports[0]?.connection as unknown as { nominated?: { remoteCandidate: { host: string; port: number } } }).nominated;
  if (!nominated) throw new Error('the caller has no selected pair');
  return nominated.remoteCandidate;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a stranger\'s datagrams and a dead caller', () => {
  it('a DTLS alert (and a close_notify) from another socket does not end the call: packets are still echoed', async () => {
    const c = await caller.call(alice, 'alert');
    await expect.poll(() => c.got.audio, { timeout: 10_000 }).toBeGreaterThan(20);
    const { host, port } = echoAddress(c);
    const stranger = createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
    for (const datagram of [ALERT, CLOSE_NOTIFY, ALERT]) {
      await new Promise<void>((resolve, reject) => stranger.send(datagram, port, host, (err) => (err ? reject(err) : resolve())));
    }
    stranger.close();
    await sleep(1000);
    const before = c.got.audio;
    await sleep(1500);
    // 20 ms packets: 75 in 1.5 s; well over half must have come back.
    expect(c.got.audio - before).toBeGreaterThan(40);
    expect(c.actions).not.toContain('session-terminate');
    expect(comp.logs.some((l) => l.msg === 'echo: dropped a datagram that did not come from the caller')).toBe(true);
    await caller.hangUp(alice, c);
  });

  it('a caller that stops sending is ended by the watchdog with media-error, well before echo-max-seconds', async () => {
    const c = await caller.call(alice, 'silent');
    await expect.poll(() => c.got.audio, { timeout: 10_000 }).toBeGreaterThan(5);
    // The caller stays connected (ICE consent, DTLS) but sends no more media.
    for (const t of c.pc.getTransceivers()) {
      const track = t.sender.track as unknown as { writeRtp: (...a: unknown[]) => void } | undefined;
      if (track) track.writeRtp = () => undefined;
    }
    const stopped = Date.now();
    // echo-idle-seconds 5, and the echo service looks every 5 s.
    await expect.poll(() => c.actions, { timeout: 15_000, interval: 200 }).toContain('session-terminate');
    expect(Date.now() - stopped).toBeLessThan(12_000);
    const ended = comp.logs.find((l) => l.msg === 'echo call ended' && l.sid === c.sid);
    expect(ended?.reason).toBe('media-error');
    await c.stop();
  });
});
