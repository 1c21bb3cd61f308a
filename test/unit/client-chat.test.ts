// The chat controller over a FakeNetwork, read as transcripts: "alice sends ... bob receives ...".
// A tiny fake server on the same network answers what a client asks its own server: disco#info of the
// domain and of the account, carbons enable, and MAM queries over an archive the test fills.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Element } from 'ltx';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import { ChatController, ChatError, type ChatOptions } from '../../client/controllers/chat.ts';
import { CHAT_NS, child } from '../../client/controllers/chat-stanzas.ts';

const ALICE = 'alice@localhost/web';
const BOB = 'bob@localhost/web';
const MALLORY = 'mallory@localhost/x';

interface Archived { id: string; stamp: string; xml: string }

/** Answers iq get/set addressed to the server or to an account (no resource), as a server would. */
class FakeServer {
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
    const withJid = field('with');
    const all = (this.archive.get(owner) ?? []).filter((a) => !withJid || a.xml.includes(`'${withJid}`));
    const end = before ? all.findIndex((a) => a.id === before) : all.length;
    const page = all.slice(Math.max(0, end - max), end);
    const resultFrom = this.resultsFrom(owner);
    for (const a of page) {
      this.deliver(from, `<message to='${from}'${resultFrom ? ` from='${resultFrom}'` : ''}><result xmlns='${CHAT_NS.mam}' queryid='${query.attrs.queryid}' id='${a.id}'><forwarded xmlns='${CHAT_NS.forward}'><delay xmlns='${CHAT_NS.delay}' stamp='${a.stamp}'/>${a.xml}</forwarded></result></message>`);
    }
    const complete = end - max <= 0 ? " complete='true'" : '';
    const first = page[0] ? `<first index='0'>${page[0].id}</first><last>${page.at(-1)!.id}</last>` : '';
    reply(`<fin xmlns='${CHAT_NS.mam}'${complete}><set xmlns='${CHAT_NS.rsm}'>${first}</set></fin>`);
  }

  deliver(to: string, xml: string): void {
    this.network.links.get(to)?.deliver(parseXml(xml));
  }
}

class ServerNetwork extends FakeNetwork {
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

function setUp(): { net: ServerNetwork; link: (jid: string) => FakeLink; chat: (link: FakeLink, options?: ChatOptions) => ChatController } {
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
function lines(c: ChatController, contact: string): string[] {
  return c.view(contact).messages.map((m) => `${m.direction} ${m.state}: ${m.body}`);
}

const receiptsFrom = (link: FakeLink): Element[] => link.sent.filter((s) => child(s, 'received', CHAT_NS.receipts));
const statesFrom = (link: FakeLink): string[] => link.sent.filter((s) => s.name === 'message' && !child(s, 'body', CHAT_NS.client))
  .flatMap((s) => s.children.filter((c): c is Element => typeof c === 'object' && c.attrs.xmlns === CHAT_NS.chatStates).map((c) => c.name));

describe('messages and receipts', () => {
  it('alice sends, bob receives, bob’s receipt marks the message delivered', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const bob = chat(b);
    const sent = await alice.send('bob@localhost', 'Hello Bob');
    expect(lines(bob, 'alice@localhost')).toEqual(['in received: Hello Bob']);
    expect(lines(alice, 'bob@localhost')).toEqual(['out delivered: Hello Bob']);
    const stanza = a.sent.find((s) => child(s, 'body', CHAT_NS.client))!;
    expect(stanza.attrs).toMatchObject({ type: 'chat', to: 'bob@localhost', id: sent.id });
    expect(child(stanza, 'request', CHAT_NS.receipts)).toBeDefined();
    expect(child(stanza, 'origin-id', CHAT_NS.sid)?.attrs.id).toBe(sent.id);
    // Bob's ack goes to alice's full JID, carries only <received/>, never a request of its own.
    const [ack] = receiptsFrom(b);
    expect(ack?.attrs.to).toBe(ALICE);
    expect(ack?.children).toHaveLength(1);
    expect(child(ack!, 'received', CHAT_NS.receipts)?.attrs.id).toBe(sent.id);
  });

  it('only a receipt from the contact the message went to counts', async () => {
    const { link, chat } = setUp();
    const [a, b, m] = [link(ALICE), link(BOB), link(MALLORY)];
    const alice = chat(a);
    const sent = await alice.send('bob@localhost', 'for bob');
    await m.send(parseXml(`<message to='${ALICE}'><received xmlns='urn:xmpp:receipts' id='${sent.id}'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out sent: for bob']);
    expect(alice.contacts).toEqual(['bob@localhost']);
    await b.send(parseXml(`<message to='${ALICE}'><received xmlns='urn:xmpp:receipts' id='${sent.id}'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out delivered: for bob']);
  });

  it('answers a receipt request once, only when asked, and not when told not to', async () => {
    const { link, chat } = setUp();
    const [a, b, m] = [link(ALICE), link(BOB), link(MALLORY)];
    chat(a, { answerReceipts: (jid) => jid !== 'mallory@localhost' });
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='b1'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>`));
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='b2'><body>no request</body></message>`));
    await m.send(parseXml(`<message type='chat' to='alice@localhost' id='m1'><body>who is online?</body><request xmlns='urn:xmpp:receipts'/></message>`));
    expect(receiptsFrom(a).map((r) => [r.attrs.to, child(r, 'received', CHAT_NS.receipts)?.attrs.id])).toEqual([[BOB, 'b1']]);
  });

  it('an error bounce marks the message failed', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const sent = await alice.send('bob@localhost', 'are you there');
    await b.send(parseXml(`<message type='error' to='${ALICE}' id='${sent.id}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['out failed: are you there']);
  });
});

describe('bodies are text', () => {
  it('HTML in a body stays the literal string; XHTML-IM is ignored', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='x1'><body>&lt;img src=x onerror=alert(1)&gt;</body><html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><b>bold</b></body></html></message>`));
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['<img src=x onerror=alert(1)>']);
    const sent = await alice.send('bob@localhost', '<script>alert(1)</script> & more');
    expect(sent.body).toBe('<script>alert(1)</script> & more');
    expect(a.sent.at(-1)!.toString()).toContain('<body>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</body>');
  });

  it('limits the length of a body and the number of messages and chats kept', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { maxBodyLength: 10, maxMessagesPerChat: 3, maxChats: 2 });
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='long'><body>${'x'.repeat(9)}😀tail</body></message>`));
    expect(alice.view('bob@localhost').messages[0]).toMatchObject({ body: 'x'.repeat(9), truncated: true });
    await expect(alice.send('bob@localhost', 'y'.repeat(11))).rejects.toThrow(ChatError);
    await expect(alice.send('bob@localhost', '   ')).rejects.toMatchObject({ condition: 'empty' });
    for (const n of [1, 2, 3]) await b.send(parseXml(`<message type='chat' to='alice@localhost' id='n${n}'><body>${n}</body></message>`));
    expect(alice.view('bob@localhost').messages.map((m) => m.body)).toEqual(['1', '2', '3']);
    for (const who of ['c1', 'c2']) await link(`${who}@localhost/r`).send(parseXml(`<message type='chat' to='alice@localhost'><body>hi</body></message>`));
    expect(alice.contacts.sort()).toEqual(['c1@localhost', 'c2@localhost']);
  });
});

describe('unread counts', () => {
  it('counts what arrives while a chat is not open, and clears on opening', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    const msg = (id: string): Element => parseXml(`<message type='chat' to='alice@localhost' id='${id}'><body>${id}</body></message>`);
    await b.send(msg('u1'));
    await b.send(msg('u2'));
    expect(alice.view('bob@localhost').unread).toBe(2);
    expect(alice.unreadTotal).toBe(2);
    alice.open('bob@localhost');
    expect(alice.view('bob@localhost').unread).toBe(0);
    await b.send(msg('u3'));
    expect(alice.unreadTotal).toBe(0);
    alice.open('');
    await b.send(msg('u4'));
    await b.send(msg('u4'));  // the same id again: a duplicate, not a second unread message
    expect(alice.unreadTotal).toBe(1);
  });
});

describe('chat states (XEP-0085)', () => {
  it('sends states only once the contact has shown support, never the same twice, paused after a pause', async () => {
    vi.useFakeTimers();
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { pausedAfterMs: 5_000 });
    const bob = chat(b);
    alice.typing('bob@localhost', 'H');
    expect(statesFrom(a)).toEqual([]);  // support unknown: no standalone state yet
    await alice.send('bob@localhost', 'Hi');
    expect(child(a.sent.find((s) => child(s, 'body', CHAT_NS.client))!, 'active', CHAT_NS.chatStates)).toBeDefined();
    expect(bob.view('alice@localhost').theirState).toBe('active');
    await bob.send('alice@localhost', 'Hi yourself');  // bob's reply carries <active/>: alice may go on
    alice.typing('bob@localhost', 'H');
    alice.typing('bob@localhost', 'Ho');
    expect(statesFrom(a)).toEqual(['composing']);
    expect(bob.view('alice@localhost').theirState).toBe('composing');
    vi.advanceTimersByTime(5_000);
    expect(statesFrom(a)).toEqual(['composing', 'paused']);
    expect(bob.view('alice@localhost').theirState).toBe('paused');
    alice.typing('bob@localhost', '');
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'active']);
    alice.open('bob@localhost');
    alice.open('');
    expect(statesFrom(a)).toEqual(['composing', 'paused', 'active', 'inactive']);
    // A standalone state has nothing but the state element.
    expect(a.sent.filter((s) => !child(s, 'body', CHAT_NS.client) && s.name === 'message').every((s) => s.children.length === 1)).toBe(true);
  });

  it('stops sending states when the contact replies without one', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a);
    await alice.send('bob@localhost', 'Hi');
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='r1'><body>plain reply</body></message>`));
    alice.typing('bob@localhost', 'x');
    await alice.send('bob@localhost', 'again');
    expect(statesFrom(a)).toEqual([]);
    expect(child(a.sent.at(-1)!, 'active', CHAT_NS.chatStates)).toBeUndefined();
  });

  it('sends none when the user turned them off; a contact going offline clears their state', async () => {
    const { link, chat } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const alice = chat(a, { sendChatStates: false });
    alice.open('bob@localhost');  // a state alone opens no chat: alice has bob's open
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><composing xmlns='${CHAT_NS.chatStates}'/></message>`));
    expect(alice.view('bob@localhost').theirState).toBe('composing');
    alice.typing('bob@localhost', 'x');
    await alice.send('bob@localhost', 'hello');
    expect(statesFrom(a)).toEqual([]);
    expect(child(a.sent.at(-1)!, 'active', CHAT_NS.chatStates)).toBeUndefined();
    await b.send(parseXml(`<presence type='unavailable' to='alice@localhost'/>`));
    expect(alice.view('bob@localhost').theirState).toBeUndefined();
  });
});

/** A carbon as the server sends it: from our bare JID, the original message inside. */
function carbon(direction: 'sent' | 'received', inner: string, from = 'alice@localhost'): string {
  return `<message from='${from}' to='${ALICE}' type='chat'><${direction} xmlns='${CHAT_NS.carbons}'><forwarded xmlns='${CHAT_NS.forward}'>${inner}</forwarded></${direction}></message>`;
}

describe('carbons (XEP-0280)', () => {
  it('enables carbons where offered; shows copies of both directions; receipts follow', async () => {
    const { net, link, chat } = setUp();
    net.server.domainFeatures = [CHAT_NS.carbons];
    const a = link(ALICE);
    const alice = chat(a);
    await vi.waitFor(() => expect(alice.features.discovered).toBe(true));
    expect(alice.features.carbons).toBe(true);
    expect([...net.server.carbonsEnabled]).toEqual([ALICE]);
    // Bob wrote to alice's phone; alice/web gets the copy, and leaves the receipt to the phone.
    net.server.deliver(ALICE, carbon('received', `<message xmlns='jabber:client' from='${BOB}' to='alice@localhost/phone' type='chat' id='c1'><body>to your phone</body><request xmlns='urn:xmpp:receipts'/></message>`));
    expect(alice.view('bob@localhost').unread).toBe(1);
    // Alice answered from the phone: unread is gone here too.
    net.server.deliver(ALICE, carbon('sent', `<message xmlns='jabber:client' from='alice@localhost/phone' to='bob@localhost' type='chat' id='p1'><body>from my phone</body><request xmlns='urn:xmpp:receipts'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: to your phone', 'out sent: from my phone']);
    expect(alice.view('bob@localhost').unread).toBe(0);
    expect(receiptsFrom(a)).toEqual([]);
    // Bob's receipt went to the phone; its copy marks the message delivered here.
    net.server.deliver(ALICE, carbon('received', `<message xmlns='jabber:client' from='${BOB}' to='alice@localhost/phone'><received xmlns='urn:xmpp:receipts' id='p1'/></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: to your phone', 'out delivered: from my phone']);
  });

  it('ignores carbons from anyone but our own bare JID', async () => {
    const { net, link, chat } = setUp();
    net.server.domainFeatures = [CHAT_NS.carbons];
    const [a, m, phone] = [link(ALICE), link(MALLORY), link('alice@localhost/phone')];
    const alice = chat(a);
    const fromBob = `<message xmlns='jabber:client' from='${BOB}' to='${ALICE}' type='chat' id='f1'><body>forged</body></message>`;
    const fromAlice = `<message xmlns='jabber:client' from='${ALICE}' to='bob@localhost' type='chat' id='f2'><body>forged too</body></message>`;
    // Mallory's stanzas are stamped with her JID, whatever the copy inside claims.
    await m.send(parseXml(carbon('received', fromBob).replace(` from='alice@localhost'`, '')));
    await m.send(parseXml(carbon('sent', fromAlice).replace(` from='alice@localhost'`, '')));
    // Not even one of our own other resources may send a carbon: only the bare JID (the server).
    await phone.send(parseXml(carbon('received', fromBob).replace(` from='alice@localhost'`, '')));
    // From our bare JID, but a "sent" copy of a message that is not ours, or a "received" one that is.
    net.server.deliver(ALICE, carbon('sent', fromBob));
    net.server.deliver(ALICE, carbon('received', fromAlice));
    // XEP-0280 wants the bare JID on the wrapper: one with no from at all is not taken either.
    net.server.deliver(ALICE, carbon('received', fromBob).replace(` from='alice@localhost'`, ''));
    expect(alice.contacts).toEqual([]);
    expect(alice.unreadTotal).toBe(0);
  });

  it('does not ask for carbons when the server does not offer them', async () => {
    const { net, link, chat } = setUp();
    const a = link(ALICE);
    const alice = chat(a);
    await vi.waitFor(() => expect(alice.features.discovered).toBe(true));
    expect(alice.features.carbons).toBe(false);
    expect(a.sent.some((s) => child(s, 'enable', CHAT_NS.carbons))).toBe(false);
    expect(net.server.carbonsEnabled.size).toBe(0);
  });
});

describe('history (XEP-0313)', () => {
  const msg = (from: string, to: string, id: string, body: string, extra = ''): string =>
    `<message xmlns='jabber:client' from='${from}' to='${to}' type='chat' id='${id}'><body>${body}</body><origin-id xmlns='${CHAT_NS.sid}' id='${id}'/>${extra}</message>`;
  const at = (minute: number): string => `2024-01-01T10:0${minute}:00Z`;

  function withArchive(options: ChatOptions = {}): { net: ServerNetwork; a: FakeLink; b: FakeLink; alice: ChatController } {
    const { net, link, chat } = setUp();
    net.server.accountFeatures = [CHAT_NS.mam];
    net.server.archive.set('alice@localhost', [
      { id: 'A1', stamp: at(1), xml: msg(BOB, ALICE, 'b1', 'one') },
      { id: 'A2', stamp: at(2), xml: msg(ALICE, 'bob@localhost', 'a1', 'two') },
      { id: 'A3', stamp: at(3), xml: msg(BOB, ALICE, 'b2', 'three', `<request xmlns='${CHAT_NS.receipts}'/>`) },
      { id: 'X1', stamp: at(4), xml: msg('carol@localhost/r', ALICE, 'c1', 'not with bob') },
      { id: 'A4', stamp: at(5), xml: msg(ALICE, 'bob@localhost', 'a2', 'four') },
      { id: 'A5', stamp: at(6), xml: msg(BOB, ALICE, 'b3', 'five') },
    ]);
    const [a, b] = [link(ALICE), link(BOB)];
    return { net, a, b, alice: chat(a, { historyPageSize: 2, ...options }) };
  }

  it('loads the newest page on opening a chat, then older pages, in time order', async () => {
    const { net, a, alice } = withArchive();
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    alice.open('bob@localhost');
    await vi.waitFor(() => expect(lines(alice, 'bob@localhost')).toEqual(['out sent: four', 'in received: five']));
    const query = net.server.queries[0]!;
    expect(query.attrs.to).toBe('alice@localhost');
    expect(query.toString()).toContain('<field var="with"><value>bob@localhost</value></field>');
    expect(query.toString()).toContain('<before/>');
    expect(alice.view('bob@localhost').canLoadOlder).toBe(true);
    await alice.loadOlder('bob@localhost');
    expect(net.server.queries[1]!.toString()).toContain('<before>A4</before>');
    await alice.loadOlder('bob@localhost');
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: one', 'out sent: two', 'in received: three', 'out sent: four', 'in received: five']);
    expect(alice.view('bob@localhost').messages.every((m) => m.archived)).toBe(true);
    expect(alice.view('bob@localhost').messages[0]!.time).toBe(Date.parse(at(1)));
    expect(alice.view('bob@localhost').canLoadOlder).toBe(false);
    await alice.loadOlder('bob@localhost');
    expect(net.server.queries).toHaveLength(3);
    // History is not news: no unread count, no receipts for archived messages.
    expect(alice.unreadTotal).toBe(0);
    expect(receiptsFrom(a)).toEqual([]);
  });

  it('does not repeat a message it has already seen live (stanza-id, origin-id)', async () => {
    const { net, b, alice } = withArchive({ historyPageSize: 10 });
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    const sent = await alice.send('bob@localhost', 'live out');
    await b.send(parseXml(`<message type='chat' to='alice@localhost' id='b9'><body>live in</body><stanza-id xmlns='${CHAT_NS.sid}' by='alice@localhost' id='A7'/></message>`));
    const archive = net.server.archive.get('alice@localhost')!;
    archive.push({ id: 'A6', stamp: at(7), xml: msg(ALICE, 'bob@localhost', sent.id!, 'live out') });
    archive.push({ id: 'A7', stamp: at(8), xml: `<message xmlns='jabber:client' from='${BOB}' to='alice@localhost' type='chat'><body>live in</body></message>` });
    alice.open('bob@localhost');
    await vi.waitFor(() => expect(alice.view('bob@localhost').historyLoading).toBe(false));
    expect(lines(alice, 'bob@localhost').filter((l) => l.includes('live'))).toEqual(['out sent: live out', 'in received: live in']);
    expect(lines(alice, 'bob@localhost')).toHaveLength(7);
  });

  it('takes results only from our own account: a bare-JID from or none', async () => {
    const { net, link, chat } = setUp();
    const m = link(MALLORY);
    net.server.accountFeatures = [CHAT_NS.mam];
    net.server.archive.set('alice@localhost', [{ id: 'A1', stamp: at(1), xml: msg(BOB, ALICE, 'b1', 'one') }]);
    net.server.resultsFrom = () => 'mallory@localhost';
    const alice = chat(link(ALICE));
    await vi.waitFor(() => expect(alice.features.mam).toBe(true));
    // A result pushed by a stranger is not a live message either.
    await m.send(parseXml(`<message to='${ALICE}'><result xmlns='${CHAT_NS.mam}' queryid='q' id='Z'><forwarded xmlns='${CHAT_NS.forward}'>${msg(BOB, ALICE, 'z', 'forged')}</forwarded></result></message>`));
    expect(alice.contacts).toEqual([]);
    alice.open('bob@localhost');
    await vi.waitFor(() => expect(alice.view('bob@localhost').historyLoading).toBe(false));
    expect(lines(alice, 'bob@localhost')).toEqual([]);
    net.server.resultsFrom = () => undefined;
    const alice2 = chat(link('alice@localhost/tab2'));
    await vi.waitFor(() => expect(alice2.features.mam).toBe(true));
    alice2.open('bob@localhost');
    await vi.waitFor(() => expect(lines(alice2, 'bob@localhost')).toEqual(['in received: one']));
  });

  it('asks nothing of an archive the server does not offer', async () => {
    const { net, link, chat } = setUp();
    const alice = chat(link(ALICE));
    await vi.waitFor(() => expect(alice.features.discovered).toBe(true));
    alice.open('bob@localhost');
    expect(alice.view('bob@localhost').canLoadOlder).toBe(false);
    expect(net.server.queries).toEqual([]);
  });
});

describe('as a Lit reactive controller', () => {
  it('adds itself to its host, asks it to update on changes, and stops with it', async () => {
    const { link } = setUp();
    const [a, b] = [link(ALICE), link(BOB)];
    const controllersAdded: unknown[] = [];
    const host = { addController: (c: unknown) => controllersAdded.push(c), removeController: () => undefined, requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) };
    const alice = new ChatController(a, { host });
    expect(controllersAdded).toEqual([alice]);
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>before connect</body></message>`));
    expect(alice.contacts).toEqual([]);
    alice.hostConnected();
    const listener = vi.fn();
    const off = alice.subscribe(listener);
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>hello</body></message>`));
    expect(host.requestUpdate).toHaveBeenCalled();
    expect(listener).toHaveBeenCalled();
    off();
    alice.hostDisconnected();
    await b.send(parseXml(`<message type='chat' to='alice@localhost'><body>after</body></message>`));
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: hello']);
  });
});
