/**
 * RFC 6121 roster and presence on an XmppLink: the contact list (fetched on every login, kept current
 * by roster pushes), each contact's online resources with their caps (XEP-0115, so the call controller
 * can ask `roster.caps.supports(fullJid, NS.jingle, caps)`), subscription requests to accept or refuse,
 * and adding / removing contacts. Subscriptions are made both ways, as native clients expect for calls.
 *
 * Presence is kept for roster contacts and our own other devices only, and at most `MAX_REQUESTS`
 * subscription requests: anyone can send presence, and strangers must not grow memory (issue 12 item 6).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Element } from 'ltx';
import { CapsCache } from '../xmpp/caps-cache.ts';
import { iqRouter, StanzaError } from '../xmpp/iq-router.ts';
import { bareJid, formatJid, parseJid, resourceOf } from '../xmpp/jid.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { CLIENT_NS } from '../xmpp/ns.ts';
import { attr, childNs, elements, x } from '../xmpp/xml.ts';

import { readPresence, type Reachability, type ResourcePresence, type Show } from './roster-presence.ts';

export type { Reachability, ResourcePresence, Show } from './roster-presence.ts';
export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface Contact {
  /** Bare JID. */
  jid: string;
  name: string | undefined;
  subscription: Subscription;
  /** We asked for their presence and they have not answered. */
  pending: boolean;
  groups: string[];
}



/** Subscription requests kept at most (the newest). */
export const MAX_REQUESTS = 100;
/** Online resources kept per contact (and of our own account) at most: more are ignored until some go. */
export const MAX_RESOURCES = 32;

const SUBSCRIPTIONS: readonly string[] = ['none', 'to', 'from', 'both'];

export class RosterError extends Error {
  override readonly name = 'RosterError';
}

export class RosterController implements ReactiveController {
  /** Contacts, sorted by name then JID. */
  contacts: Contact[] = [];
  /** Bare JIDs asking to see our presence, oldest first. */
  requests: string[] = [];
  /** Resolves when the roster of the current session has been fetched (or failed). */
  ready: Promise<void> = Promise.resolve();
  /** What went wrong with the last fetch or action, for the view. */
  error: string | undefined;
  readonly caps: CapsCache;

  private readonly byJid = new Map<string, Contact>();
  private readonly presences = new Map<string, Map<string, ResourcePresence>>();
  /** Our account's other devices (resource -> presence). */
  private readonly ownPresences = new Map<string, ResourcePresence>();
  private readonly handlers = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly host: ReactiveControllerHost | undefined, private readonly link: XmppLink) {
    this.caps = new CapsCache(link);
    host?.addController(this);
    this.unsubscribe.push(
      iqRouter(link).set(CLIENT_NS.roster, 'query', (ctx) => this.push(ctx.stanza, ctx.element)),
      link.onStanza((s) => { if (s.name === 'presence') this.presence(s); }),
      link.onStatus((status) => this.statusChanged(status)),
    );
    if (link.status === 'online') this.fetch();
  }

  hostConnected(): void { /* subscribed for the controller's lifetime, see dispose() */ }

  /** Stops listening to the link. */
  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Called after every change (contacts, presence, requests). */
  onChange(handler: () => void): () => void {
    this.handlers.add(handler);
    return () => { this.handlers.delete(handler); };
  }

  contact(jid: string): Contact | undefined {
    return this.byJid.get(bareJid(jid));
  }

  /** The online resources of a contact, highest priority first. */
  resources(jid: string): ResourcePresence[] {
    return [...(this.presences.get(bareJid(jid))?.values() ?? [])].sort((a, b) => b.priority - a.priority);
  }

  isOnline(jid: string): boolean {
    return (this.presences.get(bareJid(jid))?.size ?? 0) > 0;
  }

  /** How many presences and requests are kept: bounded whatever strangers send. */
  get stored(): { presences: number; ownDevices: number; requests: number } {
    let presences = 0;
    for (const m of this.presences.values()) presences += m.size;
    return { presences, ownDevices: this.ownPresences.size, requests: this.requests.length };
  }

  /** Our account's other online devices (not this one), highest priority first. */
  ownDevices(): ResourcePresence[] {
    return [...this.ownPresences.values()].sort((a, b) => b.priority - a.priority);
  }

  /** Whether a call to `jid` can ring now, and if not, why (see Reachability). */
  reachability(jid: string): Reachability {
    const unknown = (reason: string): Reachability => ({ state: 'unknown', resources: [], reason });
    if (this.link.status !== 'online') return unknown('not connected');
    const c = this.byJid.get(bareJid(jid));
    if (c === undefined) return unknown('not in your contacts');
    if (c.subscription !== 'to' && c.subscription !== 'both') {
      return unknown(c.pending ? 'waiting for them to share their presence' : 'they do not share their presence with you');
    }
    const resources = this.resources(c.jid);
    return resources.length > 0 ? { state: 'online', resources, reason: undefined } : { state: 'offline', resources, reason: 'offline' };
  }

  /** The show of the contact's most available resource, or 'offline'. */
  show(jid: string): Show | 'offline' {
    const rank: Show[] = ['chat', 'available', 'away', 'xa', 'dnd'];
    const shows = this.resources(jid).map((r) => r.show);
    return rank.find((s) => shows.includes(s)) ?? 'offline';
  }

  /** Adds a contact (roster set) and asks for their presence (subscribe). */
  async add(jid: string, name?: string): Promise<void> {
    const bare = this.checkContactJid(jid);
    await this.act(async () => {
      await this.link.request(x('iq', { type: 'set' }, x('query', { xmlns: CLIENT_NS.roster }, x('item', { jid: bare, name: name || undefined }))));
      await this.link.send(x('presence', { to: bare, type: 'subscribe' }));
    });
  }

  /** Lets `jid` see our presence, and asks for theirs if we do not have it yet. */
  async accept(jid: string): Promise<void> {
    const bare = bareJid(jid);
    this.dropRequest(bare);
    await this.act(async () => {
      await this.link.send(x('presence', { to: bare, type: 'subscribed' }));
      const c = this.byJid.get(bare);
      if (c === undefined || (!c.pending && (c.subscription === 'none' || c.subscription === 'from'))) {
        await this.link.send(x('presence', { to: bare, type: 'subscribe' }));
      }
    });
  }

  /** Refuses a subscription request (or revokes an approval). */
  async refuse(jid: string): Promise<void> {
    const bare = bareJid(jid);
    this.dropRequest(bare);
    await this.act(() => this.link.send(x('presence', { to: bare, type: 'unsubscribed' })));
  }

  /** Removes the contact from the roster (the server cancels both subscriptions). */
  async remove(jid: string): Promise<void> {
    const bare = bareJid(jid);
    await this.act(() => this.link.request(
      x('iq', { type: 'set' }, x('query', { xmlns: CLIENT_NS.roster }, x('item', { jid: bare, subscription: 'remove' })))).then(() => undefined));
  }

  private checkContactJid(jid: string): string {
    let parsed;
    try { parsed = parseJid(jid); } catch (err) { throw new RosterError((err as Error).message); }
    if (parsed.resource !== undefined) throw new RosterError(`add ${jid} without "/${parsed.resource}"`);
    const bare = formatJid(parsed).toLowerCase();
    if (this.link.jid !== undefined && bare === bareJid(this.link.jid)) throw new RosterError('that is your own address');
    return bare;
  }

  private async act(action: () => Promise<void>): Promise<void> {
    this.error = undefined;
    try {
      await action();
    } catch (err) {
      this.error = (err as Error).message;
      this.changed();
      throw err;
    }
  }

  private statusChanged(status: string): void {
    this.presences.clear(); // a new session gets everyone's presence again
    this.ownPresences.clear();
    if (status === 'online') this.fetch();
    if (status === 'offline') {
      this.byJid.clear();
      this.contacts = [];
      this.requests = [];
    }
    this.changed();
  }

  private fetch(): void {
    this.ready = this.link.request(x('iq', { type: 'get' }, x('query', { xmlns: CLIENT_NS.roster }))).then(
      (reply) => {
        this.byJid.clear();
        const query = childNs(reply, 'query', CLIENT_NS.roster);
        for (const item of query ? elements(query) : []) this.applyItem(item);
        for (const jid of this.presences.keys()) if (!this.byJid.has(jid)) this.presences.delete(jid);
        this.sortContacts();
      },
      (err: unknown) => { this.error = `roster: ${(err as Error).message}`; },
    ).finally(() => this.changed());
  }

  /**
   * A roster push (RFC 6121 2.1.6): with no `from`, or from our bare JID, the server speaking for the
   * account. Not from another resource of ours: that is another client, and the roster is not its to set.
   */
  private push(stanza: Element, query: Element): true {
    const from = attr(stanza, 'from');
    const own = this.link.jid === undefined ? undefined : bareJid(this.link.jid);
    if (from !== undefined && from !== '' && (resourceOf(from) !== undefined || bareJid(from) !== own)) throw new StanzaError('service-unavailable');
    const items = elements(query).filter((e) => e.name === 'item');
    if (items.length !== 1) throw new StanzaError('bad-request', 'modify');
    this.applyItem(items[0] as Element);
    this.sortContacts();
    this.changed();
    return true;
  }

  private applyItem(item: Element): void {
    const raw = attr(item, 'jid');
    if (raw === undefined || raw === '') return;
    const jid = bareJid(raw);
    const sub = attr(item, 'subscription') ?? 'none';
    if (sub === 'remove') {
      this.byJid.delete(jid);
      this.presences.delete(jid);
      return;
    }
    this.byJid.set(jid, {
      jid,
      name: attr(item, 'name') || undefined,
      subscription: (SUBSCRIPTIONS.includes(sub) ? sub : 'none') as Subscription,
      pending: attr(item, 'ask') === 'subscribe',
      groups: elements(item).filter((g) => g.name === 'group').map((g) => g.getText()),
    });
  }

  private presence(p: Element): void {
    const from = attr(p, 'from');
    if (from === undefined) return;
    const bare = bareJid(from);
    const type = attr(p, 'type');
    if (this.link.jid !== undefined && bare === bareJid(this.link.jid)) return this.ownPresence(p, from, type);
    switch (type) {
      case undefined:
        if (!this.byJid.has(bare)) return; // not a contact: nothing kept (RFC 6121 8.2: a server may pass anything)
        return this.available(p, from, bare);
      case 'unavailable': {
        const map = this.presences.get(bare);
        if (map === undefined) return;
        map.delete(resourceOf(from) ?? '');
        if (map.size === 0) this.presences.delete(bare);
        return this.changed();
      }
      case 'error': if (this.presences.delete(bare)) this.changed(); return;
      case 'subscribe': return this.subscribeRequest(bare);
      case 'unsubscribe': this.dropRequest(bare); return;
      default: return; // subscribed / unsubscribed / probe: the server's roster pushes tell us what changed
    }
  }

  private available(p: Element, from: string, bare: string): void {
    let map = this.presences.get(bare);
    if (map === undefined) this.presences.set(bare, (map = new Map()));
    const resource = resourceOf(from) ?? '';
    if (!map.has(resource) && map.size >= MAX_RESOURCES) return;
    map.set(resource, readPresence(p, from));
    this.changed();
  }

  /** Another device of our account came or went (this one is not kept). */
  private ownPresence(p: Element, from: string, type: string | undefined): void {
    const resource = resourceOf(from);
    if (resource === undefined || from === this.link.jid) return;
    if (type === undefined) {
      if (!this.ownPresences.has(resource) && this.ownPresences.size >= MAX_RESOURCES) return;
      this.ownPresences.set(resource, readPresence(p, from));
    }
    else if (type === 'unavailable' || type === 'error') {
      if (!this.ownPresences.delete(resource)) return;
    } else return;
    this.changed();
  }

  private subscribeRequest(bare: string): void {
    const c = this.byJid.get(bare);
    // We asked them first (or approved them already): approve without bothering the user.
    if (c !== undefined && (c.pending || c.subscription !== 'none')) {
      void this.link.send(x('presence', { to: bare, type: 'subscribed' })).catch(() => undefined);
      return;
    }
    if (this.requests.includes(bare)) return;
    this.requests = [...this.requests, bare].slice(-MAX_REQUESTS);
    this.changed();
  }

  private dropRequest(bare: string): void {
    if (!this.requests.includes(bare)) return;
    this.requests = this.requests.filter((r) => r !== bare);
    this.changed();
  }

  private sortContacts(): void {
    this.contacts = [...this.byJid.values()].sort((a, b) =>
      (a.name ?? a.jid).localeCompare(b.name ?? b.jid) || a.jid.localeCompare(b.jid));
  }

  private changed(): void {
    for (const h of [...this.handlers]) {
      try { h(); } catch (err) { console.error('roster change handler failed', err); }
    }
    this.host?.requestUpdate();
  }
}

