// The echo service with a fake ServiceContext (stanzas recorded, a settable clock, our iq requests
// answered by a function the test chooses) and fake echo peers: no network, no WebRTC.
import { Writable } from 'node:stream';
import type { Element } from 'ltx';
import { NS, parseXml, sdpToJingle, type CandidateInit } from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { loadConfig } from '../../component/config.ts';
import { createLogger } from '../../component/logger.ts';
import { Metrics } from '../../component/metrics.ts';
import { Router } from '../../component/router.ts';
import type { ServiceContext } from '../../component/service.ts';
import { Disco } from '../../component/services/disco.ts';
import { EchoService } from '../../component/services/echo.ts';
import type { EchoPeer, EchoPeerOptions } from '../../component/services/echo-peer.ts';

export const ECHO = 'echo@jingle.example.com';
export const ECHO_FULL = `${ECHO}/echo`;
export const ALICE = 'alice@example.com/phone';

const media = (kind: string, mid: string, pt: string, setup: string): string[] => [
  `m=${kind} 9 UDP/TLS/RTP/SAVPF ${pt.split(' ')[0]}`, 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:Fr4g', 'a=ice-pwd:pa55w0rdpa55w0rdpa55w0',
  'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
  `a=setup:${setup}`, `a=mid:${mid}`, 'a=sendrecv', 'a=rtcp-mux', `a=rtpmap:${pt}`,
];
const sdp = (setup: string): string => [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
  ...media('audio', '0', '111 opus/48000/2', setup), ...media('video', '1', '96 VP8/90000', setup), '',
].join('\r\n');
export const OFFER = sdp('actpass');
export const ANSWER = sdp('active');
export const CANDIDATE = (port: number): CandidateInit => ({ candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host`, sdpMid: '0' });

export class FakePeer implements EchoPeer {
  readonly echoed = { packets: 0, bytes: 0, messages: 0 };
  readonly offers: string[] = [];
  readonly candidates: CandidateInit[] = [];
  closed = false;
  constructor(readonly options: EchoPeerOptions, private readonly fail?: Error) {}
  async answer(offer: string): Promise<string> {
    this.offers.push(offer);
    if (this.fail) throw this.fail;
    this.options.onCandidate(CANDIDATE(40000)); // gathered while answering: waits for the session-accept
    return ANSWER;
  }
  async addCandidate(c: CandidateInit): Promise<void> { this.candidates.push(c); }
  async close(): Promise<void> { this.closed = true; }
}

export interface Harness {
  service: EchoService;
  ctx: ServiceContext;
  peers: FakePeer[];
  /** Stanzas sent with ctx.send, and iqs sent with ctx.request. */
  sent: Element[];
  requests: Element[];
  logs: Record<string, unknown>[];
  /** How our iq requests are answered; default: an empty result. */
  answer: (iq: Element) => Promise<Element>;
  clock: { now: number };
  /** Passes a stanza (XML text) from `from` through the router; returns the reply, if any. */
  handle(xml: string): Promise<Element | undefined>;
  /** Sends a Jingle iq-set from `from` to echo@ and returns the reply. */
  jingle(from: string, action: string, sid: string, inner?: string, to?: string): Promise<Element>;
  /** A session-initiate with OFFER (or `jingle`, a <jingle> of the test's own) to `to` (default ECHO_FULL). */
  initiate(from: string, sid: string, options?: { to?: string; jingle?: Element }): Promise<Element>;
  /** Lets the asynchronous answer and sends run. */
  settle(): Promise<void>;
}

export function startEcho(argv: string[] = [], options: { failAnswer?: Error } = {}): Harness {
  const config = loadConfig({
    argv: ['--service', 'xmpp://127.0.0.1:5347', '--domain', 'jingle.example.com', '--secret', 's', '--stun-port', '0', ...argv],
    env: {}, readFile: () => '{}',
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(JSON.parse(String(chunk)) as Record<string, unknown>); done(); } });
  const clock = { now: 1_700_000_000_000 };
  const h = { sent: [], requests: [], logs, clock, peers: [] } as unknown as Harness;
  h.answer = async (iq) => el('iq', { type: 'result', id: iq.attrs.id as string, from: iq.attrs.to as string });
  h.ctx = {
    config, log: createLogger('debug', sink), metrics: new Metrics(), disco: new Disco(),
    send: async (e) => void h.sent.push(e),
    request: (iq) => { h.requests.push(iq); return h.answer(iq); },
    now: () => clock.now,
  };
  h.service = new EchoService(h.ctx, {
    createPeer: (o) => { const p = new FakePeer(o, options.failAnswer); h.peers.push(p); return p; },
    tickMs: 3_600_000,
  });
  const router = new Router(h.ctx.log);
  h.ctx.disco.register(router);
  h.service.register(router);
  h.handle = async (xml) => (await router.handle(parseXml(xml))).reply;
  h.settle = async () => { for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r)); };
  h.jingle = async (from, action, sid, inner = '', to = ECHO_FULL) => {
    const reply = await h.handle(`<iq type='set' id='j${h.requests.length}' from='${from}' to='${to}'><jingle xmlns='${NS.jingle}' action='${action}' sid='${sid}'>${inner}</jingle></iq>`);
    if (!reply) throw new Error('no reply');
    return reply;
  };
  h.initiate = async (from, sid, { to = ECHO_FULL, jingle } = {}) => {
    const j = jingle ?? sdpToJingle(OFFER, { role: 'initiator', sid, initiator: from });
    return (await h.handle(`<iq type='set' id='i-${sid}' from='${from}' to='${to}'>${j.toString()}</iq>`))!;
  };
  return h;
}

/** The <jingle> of an iq, the stanza error condition of an error reply, and its Jingle condition. */
export const jingleOf = (iq: Element | undefined): Element | undefined => iq?.getChild('jingle', NS.jingle);
export function errorOf(iq: Element): { type?: string; condition?: string; jingle?: string } {
  const e = iq.getChild('error');
  const kids = (e?.children ?? []).filter((c): c is Element => typeof c === 'object');
  return {
    type: e?.attrs.type as string | undefined,
    condition: kids.find((c) => c.attrs.xmlns === NS.stanzas && c.name !== 'text')?.name,
    jingle: kids.find((c) => c.attrs.xmlns === NS.jingleErrors)?.name,
  };
}
