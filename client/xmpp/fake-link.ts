/**
 * A fake XmppLink for controller tests, in Node, without a server: stanzas sent to another FakeLink's
 * JID on the same FakeNetwork arrive there (stamped with `from`), iq results and errors find their
 * request, and everything sent is recorded for assertions.
 */
import type { Element } from 'ltx';
import type { LinkStatus, XmppLink } from './link.ts';
import { PendingIqs } from './pending-iqs.ts';
import { x } from './xml.ts';

export class FakeNetwork {
  readonly links = new Map<string, FakeLink>();

  link(fullJid: string): FakeLink {
    const l = new FakeLink(this, fullJid);
    this.links.set(fullJid, l);
    return l;
  }

  /**
   * Routes like a server would: full JID to that resource, bare JID to every resource of the account.
   * An iq request to a resource that is not there, or whose connection dropped (drop()), bounces with
   * service-unavailable, as Prosody does.
   */
  route(stanza: Element): void {
    const to = String(stanza.attrs.to ?? '');
    if (to.includes('/') && !this.links.has(to)) return this.bounce(stanza);
    for (const [jid, link] of this.links) {
      if (jid !== to && (to.includes('/') || !jid.startsWith(`${to}/`))) continue;
      if (link.status !== 'reconnecting') link.deliver(stanza);
      else if (jid === to) this.bounce(stanza);
    }
  }

  private bounce(stanza: Element): void {
    const type = stanza.attrs.type as string | undefined;
    const sender = this.links.get(String(stanza.attrs.from ?? ''));
    if (stanza.name !== 'iq' || (type !== 'get' && type !== 'set') || sender === undefined) return;
    sender.deliver(x('iq', { type: 'error', id: String(stanza.attrs.id ?? ''), from: String(stanza.attrs.to), to: String(stanza.attrs.from) },
      x('error', { type: 'cancel' }, x('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
  }
}

export class FakeLink implements XmppLink {
  status: LinkStatus = 'online';
  readonly sent: Element[] = [];
  private readonly handlers = new Set<(s: Element) => void>();
  private readonly statusHandlers = new Set<(s: LinkStatus) => void>();
  private readonly pending = new PendingIqs();
  private counter = 0;

  constructor(
    private readonly network: FakeNetwork | undefined,
    public jid: string,
  ) {}

  async send(stanza: Element): Promise<void> {
    if (this.status === 'reconnecting') throw new Error('not connected (reconnecting)');
    stanza.attrs.from = this.jid;
    this.sent.push(stanza);
    this.network?.route(stanza);
  }

  request(iq: Element, timeoutMs = 5_000): Promise<Element> {
    const id = (iq.attrs.id as string | undefined) ?? `fake${++this.counter}`;
    iq.attrs.id = id;
    return this.pending.request(iq, timeoutMs, (s) => this.send(s));
  }

  /** Incoming stanza: answers one of our requests, or goes to the handlers. */
  deliver(stanza: Element): void {
    const type = stanza.attrs.type as string | undefined;
    if (stanza.name === 'iq' && (type === 'result' || type === 'error') && this.pending.settle(stanza)) return;
    for (const h of [...this.handlers]) h(stanza);
  }

  onStanza(handler: (s: Element) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onStatus(handler: (s: LinkStatus) => void): () => void {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  /** The connection dropped: our pending requests fail, iqs to us bounce, and we are 'reconnecting'. */
  drop(): void {
    this.pending.failAll('connection lost');
    this.setStatus('reconnecting');
  }

  /** Back online: under the same full JID, or under `jid` (a server that gave us another resource). */
  reconnect(jid = this.jid): void {
    if (this.network !== undefined) {
      this.network.links.delete(this.jid);
      this.network.links.set(jid, this);
    }
    this.jid = jid;
    this.setStatus('online');
  }

  setStatus(s: LinkStatus): void {
    this.status = s;
    for (const h of [...this.statusHandlers]) h(s);
  }
}
