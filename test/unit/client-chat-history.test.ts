// The chat controller's use of the server over a FakeNetwork, as transcripts: carbons (XEP-0280) and
// history (XEP-0313), each accepted only from our own account.
import { describe, expect, it, vi } from 'vitest';
import { parseXml } from '../../schemas/xml-text.ts';
import { FakeNetwork, type FakeLink } from '../../client/xmpp/fake-link.ts';
import { ChatController, type ChatOptions } from '../../client/controllers/chat.ts';
import { CHAT_NS, child } from '../../client/controllers/chat-stanzas.ts';

import { ALICE, BOB, MALLORY, ServerNetwork, setUp, lines, receiptsFrom, historyQueries } from './client-chat.fixture.ts';

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
    const query = historyQueries(net)[0]!;
    expect(query.attrs.to).toBe('alice@localhost');
    expect(query.toString()).toContain('<field var="with"><value>bob@localhost</value></field>');
    expect(query.toString()).toContain('<before/>');
    expect(alice.view('bob@localhost').canLoadOlder).toBe(true);
    await alice.loadOlder('bob@localhost');
    expect(historyQueries(net)[1]!.toString()).toContain('<before>A4</before>');
    await alice.loadOlder('bob@localhost');
    expect(lines(alice, 'bob@localhost')).toEqual(['in received: one', 'out sent: two', 'in received: three', 'out sent: four', 'in received: five']);
    expect(alice.view('bob@localhost').messages.every((m) => m.archived)).toBe(true);
    expect(alice.view('bob@localhost').messages[0]!.time).toBe(Date.parse(at(1)));
    expect(alice.view('bob@localhost').canLoadOlder).toBe(false);
    await alice.loadOlder('bob@localhost');
    expect(historyQueries(net)).toHaveLength(3);
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

