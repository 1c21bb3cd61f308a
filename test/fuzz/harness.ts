// The component in-process for fuzzing, wired as component/main.ts wires it (disco, ping, extdisco,
// translate, echo on one Router with the configured limits), with a fake ServiceContext that records
// what the services send, a settable clock, and the fake echo peers of test/unit/echo-fixture.ts.
// Two target sessions of OWNER are set up first: one active, one pending (its peer never answers).
import { Writable } from 'node:stream';
import type { Element } from 'ltx';
import { el } from '../../schemas/xml.ts';
import { loadConfig } from '../../component/config.ts';
import { IqError } from '../../component/iq-caller.ts';
import { createLogger } from '../../component/logger.ts';
import { Metrics } from '../../component/metrics.ts';
import { Router } from '../../component/router.ts';
import type { Service, ServiceContext } from '../../component/service.ts';
import { Disco } from '../../component/services/disco.ts';
import { EchoService } from '../../component/services/echo.ts';
import { ExternalServices } from '../../component/services/extdisco.ts';
import { TranslateService } from '../../component/services/translate.ts';
import { SessionTable, sessionKey, type SessionView } from '../../component/sessions/index.ts';
import type { EchoPeerOptions } from '../../component/services/echo-peer.ts';
import { FakePeer } from '../unit/echo-fixture.ts';
import { translatorLimits } from '../../component/translate-limits.ts';
import { DOMAIN, ECHO_FULL, HOSTS, OFFERS, OWNER, TARGET_SIDS, TURN_HOST } from './stanzas.ts';
import { sdpToJingle } from '../../schemas/index.ts';

/** A fake peer whose answer never comes: its session stays pending. */
class SilentPeer extends FakePeer {
  override answer(offer: string): Promise<string> {
    this.offers.push(offer);
    return new Promise<string>(() => undefined);
  }
}

export interface FuzzComponent {
  router: Router;
  echo: EchoService;
  ctx: ServiceContext;
  clock: { now: number };
  /** Everything the services sent (ctx.send and ctx.request), in order. */
  sent: Element[];
  /** Log lines at error level or above: a handler failed. */
  failures: string[];
  /** Log lines at warn level. */
  warnings: number;
  peers: FakePeer[];
  /** The echo service's session table (read only). */
  table: SessionTable;
  /** The table's view of `peer`'s session with the echo peer, if there is one. */
  session(peer: string, sid: string): SessionView | undefined;
  /** Passes one stanza through the router, as main.ts's onStanza does. */
  handle(stanza: Element): Promise<{ reply?: Element; passed?: true }>;
  /** Lets the echo's asynchronous work (answers, sends) run. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const BASE_ARGV = [
  '--service', 'xmpp://127.0.0.1:5347', '--domain', DOMAIN, '--secret', 'fuzz', '--hosts', HOSTS.join(','),
  '--turn-secret', 'fuzz-turn-secret', '--turn-host', TURN_HOST, '--stun-port', '3478', '--echo-max-per-user', '3',
];

/**
 * The echo service keeps its SessionTable private: the first `receive` after construction tells us which
 * instance it is (the hook is removed at once).
 */
function captureTable(run: () => Promise<unknown>): Promise<SessionTable> {
  const original = Object.getOwnPropertyDescriptor(SessionTable.prototype, 'receive')!;
  let table: SessionTable | undefined;
  const receive = original.value as SessionTable['receive'];
  SessionTable.prototype.receive = function (this: SessionTable, ...args: Parameters<SessionTable['receive']>) {
    table ??= this;
    return receive.apply(this, args);
  };
  return run().finally(() => Object.defineProperty(SessionTable.prototype, 'receive', original)).then(() => {
    if (!table) throw new Error('the echo service never consulted its session table');
    return table;
  });
}

export async function startFuzzComponent(argv: readonly string[] = []): Promise<FuzzComponent> {
  const config = loadConfig({ argv: [...BASE_ARGV, ...argv], env: {}, readFile: () => '{}' });
  const h = { sent: [], failures: [], warnings: 0, peers: [], clock: { now: 1_700_000_000_000 } } as unknown as FuzzComponent;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString('utf8');
      if (/"level":(50|60)/.test(line)) h.failures.push(line.slice(0, 2000));
      else if (line.includes('"level":40')) h.warnings++;
      done();
    },
  });
  const log = createLogger('warn', sink);
  const disco = new Disco();
  h.ctx = {
    config, log, metrics: new Metrics(), disco,
    send: async (e) => void h.sent.push(e),
    // Bob's client refuses what the echo peer sends it; everyone else acknowledges.
    request: async (iq) => {
      h.sent.push(iq);
      const to = String(iq.attrs.to);
      const reply = el('iq', { type: to.startsWith('bob@') ? 'error' : 'result', id: String(iq.attrs.id), from: to, to: String(iq.attrs.from) });
      if (reply.attrs.type === 'error') throw new IqError(reply);
      return reply;
    },
    now: () => h.clock.now,
  };
  const createPeer = (o: EchoPeerOptions): FakePeer => {
    const silent = h.peers.length === 1 || h.peers.length % 4 === 3;
    const p = silent ? new SilentPeer(o) : new FakePeer(o);
    h.peers.push(p);
    return p;
  };
  h.echo = new EchoService(h.ctx, { createPeer, tickMs: 3_600_000 });
  const services: Service[] = [new ExternalServices(config, h.ctx.now), new TranslateService(translatorLimits(config), config.hosts), h.echo];
  disco.add(config.domain, {
    identities: [{ category: 'component', type: 'generic', name: 'Jingle Gateway' }],
    features: ['http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', 'urn:xmpp:ping', ...services.flatMap((s) => s.features)],
    items: [{ jid: `echo@${config.domain}`, name: 'Echo test call' }],
  });
  h.router = new Router(log, { maxStanzaBytes: config['max-stanza-bytes'], stanzasPerMinute: config['stanzas-per-minute'] }, h.ctx.now);
  disco.register(h.router);
  h.router.iq('get', 'urn:xmpp:ping', 'ping', () => true);
  for (const s of services) s.register(h.router);
  h.handle = (stanza) => h.router.handle(stanza);
  h.settle = async () => { for (let i = 0; i < 6; i++) await new Promise((r) => setImmediate(r)); };
  h.session = (peer, sid) => h.table.get(sessionKey(ECHO_FULL, peer, sid));
  h.close = async () => { await h.echo.close(); };

  h.table = await captureTable(async () => {
    for (const sid of TARGET_SIDS) {
      const jingle = sdpToJingle(OFFERS[0]!, { role: 'initiator', sid, initiator: OWNER });
      const { reply } = await h.handle(el('iq', { type: 'set', id: `setup-${sid}`, from: OWNER, to: ECHO_FULL }, [jingle]));
      if (reply?.attrs.type !== 'result') throw new Error(`could not set up the target session ${sid}: ${String(reply)}`);
    }
    await h.settle();
  });
  const states = TARGET_SIDS.map((sid) => h.session(OWNER, sid)?.state);
  if (states.join() !== 'active,pending') throw new Error(`the target sessions are ${states.join()}, not active,pending`);
  return h;
}
