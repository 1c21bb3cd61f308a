/**
 * `jingle-gateway component`: read the config, connect to the server, wire the services, and stop
 * cleanly on SIGTERM/SIGINT. Start-up problems (config, ports) end the process with one clear line.
 */
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createConnection } from './connection.ts';
import { IqCaller } from './iq-caller.ts';
import { startHttp } from './http.ts';
import { createLogger, type Logger } from './logger.ts';
import { guarded } from './guard.ts';
import { Metrics } from './metrics.ts';
import { Router } from './router.ts';
import type { Service, ServiceContext } from './service.ts';
import { Disco } from './services/disco.ts';
import { EchoService } from './services/echo.ts';
import { ExternalServices } from './services/extdisco.ts';
import { TranslateService } from './services/translate.ts';
import { startStunServer } from './stun/server.ts';
import { translatorLimits } from './translate-limits.ts';

export interface RunningComponent {
  config: Config;
  metrics: Metrics;
  /**
   * Resolves when first online; until then (and after any loss) it keeps retrying with backoff while
   * the server cannot be reached. Rejects with HandshakeRefused or ClosedBeforeReady (connection.ts)
   * when the server is there but will not have the component.
   */
  ready: Promise<void>;
  /** The STUN and HTTP ports actually bound (useful when configured as 0 in tests). */
  ports: { stun?: number; http?: number };
  stop(): Promise<void>;
}

export async function startComponent(config: Config, log: Logger): Promise<RunningComponent> {
  const metrics = new Metrics();
  const disco = new Disco();
  const conn = createConnection({ service: config.service, domain: config.domain, secret: config.secret, log });
  const iqCaller = new IqCaller((iq) => ctx.send(iq));
  conn.onOffline(() => iqCaller.failAll('lost the connection to the server'));
  const ctx: ServiceContext = {
    config, log, metrics, disco,
    send: async (el) => {
      metrics.inc('stanzas_out_total');
      await conn.send(el);
    },
    request: (iq, timeoutMs) => iqCaller.request(iq, timeoutMs),
    now: Date.now,
  };
  const services: Service[] = [new ExternalServices(config), new TranslateService(translatorLimits(config), config.hosts), new EchoService(ctx)];
  disco.add(config.domain, {
    identities: [{ category: 'component', type: 'generic', name: 'Jingle Gateway' }],
    features: ['http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items', 'urn:xmpp:ping', ...services.flatMap((s) => s.features)],
    items: [{ jid: `echo@${config.domain}`, name: 'Echo test call' }],
  });
  const router = new Router(log, { maxStanzaBytes: config['max-stanza-bytes'], stanzasPerMinute: config['stanzas-per-minute'] });
  disco.register(router);
  // XEP-0199: clients and monitoring check the component is there; also the benchmark's baseline.
  router.iq('get', 'urn:xmpp:ping', 'ping', () => true);
  for (const s of services) s.register(router);

  // The level is fixed for the process: per-stanza debug lines are not even built when it is off.
  const debug = log.isLevelEnabled('debug');
  const answer = ({ reply }: { reply?: Element }): Promise<void> | undefined => {
    if (!reply) return undefined;
    if (reply.attrs.type === 'error') metrics.inc('errors_total', { condition: errorCondition(reply) });
    return ctx.send(reply);
  };
  const failed = (err: Error): void => log.warn({ err: err.message }, 'could not answer a stanza');
  const kinds: Record<string, Record<string, string>> = { iq: { kind: 'iq' }, message: { kind: 'message' }, presence: { kind: 'presence' } };
  conn.onStanza((stanza) => {
    metrics.inc('stanzas_in_total', kinds[stanza.name] ?? { kind: stanza.name });
    if (stanza.name === 'iq' && (stanza.attrs.type === 'result' || stanza.attrs.type === 'error')) {
      if (!iqCaller.handle(stanza) && debug) log.debug({ from: stanza.attrs.from, id: stanza.attrs.id }, 'dropped a response to nothing we asked');
      return;
    }
    // IQs get their line from the router, with what they were and how they ended.
    if (stanza.name !== 'iq' && debug) log.debug({ kind: stanza.name, from: stanza.attrs.from, to: stanza.attrs.to, type: stanza.attrs.type }, 'stanza');
    router.handle(stanza).then(answer).catch(failed);
  });
  conn.onOnline(() => {
    for (const s of services) void Promise.resolve(s.online?.()).catch((err: Error) => log.warn({ err: err.message }, 'online hook failed'));
  });

  const stun = config['stun-port'] > 0
    ? await startStunServer({
      port: config['stun-port'], bind: config['stun-bind'], software: 'jingle-gateway',
      onAnswer: (kind) => metrics.inc('stun_answers_total', kind === 'binding' ? {} : { error: kind }),
      onDrop: (reason) => metrics.inc('stun_dropped_total', { reason: reason.startsWith('send error') ? 'send-error' : reason.startsWith('socket error') ? 'socket-error' : reason }),
      log,
    })
    : undefined;
  if (stun) log.info({ port: stun.port, bind: config['stun-bind'] }, 'STUN server listening');
  const http = config['http-port'] > 0
    ? await startHttp({ port: config['http-port'], bind: config['http-bind'], metrics, online: () => conn.online })
    : undefined;
  if (http) log.info({ port: http.port }, 'HTTP health and metrics listening');

  // One line a minute at info: what passed through, so an operator sees activity without debug logs.
  let lastSummary = '';
  const summary = setInterval(guarded(log, 'summary timer', () => {
    const line = {
      stanzasIn: metrics.sum('stanzas_in_total'), stanzasOut: metrics.sum('stanzas_out_total'), errors: metrics.sum('errors_total'),
      online: conn.online,
    };
    const text = JSON.stringify(line);
    if (text !== lastSummary) log.info(line, 'summary');
    lastSummary = text;
  }), 60_000);
  summary.unref();
  const ready = conn.start();
  return {
    config,
    metrics,
    ready,
    ports: { ...(stun ? { stun: stun.port } : {}), ...(http ? { http: http.port } : {}) },
    async stop() {
      clearInterval(summary);
      for (const s of services) await s.close?.().catch((err: Error) => log.warn({ err: err.message }, 'service close failed'));
      await conn.stop();
      await stun?.close();
      await http?.close();
      log.info('stopped');
    },
  };
}

function errorCondition(reply: Element): string {
  const error = reply.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === 'error');
  const cond = error?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-stanzas' && c.name !== 'text');
  return cond?.name ?? 'unknown';
}

/** The CLI entry: returns the exit code when the component has stopped, or 2 on a bad config. */
export async function componentCommand(argv: readonly string[], stderr: NodeJS.WritableStream): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ argv, env: process.env, readFile: (p) => readFileSync(p, 'utf8') });
  } catch (e) {
    if (e instanceof ConfigError) {
      stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = createLogger(config['log-level']);
  let running: RunningComponent;
  try {
    running = await startComponent(config, log);
  } catch (e) {
    log.fatal({ err: (e as Error).message }, 'could not start');
    stderr.write(`jingle-gateway component: ${(e as Error).message}\n`);
    return 1;
  }
  const refused = await running.ready.then(() => undefined, (e: Error) => e);
  if (refused) {
    await running.stop();
    stderr.write(refused.name === 'HandshakeRefused'
      ? `config: secret: the server refused the component handshake (${refused.message}); check --secret and --domain against the server's Component entry and its secret\n`
      : `config: service: ${refused.message}; check that --service is the server's component port (XEP-0114) and --domain its Component entry\n`);
    return 2;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping');
      void running.stop().finally(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
