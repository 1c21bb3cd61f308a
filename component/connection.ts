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
import { guarded } from './guard.ts';
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
   * Connects, retrying with backoff while the server cannot be reached, until online. Rejects, and
   * stops, if before that the server refuses the handshake (HandshakeRefused: a wrong secret or
   * domain is a configuration error, not something to retry) or opens the stream and then closes it
   * without an answer (ClosedBeforeReady: not a component port, or one that will not have us), and
   * after 3 attempts in a row whose stream was opened but the handshake never answered.
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

export class ClosedBeforeReady extends Error {
  override readonly name = 'ClosedBeforeReady';
}

/** Stream error conditions (RFC 6120 4.9.3) with which a server turns a component away for good. */
const REFUSALS = new Set(['not-authorized', 'host-unknown', 'improper-addressing', 'invalid-namespace', 'invalid-from', 'policy-violation']);
const UNANSWERED_LIMIT = 3;

/** How one attempt ended, gathered from the entity's events whatever order they come in. */
interface AttemptState {
  /** The server's stream header arrived. */
  opened: boolean;
  /** A stream error or handshake failure that means "not you"; a later socket error does not erase it. */
  refusal?: string;
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
  let current: AttemptState = { opened: false };
  /** Settles start(): set while it waits for the first online. */
  let starting: { resolve(): void; reject(err: Error): void } | undefined;
  let unanswered = 0;
  /** The stanzas waiting for this turn's write, and the promise of that write. */
  let batch: { elements: Element[]; sent: Promise<void> } | undefined;

  entity.on('open', (el: Element) => {
    current.opened = true;
    entity.authenticate(el.attrs.id as string, opts.secret).catch((err: Error) => entity.emit('error', err));
  });
  entity.on('error', (err) => {
    const condition = (err as { condition?: unknown }).condition;
    lastError = err.message || (typeof condition === 'string' ? condition : '') || String(err);
    if (typeof condition === 'string' && REFUSALS.has(condition)) current.refusal ??= lastError;
    opts.log.warn({ err: lastError }, 'xmpp connection error');
  });
  entity.on('online', () => {
    online = true;
    everOnline = true;
    backoff.reset();
    opts.log.info({ domain: opts.domain, service: opts.service }, 'connected to the server');
    starting?.resolve();
    starting = undefined;
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
    timer = setTimeout(guarded(opts.log, 'reconnect timer', () => {
      pending = false;
      attempt().catch((err: Error) => {
        if (!fatal(err)) schedule();
      });
    }), delay);
  }

  /**
   * Before the first online, some failures end start-up instead of being retried: returns true
   * after rejecting start() with the named error. Afterwards nothing is fatal: the server knew us.
   */
  function fatal(err: Error): boolean {
    if (everOnline || !starting) return false;
    const ended = failure(err);
    if (!ended) return false;
    stopping = true;
    clearTimeout(timer);
    void entity.disconnect().catch(() => undefined);
    starting.reject(ended);
    starting = undefined;
    return true;
  }

  function failure(err: Error): Error | undefined {
    const { opened, refusal } = (err as { attempt?: AttemptState }).attempt ?? { opened: false };
    if (refusal) return new HandshakeRefused(refusal);
    if (!opened) return undefined;
    if ((err as { timedOut?: boolean }).timedOut) {
      return ++unanswered >= UNANSWERED_LIMIT ? new ClosedBeforeReady(`the server opened the stream but did not answer the handshake, ${unanswered} times`) : undefined;
    }
    return new ClosedBeforeReady(`the server closed the connection after opening the stream, without answering the handshake${lastError ? ` (${lastError})` : ''}`);
  }

  /** One connect + stream open + handshake; resolves online, rejects otherwise. */
  async function attempt(): Promise<void> {
    if (stopping) return;
    const timeoutMs = opts.attemptTimeoutMs ?? 10_000;
    const state: AttemptState = { opened: false };
    current = state;
    lastError = '';
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(t);
        entity.off('online', onOnline);
        entity.off('disconnect', onDown);
        if (err) reject(Object.assign(err, { attempt: state }));
        else resolve();
      };
      const onOnline = () => done();
      // The refusal may come after the close (a reset), or be followed by a socket error: wait a turn.
      const onDown = () => setImmediate(() => done(new Error(state.refusal ?? (lastError || 'disconnected'))));
      const t = setTimeout(() => {
        done(Object.assign(new Error(`no handshake within ${timeoutMs} ms`), { timedOut: true }));
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
    // A listener that throws would throw into xmpp.js's socket handlers, and out of the process.
    onOnline: (l) => void onlineListeners.push(guarded(opts.log, 'online listener', l)),
    onOffline: (l) => void offlineListeners.push(guarded(opts.log, 'offline listener', l)),
    onStanza: (l) => void entity.on('stanza', guarded(opts.log, 'stanza listener', l)),
    start() {
      const started = new Promise<void>((resolve, reject) => {
        starting = { resolve, reject };
      });
      attempt().catch((err: Error) => {
        if (fatal(err)) return;
        opts.log.warn({ err: err.message }, 'could not connect to the server, will retry');
        schedule();
      });
      return started;
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
    send,
  };

  /**
   * Stanzas sent in one turn of the event loop leave in one socket write (xmpp.js's sendMany): under
   * load a write per stanza (a write request, a syscall and a callback each) cost more than building
   * the stanza. They leave in the order send() was called; each send settles with its batch.
   */
  function send(el: Element): Promise<void> {
    if (!batch) {
      const mine: Element[] = [];
      batch = {
        elements: mine,
        sent: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          batch = undefined;
          return (entity as unknown as { sendMany(els: Element[]): Promise<void> }).sendMany(mine);
        }),
      };
    }
    batch.elements.push(el);
    return batch.sent;
  }
}
