/**
 * STUN/TURN servers for calls, from XEP-0215 (urn:xmpp:extdisco:2) at the user's server and at our
 * component. The component is found by XEP-0030: the server's disco#items, the first item whose
 * disco#info offers extdisco (or it is given in config). The answer is kept until the earliest TURN
 * credential expires (less a margin), so a call does not wait for it: the controller prefetches it
 * when the connection comes online.
 */
import type { Element } from 'ltx';
import { NS, iceServersFromServices, parseServices, type ExternalService, type IceServer } from '../../schemas/index.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { attr, elements, nextId, x } from '../xmpp/xml.ts';

const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
/** Refetch this long before credentials expire, and at the latest after MAX_AGE. */
const MARGIN_MS = 60_000;
const MAX_AGE_MS = 10 * 60_000;
const MAX_ITEMS = 16;

export interface IceSourceOptions {
  /** The component's domain, if known; else discovered. */
  componentDomain?: string;
  timeoutMs?: number;
  now?: () => number;
}

export class IceServerSource {
  #cached: { servers: IceServer[]; until: number } | undefined;
  #pending: Promise<IceServer[]> | undefined;
  #component: Promise<string | undefined> | undefined;

  constructor(private readonly link: XmppLink, private readonly options: IceSourceOptions = {}) {
    if (options.componentDomain !== undefined) this.#component = Promise.resolve(options.componentDomain);
  }

  /** The ICE servers to use now: cached while their credentials last. */
  get(): Promise<IceServer[]> {
    const now = this.#now();
    if (this.#cached && this.#cached.until > now) return Promise.resolve(this.#cached.servers);
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forget everything (a new login may be another account or server). */
  reset(): void {
    this.#cached = undefined;
    if (this.options.componentDomain === undefined) this.#component = undefined;
  }

  /** Our component's domain (configured, or the server's item that offers extdisco). */
  componentDomain(): Promise<string | undefined> {
    this.#component ??= this.#discover().catch(() => undefined);
    return this.#component;
  }

  async #fetch(): Promise<IceServer[]> {
    const domain = this.#domain();
    if (domain === undefined) return [];
    const component = await this.componentDomain();
    const targets = component !== undefined && component !== domain ? [domain, component] : [domain];
    const lists = await Promise.all(targets.map((t) => this.#services(t)));
    const services = lists.flat();
    const servers = iceServersFromServices(services);
    const now = this.#now();
    let until = now + MAX_AGE_MS;
    for (const s of services) {
      const expires = s.expires === undefined ? NaN : Date.parse(s.expires);
      if (Number.isFinite(expires)) until = Math.min(until, expires - MARGIN_MS);
    }
    this.#cached = { servers, until: Math.max(until, now + 5_000) };
    return servers;
  }

  async #services(to: string): Promise<ExternalService[]> {
    try {
      const reply = await this.link.request(x('iq', { type: 'get', to, id: nextId() }, x('services', { xmlns: NS.extdisco })), this.#timeout());
      const services = elements(reply).find((c) => c.name === 'services' && c.attrs.xmlns === NS.extdisco);
      return services ? parseServices(services) : [];
    } catch {
      return []; // no extdisco there, or a malformed answer: calls still work with host candidates
    }
  }

  async #discover(): Promise<string | undefined> {
    const domain = this.#domain();
    if (domain === undefined) return undefined;
    const items = await this.link.request(x('iq', { type: 'get', to: domain, id: nextId() }, x('query', { xmlns: DISCO_ITEMS })), this.#timeout());
    const query = elements(items).find((c) => c.name === 'query');
    const jids = (query ? elements(query) : [])
      .filter((i) => i.name === 'item' && attr(i, 'node') === undefined)
      .map((i) => attr(i, 'jid'))
      .filter((j): j is string => j !== undefined && !j.includes('@') && !j.includes('/'))
      .slice(0, MAX_ITEMS);
    const offers = await Promise.all(jids.map((jid) => this.#offersExtdisco(jid)));
    return jids.find((_, i) => offers[i]);
  }

  async #offersExtdisco(jid: string): Promise<boolean> {
    try {
      const reply: Element = await this.link.request(x('iq', { type: 'get', to: jid, id: nextId() }, x('query', { xmlns: DISCO_INFO })), this.#timeout());
      const query = elements(reply).find((c) => c.name === 'query');
      return (query ? elements(query) : []).some((f) => f.name === 'feature' && attr(f, 'var') === NS.extdisco);
    } catch {
      return false;
    }
  }

  #domain(): string | undefined {
    const jid = this.link.jid;
    if (jid === undefined) return undefined;
    const bare = jid.split('/')[0] ?? '';
    return bare.slice(bare.indexOf('@') + 1).toLowerCase() || undefined;
  }

  #timeout(): number {
    return this.options.timeoutMs ?? 5_000;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
