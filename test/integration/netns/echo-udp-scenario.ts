// Issue 12 item 1, the attack itself: a user of a served domain calls echo@ with candidates that point
// at UDP sockets the test owns, in the session-initiate and in transport-infos, through real Prosody
// to the component's real werift echo peer. Returns how many datagrams each target socket received.
// Used directly by test/integration/abuse-echo-udp.test.ts (loopback targets), and as a script inside
// a network namespace (private and public-looking targets: `node --import tsx THIS JSON-ARGS`).
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { NS, candidatesToTransportInfo, sdpToJingle, type CandidateInit } from '../../../schemas/index.ts';
import { el } from '../../../schemas/xml.ts';
import { runComponent } from '../../harness/component.ts';
import { startProsody } from '../../harness/prosody.ts';
import { connectClient } from '../../harness/xmpp.ts';

export interface ScenarioOptions {
  /** Addresses to aim at; `perAddress` sockets on each. */
  targets: string[];
  perAddress: number;
  /** How many of the candidates go in the session-initiate; the rest trickle in one transport-info. */
  inOffer: number;
  /** Extra component flags, e.g. ['--echo-allow-networks', '198.51.100.0/24']. */
  flags: string[];
  /** How long to listen after the last candidate was sent. */
  listenMs: number;
}

export interface ScenarioResult {
  /** Datagrams per target socket, as `address:port` -> count. */
  received: Record<string, number>;
  /** The component's log messages about candidates. */
  logs: string[];
  accepted: boolean;
}

const ACK = true as unknown as Element;
const OFFER = readFileSync(new URL('../../../../shared/fixtures/sdp/chromium-audio-offer.sdp', import.meta.url), 'utf8')
  .split(/\r?\n/).filter((l) => !l.startsWith('a=candidate:')).join('\r\n');

async function bindSocket(address: string): Promise<Socket> {
  const s = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, address, () => resolve());
  });
  return s;
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const received: Record<string, number> = {};
  const sockets: Socket[] = [];
  const candidates: CandidateInit[] = [];
  for (const address of o.targets) {
    for (let i = 0; i < o.perAddress; i++) {
      const s = await bindSocket(address);
      const key = `${address}:${s.address().port}`;
      received[key] = 0;
      s.on('message', () => void (received[key] = (received[key] ?? 0) + 1));
      sockets.push(s);
      candidates.push({ candidate: `candidate:${candidates.length + 1} 1 udp ${2122260223 - candidates.length} ${address} ${s.address().port} typ host generation 0`, sdpMid: '0' });
    }
  }
  const prosody = await startProsody({ users: { mallory: 'mallorypw' }, components: { 'jingle.localhost': 'secret' } });
  const comp = await runComponent(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', 'jingle.localhost', '--secret', 'secret',
    '--hosts', 'localhost', '--stun-port', '0', '--echo-bind', '127.0.0.1', ...o.flags]);
  const mallory = await connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: 'mallory', password: 'mallorypw' });
  let accepted = false;
  mallory.xmpp.iqCallee.set(NS.jingle, 'jingle', ({ element }) => {
    if (element.attrs.action === 'session-accept') accepted = true;
    return ACK;
  });
  try {
    const sid = `udp-${Date.now()}`;
    const offerLines = OFFER.replace(/\r\n$/, '').split('\r\n');
    const mid = offerLines.findIndex((l) => l === 'a=mid:0');
    offerLines.splice(mid + 1, 0, ...candidates.slice(0, o.inOffer).map((c) => `a=${c.candidate}`));
    const initiate = sdpToJingle(`${offerLines.join('\r\n')}\r\n`, { role: 'initiator', sid, initiator: mallory.jid });
    const res = await mallory.iq(el('iq', { type: 'set', to: 'echo@jingle.localhost/echo' }, [initiate]));
    if (res.attrs.type !== 'result') throw new Error(`session-initiate refused: ${res.toString()}`);
    const rest = candidates.slice(o.inOffer);
    // Trickled in transport-infos of 200 candidates (the default max-list-length is 1024).
    for (let i = 0; i < rest.length; i += 200) {
      const info = candidatesToTransportInfo(rest.slice(i, i + 200), { sid, creator: 'initiator' });
      const r = await mallory.iq(el('iq', { type: 'set', to: 'echo@jingle.localhost/echo' }, [info]));
      if (r.attrs.type !== 'result') throw new Error(`transport-info refused: ${r.toString()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, o.listenMs));
    const logs = comp.logs.map((l) => l.msg).filter((m) => /candidate/.test(m));
    return { received: { ...received }, logs, accepted };
  } finally {
    for (const s of sockets) s.close();
    await mallory.stop();
    await comp.stop();
    await prosody.stop();
  }
}

// As a script inside a namespace: options as JSON in argv[2], the result as one JSON line.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/test\//, '/test/'))) {
  const result = await runScenario(JSON.parse(process.argv[2] ?? '{}') as ScenarioOptions);
  console.log(JSON.stringify(result));
  process.exit(0);
}
