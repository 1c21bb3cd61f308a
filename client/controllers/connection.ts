/**
 * The connection: owns the @xmpp/client entity and implements XmppLink for every other controller.
 * Logs in with JID + password (SCRAM-SHA-1; PLAIN only over a secure transport), over the WebSocket URL
 * given or found with host-meta (XEP-0156); reconnects with backoff after a dropped connection (XEP-0198
 * resumption when the server offers it, else a new session under the same resource, so our full JID and
 * the calls addressed to it survive); announces caps (XEP-0115) in presence and
 * answers disco#info; routes incoming iq get/set through `iq` (unanswered ones get service-unavailable).
 * A Lit ReactiveController when given a host; usable without one (onStatus / onStanza).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Element } from 'ltx';
import { client as createXmppClient, type Authenticate, type Client } from '@xmpp/client';
import scramSha1 from '@xmpp/sasl-scram-sha-1';
import { lookupWebsocket, type HostMetaOptions } from '../xmpp/host-meta.ts';
import { IqRouter, type RoutedLink } from '../xmpp/iq-router.ts';
import { parseAccountJid, bareJid, JidError } from '../xmpp/jid.ts';
import type { LinkStatus } from '../xmpp/link.ts';
import { PendingIqs } from '../xmpp/pending-iqs.ts';
import { OwnCaps } from '../xmpp/own-caps.ts';
import { attr, nextId } from '../xmpp/xml.ts';
import { CLIENT_FEATURES } from '../xmpp/caps.ts';
import { ConnectionError, classifyError } from './connection-error.ts';
import { closeEntity, newResource, toXmpp, withTimeout } from './connection-util.ts';

export { ConnectionError, type ConnectionErrorCode } from './connection-error.ts';

export interface Credentials {
  /** user@domain (a resource, if given, is asked for at binding; else one of ours, kept across reconnects). */
  jid: string;
  password: string;
  /** ws:// or wss:// URL; overrides ConnectionOptions.service; host-meta when neither is set. */
  service?: string;
}

export interface ConnectionOptions {
  /** The WebSocket URL to use when the login does not give one (deployment config). */
  service?: string;
  hostMeta?: HostMetaOptions;
  /** Reconnect delays: first, then doubled up to max, each with up to 20% jitter. */
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Login (connect + authenticate + bind) must finish within this. Default 20 s. */
  loginTimeoutMs?: number;
  /** Disco features to announce; default CLIENT_FEATURES. */
  features?: readonly string[];
  /** The @xmpp/client factory (tests substitute a fake entity). */
  createClient?: typeof createXmppClient;
}

type Unsubscribe = () => void;

export class ConnectionController implements ReactiveController, RoutedLink {
  /** Routes incoming iq get/set: `connection.iq.set(NS.jingle, 'jingle', handler)`. */
  readonly iq = new IqRouter();
  readonly caps: OwnCaps;
  status: LinkStatus = 'offline';
  jid: string | undefined;
  /** Why the last login or session failed; cleared by the next login. */
  error: ConnectionError | undefined;
  /** The WebSocket URL of the current session. */
  service: string | undefined;

  private entity: Client | undefined;
  private domain = '';
  private wanted = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private attempting = false;
  private readonly stanzaHandlers = new Set<(s: Element) => void>();
  private readonly statusHandlers = new Set<(s: LinkStatus) => void>();
  private readonly beforeCloseHandlers = new Set<() => void>();
  private readonly pending = new PendingIqs();

  constructor(private readonly host?: ReactiveControllerHost, private readonly options: ConnectionOptions = {}) {
    this.caps = new OwnCaps(options.features ?? CLIENT_FEATURES);
    this.caps.serve(this.iq);
    host?.addController(this);
  }

  hostConnected(): void { /* the session outlives the element being moved in the DOM */ }

  hostDisconnected(): void { /* logout() is explicit */ }

  /** Logs in; resolves when online, rejects with a ConnectionError (also kept in `error`). */
  async login(credentials: Credentials): Promise<void> {
    if (this.entity !== undefined) await this.logout();
    this.error = undefined;
    this.wanted = true;
    this.setStatus('connecting');
    let entity: Client | undefined;
    try {
      let account;
      try { account = parseAccountJid(credentials.jid); } catch (err) {
        throw new ConnectionError('bad-jid', err instanceof JidError ? err.message : undefined, { cause: err });
      }
      const service = credentials.service?.trim() || this.options.service || await this.discover(account.domain);
      if (!/^wss?:\/\//i.test(service)) throw new ConnectionError('bad-url', `not a WebSocket URL: ${service}`);
      this.service = service;
      this.domain = account.domain;
      entity = this.createEntity(service, account.domain, account.local, credentials.password, account.resource ?? newResource());
      this.entity = entity;
      await withTimeout(entity.start(), this.options.loginTimeoutMs ?? 20_000);
      if (!this.wanted || this.entity !== entity) throw new ConnectionError('offline', 'logged out during login');
      this.attempts = 0;
      await this.online(entity);
    } catch (err) {
      const error = classifyError(err);
      if (this.entity === entity) {
        this.wanted = false;
        this.entity = undefined;
        if (entity !== undefined) await closeEntity(entity);
        this.error = error;
        this.jid = undefined;
        this.setStatus('offline');
      }
      throw error;
    }
  }

  /**
   * `handler` runs synchronously at the start of logout(), while the stream is still open: the call
   * controller sends its session-terminate there. Returns the function that unsubscribes.
   */
  onBeforeClose(handler: () => void): Unsubscribe {
    this.beforeCloseHandlers.add(handler);
    return () => { this.beforeCloseHandlers.delete(handler); };
  }

  /** The domain's WebSocket URL from host-meta, or why there is none: no server answering, or no WebSocket. */
  private async discover(domain: string): Promise<string> {
    const found = await lookupWebsocket(domain, this.options.hostMeta);
    if (found.url !== undefined) return found.url;
    if (found.documents === 0) throw new ConnectionError('no-server', domain);
    throw new ConnectionError('no-service', `host-meta of ${domain} lists no urn:xmpp:alt-connections:websocket link`);
  }

  /** Ends the session (no reconnect); safe to call when offline. */
  async logout(): Promise<void> {
    for (const h of [...this.beforeCloseHandlers]) {
      try { h(); } catch (err) { console.warn('a before-close handler failed', err); }
    }
    this.wanted = false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const entity = this.entity;
    this.entity = undefined;
    this.jid = undefined;
    this.pending.failAll('logged out');
    if (entity !== undefined) await closeEntity(entity);
    this.setStatus('offline');
  }

  async send(stanza: Element): Promise<void> {
    const entity = this.entity;
    if (entity === undefined || this.status !== 'online') throw new ConnectionError('offline');
    await entity.send(toXmpp(stanza));
  }

  request(iq: Element, timeoutMs = 10_000): Promise<Element> {
    iq.attrs.id ??= nextId();
    return this.pending.request(iq, timeoutMs, (s) => this.send(s));
  }

  onStanza(handler: (stanza: Element) => void): Unsubscribe {
    this.stanzaHandlers.add(handler);
    return () => { this.stanzaHandlers.delete(handler); };
  }

  onStatus(handler: (status: LinkStatus) => void): Unsubscribe {
    this.statusHandlers.add(handler);
    return () => { this.statusHandlers.delete(handler); };
  }

  private createEntity(service: string, domain: string, username: string, password: string, resource?: string): Client {
    const factory = this.options.createClient ?? createXmppClient;
    const entity: Client = factory({
      service, domain, resource,
      // SCRAM-SHA-1 first; PLAIN only where the transport is secure (wss:// or loopback).
      credentials: (authenticate: Authenticate, mechanisms: string[]): Promise<void> => {
        const mechanism = mechanisms.includes('SCRAM-SHA-1') ? 'SCRAM-SHA-1'
          : entity.isSecure() && mechanisms.includes('PLAIN') ? 'PLAIN' : undefined;
        if (mechanism === undefined) {
          return Promise.reject(new ConnectionError('auth-failed', `no acceptable SASL mechanism in ${mechanisms.join(', ') || 'none'}`));
        }
        return authenticate({ username, password }, mechanism);
      },
    });
    // @xmpp/client leaves SCRAM out of its browser build, though it runs on WebCrypto: add it back.
    if (!entity.saslFactory._mechs.some((m) => m.name === 'SCRAM-SHA-1')) scramSha1(entity.saslFactory);
    entity.reconnect.stop(); // ours has backoff and gives up on a refused password
    entity.on('error', (err) => { if (this.entity === entity && this.status === 'online') this.error = classifyError(err); });
    entity.on('stanza', (stanza) => { if (this.entity === entity) this.incoming(stanza); });
    entity.on('disconnect', () => { if (this.entity === entity) this.dropped(entity); });
    entity.on('online', () => {
      if (this.entity === entity && this.status === 'reconnecting') this.online(entity).catch((err: unknown) => { this.error = classifyError(err); });
    });
    entity.streamManagement?.on('resumed', () => { if (this.entity === entity) this.resumed(); });
    entity.middleware.use(async (ctx, next) => {
      const type = attr(ctx.stanza, 'type');
      if (ctx.stanza.name !== 'iq' || (type !== 'get' && type !== 'set')) return next();
      const outcome = await this.iq.dispatch(ctx.stanza);
      return outcome === true ? true : toXmpp(outcome); // xmpp.js's callee wraps it into the reply iq
    });
    return entity;
  }

  private async online(entity: Client): Promise<void> {
    this.jid = entity.jid?.toString();
    this.setStatus('online'); // controllers send their requests (roster get) before our presence
    await entity.send(toXmpp(await this.caps.presence()));
  }

  private resumed(): void {
    this.attempts = 0;
    this.setStatus('online');
  }

  private incoming(stanza: Element): void {
    const type = attr(stanza, 'type');
    if (stanza.name === 'iq' && (type === 'result' || type === 'error')) {
      this.pending.settle(stanza, (to) => this.fromMatches(attr(stanza, 'from'), to));
      return;
    }
    for (const h of [...this.stanzaHandlers]) {
      try { h(stanza); } catch (err) { console.error('stanza handler failed', err); }
    }
  }

  /** A reply must come from whom we asked; a request to no one is answered by our account or server. */
  private fromMatches(from: string | undefined, to: string | undefined): boolean {
    if (to === undefined || to === '' || (this.jid !== undefined && bareJid(to) === bareJid(this.jid) && !to.includes('/'))) {
      return from === undefined || from === '' || from === this.domain || (this.jid !== undefined && bareJid(from) === bareJid(this.jid));
    }
    return from === to || (from !== undefined && from.toLowerCase() === to.toLowerCase());
  }

  private dropped(entity: Client): void {
    if (!this.wanted || this.attempting || this.status === 'connecting') return;
    this.pending.failAll('connection lost');
    this.setStatus('reconnecting');
    this.scheduleReconnect(entity);
  }

  private scheduleReconnect(entity: Client): void {
    if (this.reconnectTimer !== undefined || !this.wanted) return;
    const { initialMs = 1_000, maxMs = 30_000 } = this.options.reconnect ?? {};
    const delay = Math.min(maxMs, initialMs * 2 ** Math.min(this.attempts, 16)) * (1 + Math.random() * 0.2);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reconnect(entity);
    }, delay);
  }

  private async reconnect(entity: Client): Promise<void> {
    if (!this.wanted || this.entity !== entity || this.service === undefined) return;
    this.attempting = true;
    try {
      // A half-open socket from a timed-out attempt would later detach the new one: close it first.
      if (entity.status !== 'disconnect' && entity.status !== 'offline') await withTimeout(entity.disconnect(), 2_000).catch(() => undefined);
      const ready = this.waitOnline(entity, this.options.loginTimeoutMs ?? 20_000);
      ready.catch(() => undefined); // awaited below, after connect() and open(), which may throw first
      await entity.connect(this.service);
      await entity.open({ domain: this.domain });
      await ready;
      this.attempts = 0;
    } catch (err) {
      if (this.entity !== entity || !this.wanted) return;
      const error = classifyError(err);
      this.error = error;
      if (error.code === 'not-authorized' || error.code === 'conflict') {
        await this.logout(); // the password changed or another session took over: retrying cannot help
        this.error = error;
        return;
      }
      this.scheduleReconnect(entity);
    } finally {
      this.attempting = false;
    }
  }

  /** Resolves once this session is online again (new session or resumed); rejects on an entity error. */
  private waitOnline(entity: Client, ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: unknown): void => {
        clearTimeout(timer);
        off();
        entity.off('error', done);
        if (err === undefined) resolve(); else reject(err);
      };
      const off = this.onStatus((s) => { if (s === 'online') done(); });
      const timer = setTimeout(() => done(new ConnectionError('timeout')), ms);
      entity.on('error', done);
    });
  }

  private setStatus(status: LinkStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const h of [...this.statusHandlers]) {
      try { h(status); } catch (err) { console.error('status handler failed', err); }
    }
    this.host?.requestUpdate();
  }
}
