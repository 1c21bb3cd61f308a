// Shared by the chat controller tests: a FakeNetwork with a tiny fake server that answers what a client
// asks its own server (disco#info of the domain and of the account, carbons enable, MAM queries over an
// archive the test fills), and the controllers each test made, stopped after it.
import { afterEach, vi } from 'vitest';
import type { Element } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import { ChatController, type ChatOptions } from '../../client/controllers/chat.ts';
import { CHAT_NS, child } from '../../client/controllers/chat-stanzas.ts';

export const ALICE = 'alice@localhost/web';
export const BOB = 'bob@localhost/web';
export const MALLORY = 'mallory@localhost/x';

export interface Archived { id: string; stamp: string; xml: string }

/** Answers iq get/set addressed to the server or to an account (no resource), as a server would. */
export class FakeServer {
  domainFeatures: string[] = [];
  accountFeatures: string[] = [];
  readonly carbonsEnabled = new Set<string>();
  /** Per account bare JID: the archive, oldest first. */
  readonly archive = new Map<string, Archived[]>();
  /** Who the MAM results claim to come from (undefined: no from, as Prosody does for to-less queries). */
  resultsFrom: (owner: string) => string | undefined = (owner) => owner;
  readonly queries: Element[] = [];

  constructor(private readonly network: FakeNetwork) {}

  handle(iq: Element): void {
    const from = String(iq.attrs.from);
    const owner = from.split('/')[0]!;
    const to = String(iq.attrs.to ?? owner);
    const id = String(iq.attrs.id);
    const reply = (inner: string): void => this.deliver(from, `<iq type='result' id='${id}' from='${to}' to='${from}'>${inner}</iq>`);
    if (child(iq, 'query', CHAT_NS.discoInfo)) {
      const vars = to === 'localhost' ? this.domainFeatures : this.accountFeatures;
      return reply(`<query xmlns='${CHAT_NS.discoInfo}'>${vars.map((v) => `<feature var='${v}'/>`).join('')}</query>`);
    }
    if (child(iq, 'enable', CHAT_NS.carbons) && this.domainFeatures.includes(CHAT_NS.carbons)) {
      this.carbonsEnabled.add(from);
      return reply('');
    }
    const query = child(iq, 'query', CHAT_NS.mam);
    if (query && this.accountFeatures.includes(CHAT_NS.mam)) return this.mam(iq, query, from, owner, reply);
    this.deliver(from, `<iq type='error' id='${id}' to='${from}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
  }

  private mam(iq: Element, query: Element, from: string, owner: string, reply: (inner: string) => void): void {
    this.queries.push(iq);
    const field = (name: string): string | undefined =>
      query.getChild('x')?.getChildren('field').find((f) => f.attrs.var === name)?.getChildText('value') ?? undefined;
    const set = query.getChild('set');
    const max = Number(set?.getChildText('max') ?? 100);
    const before = set?.getChildText('before') ?? '';
    const after = set?.getChildText('after') ?? undefined;
    const withJid = field('with');
    const start = field('start');
    const all = (this.archive.get(owner) ?? [])
      .filter((a) => !withJid || a.xml.includes(`'${withJid}`))
      .filter((a) => !start || Date.parse(a.stamp) >= Date.parse(start));
    // RSM: the page after an id goes forward from it; the page before an id ends there ('' = the newest).
    // Neither <before/> nor <after/>: the first page, oldest first (XEP-0059 2.2).
    const next = after !== undefined ? all.findIndex((a) => a.id === after) + 1 : set?.getChild('before') ? -1 : 0;
    const end = next >= 0 ? Math.min(all.length, next + max) : before ? all.findIndex((a) => a.id === before) : all.length;
    const page = next >= 0 ? all.slice(next, end) : all.slice(Math.max(0, end - max), end);
    const resultFrom = this.resultsFrom(owner);
    for (const a of page) {
      this.deliver(from, `<message to='${from}'${resultFrom ? ` from='${resultFrom}'` : ''}><result xmlns='${CHAT_NS.mam}' queryid='${query.attrs.queryid}' id='${a.id}'><forwarded xmlns='${CHAT_NS.forward}'><delay xmlns='${CHAT_NS.delay}' stamp='${a.stamp}'/>${a.xml}</forwarded></result></message>`);
    }
    const complete = (next >= 0 ? end >= all.length : end - max <= 0) ? " complete='true'" : '';
    const first = page[0] ? `<first index='0'>${page[0].id}</first><last>${page.at(-1)!.id}</last>` : '';
    reply(`<fin xmlns='${CHAT_NS.mam}'${complete}><set xmlns='${CHAT_NS.rsm}'>${first}</set></fin>`);
  }

  deliver(to: string, xml: string): void {
    this.network.links.get(to)?.deliver(parseXml(xml));
  }
}

export class ServerNetwork extends FakeNetwork {
  readonly server = new FakeServer(this);

  override route(stanza: Element): void {
    const type = stanza.attrs.type;
    if (stanza.name === 'iq' && (type === 'get' || type === 'set') && !String(stanza.attrs.to ?? '').includes('/')) {
      this.server.handle(stanza);
      return;
    }
    super.route(stanza);
  }
}

const controllers: ChatController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
  vi.useRealTimers();
});

export function setUp(): { net: ServerNetwork; link: (jid: string) => FakeLink; chat: (link: FakeLink, options?: ChatOptions) => ChatController } {
  const net = new ServerNetwork();
  return {
    net,
    link: (jid) => net.link(jid),
    chat: (link, options) => {
      const c = new ChatController(link, options);
      controllers.push(c);
      return c;
    },
  };
}

/** The messages of a chat as "direction state: body" lines. */
export function lines(c: ChatController, contact: string): string[] {
  return c.view(contact).messages.map((m) => `${m.direction} ${m.state}: ${m.body}`);
}

/** The MAM queries of one conversation (those with a `with` field), not the login's catch-up. */
export const historyQueries = (net: ServerNetwork): Element[] => net.server.queries.filter((q) => q.toString().includes('<field var="with">'));

export const receiptsFrom = (link: FakeLink): Element[] => link.sent.filter((s) => child(s, 'received', CHAT_NS.receipts));
export const statesFrom = (link: FakeLink): string[] => link.sent.filter((s) => s.name === 'message' && !child(s, 'body', CHAT_NS.client))
  .flatMap((s) => s.children.filter((c): c is Element => typeof c === 'object' && c.attrs.xmlns === CHAT_NS.chatStates).map((c) => c.name));
