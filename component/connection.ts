/**
 * The XEP-0114 connection to the server, on xmpp.js's bare component entity. We do not use the
 * `component()` bundle: its iq callee answers every get/set our own router does not return through it
 * (a second, wrong reply), and its reconnect retries every second forever, and not at all when the
 * first connect fails. Here every loss, and a refused start, is retried with exponential backoff,
 * while the services keep their state: only the socket is replaced.
 */
import componentCore from '@xmpp/component-core';
import type { Element } from 'ltx';
import { Backoff } from './backoff.ts';
import type { Logger } from './logger.ts';

export interface ConnectionOptions {
  service: string;
  domain: string;
  secret: string;
  log: Logger;
  backoff?: { initialMs: number; maxMs: number };
  /** How long one attempt (connect, open, handshake) may take. */
  attemptTimeoutMs?: number;
}

export interface Connection {
  /**
   * Connects, retrying with backoff until online. Rejects only if the very first handshake is refused
   * (a wrong secret or domain is a configuration error, not something to retry).
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  send(el: Element): Promise<void>;
  readonly online: boolean;
  onOnline(listener: () => void): void;
  onOffline(listener: () => void): void;
  onStanza(listener: (el: Element) => void): void;
}

export class HandshakeRefused extends Error {
  override readonly name = 'HandshakeRefused';
}

export function createConnection(opts: ConnectionOptions): Connection {
  const entity = new componentCore.Component({ service: opts.service, domain: opts.domain });
  const backoff = new Backoff(opts.backoff ?? { initialMs: 500, maxMs: 30_000 });
  const onlineListeners: (() => void)[] = [];
  const offlineListeners: (() => void)[] = [];
  let stopping = false;
  let online = false;
  let everOnline = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = '';

  entity.on('open', (el: Element) => {
    entity.authenticate(el.attrs.id as string, opts.secret).catch((err: Error) => entity.emit('error', err));
  });
  entity.on('error', (err) => {
    lastError = err.message || (err as { condition?: string }).condition || String(err);
    opts.log.warn({ err: lastError }, 'xmpp connection error');
  });
  entity.on('online', () => {
    online = true;
    everOnline = true;
    backoff.reset();
    opts.log.info({ domain: opts.domain, service: opts.service }, 'connected to the server');
    for (const l of onlineListeners) l();
  });
  entity.on('disconnect', ({ clean }) => {
    const wasOnline = online;
    online = false;
    if (stopping) return;
    if (wasOnline) {
      opts.log.warn({ clean }, 'lost the connection to the server');
      for (const l of offlineListeners) l();
    }
    schedule();
  });

  /** At most one attempt is ever pending; a failure and the 'disconnect' it causes schedule once. */
  function schedule(): void {
    if (stopping || online || pending) return;
    pending = true;
    const delay = backoff.next();
    opts.log.info({ delayMs: delay, attempt: backoff.attempts }, 'reconnecting');
    timer = setTimeout(() => {
      pending = false;
      void attempt().catch(() => schedule());
    }, delay);
  }

  /** One connect + stream open + handshake; resolves online, rejects otherwise. */
  async function attempt(): Promise<void> {
    if (stopping) return;
    const timeoutMs = opts.attemptTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(t);
        entity.off('online', onOnline);
        entity.off('disconnect', onDown);
        if (err) reject(err);
        else resolve();
      };
      const onOnline = () => done();
      const onDown = () => done(new Error(lastError || 'disconnected'));
      const t = setTimeout(() => {
        done(new Error(`no handshake within ${timeoutMs} ms`));
        void entity.disconnect().catch(() => undefined);
      }, timeoutMs);
      entity.on('online', onOnline);
      entity.on('disconnect', onDown);
      entity
        .connect(opts.service)
        .then(() => entity.open({ domain: opts.domain }))
        .catch((err: Error) => {
          lastError = err.message;
          done(err);
        });
    });
  }

  return {
    get online() {
      return online;
    },
    onOnline: (l) => void onlineListeners.push(l),
    onOffline: (l) => void offlineListeners.push(l),
    onStanza: (l) => void entity.on('stanza', l),
    async start() {
      try {
        await attempt();
      } catch (err) {
        // Refused handshake on the first try: the server is there but does not know us.
        if (/not-authorized|host-unknown|improper-addressing|invalid-namespace/.test(lastError) && !everOnline) {
          stopping = true;
          clearTimeout(timer);
          throw new HandshakeRefused(lastError);
        }
        opts.log.warn({ err: (err as Error).message }, 'could not connect to the server, will retry');
        schedule();
        await new Promise<void>((resolve) => onlineListeners.push(resolve));
      }
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      try {
        if (online) await entity.stop();
        else await entity.disconnect().catch(() => undefined);
      } catch (err) {
        opts.log.debug({ err: (err as Error).message }, 'while closing the stream');
      }
    },
    send: (el) => entity.send(el),
  };
}
