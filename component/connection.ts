/**
 * The XEP-0114 connection to the server. xmpp.js reconnects after a fixed second and not at all when
 * the first connect fails; here every loss, and a refused start, is retried with exponential backoff.
 * The services keep their state across reconnects: only the socket is replaced.
 */
import { component, type Component } from '@xmpp/component';
import type { Element } from 'ltx';
import { Backoff } from './backoff.ts';
import type { Logger } from './logger.ts';

export interface ConnectionOptions {
  service: string;
  domain: string;
  secret: string;
  log: Logger;
  backoff?: { initialMs: number; maxMs: number };
}

export interface Connection {
  readonly xmpp: Component;
  /** Resolves once online the first time; keeps retrying until stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
  send(el: Element): Promise<void>;
  readonly online: boolean;
  /** Called each time the stream comes (back) online. */
  onOnline(listener: () => void): void;
}

export function createConnection(opts: ConnectionOptions): Connection {
  const xmpp = component({ service: opts.service, domain: opts.domain, password: opts.secret });
  xmpp.reconnect.stop(); // ours below, with backoff
  const backoff = new Backoff(opts.backoff ?? { initialMs: 500, maxMs: 30_000 });
  const listeners: (() => void)[] = [];
  let stopping = false;
  let online = false;
  let timer: NodeJS.Timeout | undefined;
  let firstOnline: (() => void) | undefined;

  xmpp.on('error', (err) => opts.log.warn({ err: err.message }, 'xmpp connection error'));
  xmpp.on('online', () => {
    online = true;
    backoff.reset();
    opts.log.info({ domain: opts.domain, service: opts.service }, 'connected to the server');
    firstOnline?.();
    firstOnline = undefined;
    for (const l of listeners) l();
  });
  xmpp.on('disconnect', ({ clean }) => {
    const wasOnline = online;
    online = false;
    if (stopping) return;
    if (wasOnline) opts.log.warn({ clean }, 'lost the connection to the server');
    schedule();
  });

  /** At most one attempt is ever pending; a failure and the 'disconnect' it causes schedule once. */
  let pending = false;
  function schedule(): void {
    if (stopping || online || pending) return;
    pending = true;
    const delay = backoff.next();
    opts.log.info({ delayMs: delay, attempt: backoff.attempts }, 'reconnecting');
    timer = setTimeout(() => {
      pending = false;
      void attempt();
    }, delay);
  }

  async function attempt(): Promise<void> {
    if (stopping) return;
    try {
      // start() only works from 'offline'; after a failure the entity is 'disconnect' and reconnects.
      if (xmpp.status === 'offline') await xmpp.start();
      else await xmpp.reconnect.reconnect();
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'could not connect to the server');
      schedule();
    }
  }

  return {
    xmpp,
    get online() {
      return online;
    },
    onOnline: (l) => void listeners.push(l),
    start: () =>
      new Promise<void>((resolve) => {
        firstOnline = resolve;
        void attempt();
      }),
    async stop() {
      stopping = true;
      clearTimeout(timer);
      try {
        await xmpp.stop();
      } catch (err) {
        opts.log.debug({ err: (err as Error).message }, 'while closing the stream');
      }
    },
    send: (el) => xmpp.send(el),
  };
}
