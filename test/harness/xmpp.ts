// Node XMPP endpoints for integration tests: a logged-in @xmpp/client (ws:// or xmpp://) and a bare
// @xmpp/component, each with a small typed API on top (iq round trips, waiting for a stanza, stop).
import type { Element } from 'ltx';
import { client, type Client } from '@xmpp/client';
import { component, xml, type Component, type Entity } from '@xmpp/component';

let idCounter = 0;
const nextId = (): string => `h${process.pid}-${++idCounter}`;

/** Node 20 has no global WebSocket; @xmpp/websocket uses the global one. */
export async function installWebSocket(): Promise<void> {
  if (typeof globalThis.WebSocket === 'function') return;
  const { WebSocket } = await import('ws');
  globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
}

/**
 * Copies an Element into xmpp.js's own ltx class. The ESM `ltx` our schemas import is a different class
 * from the CommonJS one xmpp.js uses, and xmpp.js's iq callee only sends a reply payload that is
 * `instanceof` its class: an ESM ltx Element returned from a handler goes out as an empty result.
 */
export function toXmppElement(el: Element): Element {
  const children = el.children.map((c) => (typeof c === 'string' ? c : toXmppElement(c as Element)));
  return xml(el.name, { ...el.attrs }, ...children);
}

export interface Endpoint<E extends Entity> {
  /** The underlying xmpp.js entity (Client or Component), online. */
  readonly xmpp: E;
  /** The full JID (client) or the domain (component). */
  readonly jid: string;
  /** Errors the entity emitted (stream errors, socket errors during reconnects...), in order. */
  readonly errors: Error[];
  /**
   * Sends an iq (an id is added if missing) and resolves with the response iq, whether type 'result'
   * or 'error', so error paths can be asserted; rejects only on timeout.
   */
  iq(el: Element, timeoutMs?: number): Promise<Element>;
  /** Resolves with the next incoming stanza that matches; rejects after timeoutMs. */
  nextStanza(match: (el: Element) => boolean, timeoutMs?: number): Promise<Element>;
  send(el: Element): Promise<void>;
  /** Stops automatic reconnection, then closes the stream. Safe to call twice. */
  stop(): Promise<void>;
}

function nextStanza(entity: Entity, match: (el: Element) => boolean, timeoutMs: number): Promise<Element> {
  return new Promise((ok, fail) => {
    const onStanza = (el: Element): void => {
      if (!match(el)) return;
      clearTimeout(timer);
      entity.off('stanza', onStanza);
      ok(el);
    };
    const timer = setTimeout(() => {
      entity.off('stanza', onStanza);
      fail(new Error(`no matching stanza within ${timeoutMs} ms`));
    }, timeoutMs);
    entity.on('stanza', onStanza);
  });
}

function wrap<E extends Entity>(entity: E, errors: Error[]): Endpoint<E> {
  let stopped = false;
  return {
    xmpp: entity,
    get jid() { return entity.jid?.toString() ?? ''; },
    errors,
    async iq(el, timeoutMs = 10_000) {
      const id = el.attrs.id ?? nextId();
      el.attrs.id = id;
      const to = el.attrs.to as string | undefined;
      const reply = nextStanza(entity, (s) => s.name === 'iq' && s.attrs.id === id
        && (s.attrs.type === 'result' || s.attrs.type === 'error')
        && (to === undefined || s.attrs.from === to), timeoutMs);
      await entity.send(el);
      return reply;
    },
    nextStanza: (match, timeoutMs = 10_000) => nextStanza(entity, match, timeoutMs),
    send: (el) => entity.send(el),
    async stop() {
      if (stopped) return;
      stopped = true;
      entity.reconnect.stop();
      await entity.stop().catch(() => undefined);
    },
  };
}

async function startEntity<E extends Entity>(entity: E, what: string): Promise<Endpoint<E>> {
  const errors: Error[] = [];
  // Without a listener an 'error' event would throw out of the emitter and crash the test run.
  entity.on('error', (err) => { errors.push(err); });
  try {
    await entity.start();
  } catch (err) {
    entity.reconnect.stop();
    await entity.stop().catch(() => undefined);
    throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
  }
  return wrap(entity, errors);
}

export interface ClientOptions {
  /** ws://127.0.0.1:PORT/xmpp-websocket, ws://127.0.0.1:PORT/ws or xmpp://127.0.0.1:PORT */
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
}

export type TestClient = Endpoint<Client>;

export async function connectClient(options: ClientOptions): Promise<TestClient> {
  if (options.service.startsWith('ws')) await installWebSocket();
  const entity = client({ ...options, resource: options.resource ?? `test-${nextId()}` });
  return startEntity(entity, `client ${options.username}@${options.domain} via ${options.service}`);
}

export interface ComponentOptions {
  /** xmpp://127.0.0.1:PORT */
  service: string;
  domain: string;
  password: string;
}

export type TestComponent = Endpoint<Component>;

/** A bare component: xmpp.js's automatic reconnect (every 1 s after a disconnect) stays on. */
export async function connectComponent(options: ComponentOptions): Promise<TestComponent> {
  const entity = component(options);
  return startEntity(entity, `component ${options.domain} via ${options.service}`);
}

/** Resolves when the entity is online again (after a reconnect); rejects after timeoutMs. */
export function waitOnline(entity: Entity, timeoutMs = 15_000): Promise<void> {
  if (entity.status === 'online') return Promise.resolve();
  return new Promise((ok, fail) => {
    const onOnline = (): void => { clearTimeout(timer); ok(); };
    const timer = setTimeout(() => {
      entity.off('online', onOnline);
      fail(new Error(`not online again within ${timeoutMs} ms (status ${entity.status})`));
    }, timeoutMs);
    entity.once('online', onOnline);
  });
}
