// The roster controller as transcripts: "alice's client sends ..., the server answers ...", on a
// FakeLink whose server side the test plays (RFC 6121 roster get/set/push, presence, subscriptions).
import { describe, expect, it } from 'vitest';
import type { Element } from 'ltx';
import { MAX_REQUESTS, MAX_RESOURCES, RosterController, RosterError } from '../../client/controllers/roster.ts';
import { FakeLink, FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { IqFailure } from '../../client/xmpp/link.ts';
import { CLIENT_NS } from '../../client/xmpp/ns.ts';
import { x } from '../../client/xmpp/xml.ts';
import { serializeXml } from '../../schemas/index.ts';

const ME = 'alice@localhost/web';
const tick = (): Promise<void> => new Promise((ok) => setTimeout(ok, 0));

/** Alice's link with no network: what she sends is recorded, the test delivers what the server says. */
function setup(status: 'online' | 'offline' = 'offline') {
  const link = new FakeLink(undefined, ME);
  link.status = status;
  const roster = new RosterController(undefined, link);
  let changes = 0;
  roster.onChange(() => { changes++; });
  const out = (): string[] => link.sent.splice(0).map((s) => serializeXml(s).replace(/ id="[^"]*"/, '').replace(` from="${ME}"`, ''));
  const lastId = (): string => String(link.sent.at(-1)?.attrs.id);
  const item = (jid: string, attrs: Record<string, string> = {}, ...groups: string[]): Element =>
    x('item', { jid, ...attrs }, ...groups.map((g) => x('group', {}, g)));
  const rosterResult = (id: string, ...items: Element[]): Element => x('iq', { type: 'result', id }, x('query', { xmlns: CLIENT_NS.roster }, ...items));
  const push = (from: string | undefined, ...items: Element[]): Element =>
    x('iq', { type: 'set', id: 'push1', from }, x('query', { xmlns: CLIENT_NS.roster }, ...items));
  return { link, roster, out, lastId, item, rosterResult, push, changes: () => changes };
}

describe('roster controller', () => {
  it('fetches the roster when the link comes online and sorts contacts', async () => {
    const t = setup();
    t.link.setStatus('online');
    const id = t.lastId();
    expect(t.out()).toEqual(['<iq type="get"><query xmlns="jabber:iq:roster"/></iq>']);
    t.link.deliver(t.rosterResult('not-ours', t.item('zed@localhost')));
    expect(t.roster.contacts).toEqual([]);
    t.link.deliver(t.rosterResult(id, t.item('zed@localhost'), t.item('amy@localhost', { name: 'Zoe' }), t.item('bea@localhost')));
    await t.roster.ready;
    expect(t.roster.contacts.map((c) => c.jid)).toEqual(['bea@localhost', 'zed@localhost', 'amy@localhost']);
  });

  it('reads items, answers pushes from its own account only, and removes', async () => {
    const t = setup();
    t.link.setStatus('online');
    const id = t.lastId();
    t.link.deliver(t.rosterResult(id,
      t.item('carol@localhost', { subscription: 'both', name: 'Carol' }, 'Friends'),
      t.item('bob@localhost', { subscription: 'to', ask: 'subscribe' })));
    await t.roster.ready;
    expect(t.roster.contacts).toEqual([
      { jid: 'bob@localhost', name: undefined, subscription: 'to', pending: true, groups: [] },
      { jid: 'carol@localhost', name: 'Carol', subscription: 'both', pending: false, groups: ['Friends'] },
    ]);
    t.out();

    // A push from the account: applied and acknowledged.
    t.link.deliver(t.push(undefined, t.item('dave@localhost', { subscription: 'none' })));
    await tick();
    expect(t.out()).toEqual(['<iq type="result"/>']);
    expect(t.roster.contact('dave@localhost')?.subscription).toBe('none');

    // A push from someone else is refused (RFC 6121 2.1.6) and changes nothing.
    t.link.deliver(t.push('mallory@evil.example', t.item('mallory@evil.example', { subscription: 'both' })));
    await tick();
    expect(t.out()[0]).toContain('<service-unavailable');
    expect(t.roster.contact('mallory@evil.example')).toBeUndefined();

    // Nor from another resource of our own account: only the server (no from, or our bare JID) pushes.
    t.link.deliver(t.push('alice@localhost/other-client', t.item('mallory@evil.example', { subscription: 'both' })));
    await tick();
    expect(t.out()[0]).toContain('<service-unavailable');
    expect(t.roster.contact('mallory@evil.example')).toBeUndefined();

    t.link.deliver(t.push('alice@localhost', t.item('dave@localhost', { subscription: 'remove' })));
    await tick();
    expect(t.roster.contact('dave@localhost')).toBeUndefined();
  });

  it('adds a contact: roster set, then subscribe', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId()));
    await t.roster.ready;
    t.out();
    const adding = t.roster.add('Bob@Localhost', 'Bob');
    const id = t.lastId();
    expect(t.out()).toEqual(['<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@localhost" name="Bob"/></query></iq>']);
    t.link.deliver(x('iq', { type: 'result', id }));
    await adding;
    expect(t.out()).toEqual(['<presence to="bob@localhost" type="subscribe"/>']);

    await expect(t.roster.add('bob@localhost/phone')).rejects.toBeInstanceOf(RosterError);
    await expect(t.roster.add('alice@localhost')).rejects.toThrow(/your own address/);
    await expect(t.roster.add('not a jid@x')).rejects.toBeInstanceOf(RosterError);
  });

  it('reports a failed roster set and does not subscribe', async () => {
    const t = setup('online');
    t.out();
    const adding = t.roster.add('bob@localhost');
    t.link.deliver(x('iq', { type: 'error', id: t.lastId() }, x('error', { type: 'cancel' }, x('not-allowed', { xmlns: CLIENT_NS.stanzas }))));
    await expect(adding).rejects.toBeInstanceOf(IqFailure);
    expect(t.roster.error).toMatch(/not-allowed/);
    expect(t.out().filter((s) => s.startsWith('<presence'))).toEqual([]);
  });

  it('keeps presence per resource with caps, and the best show', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId(), t.item('bob@localhost', { subscription: 'both' })));
    await t.roster.ready;
    t.link.deliver(x('presence', { from: 'bob@localhost/phone' }, x('show', {}, 'away'), x('priority', {}, '5'),
      x('c', { xmlns: CLIENT_NS.caps, hash: 'sha-1', node: 'https://conversations.im', ver: 'abc=' })));
    t.link.deliver(x('presence', { from: 'bob@localhost/laptop' }, x('priority', {}, '10')));
    expect(t.roster.isOnline('bob@localhost')).toBe(true);
    expect(t.roster.show('bob@localhost')).toBe('available');
    expect(t.roster.resources('bob@localhost').map((r) => [r.resource, r.show, r.priority, r.caps?.ver])).toEqual([
      ['laptop', 'available', 10, undefined], ['phone', 'away', 5, 'abc='],
    ]);
    t.link.deliver(x('presence', { from: 'bob@localhost/laptop', type: 'unavailable' }));
    expect(t.roster.show('bob@localhost')).toBe('away');
    t.link.deliver(x('presence', { from: 'bob@localhost/phone', type: 'unavailable' }));
    expect(t.roster.show('bob@localhost')).toBe('offline');
    // Our own other devices are not contacts, but they are known.
    t.link.deliver(x('presence', { from: 'alice@localhost/phone' }));
    expect(t.roster.isOnline('alice@localhost')).toBe(false);
    expect(t.roster.ownDevices().map((r) => r.jid)).toEqual(['alice@localhost/phone']);
    // A new session starts with nobody online.
    t.link.deliver(x('presence', { from: 'bob@localhost/phone' }));
    t.link.setStatus('reconnecting');
    expect(t.roster.isOnline('bob@localhost')).toBe(false);
    expect(t.changes()).toBeGreaterThan(4);
  });

  it('lists subscription requests; accept approves and subscribes back, refuse denies', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId()));
    await t.roster.ready;
    t.out();
    t.link.deliver(x('presence', { from: 'bob@localhost', type: 'subscribe' }));
    t.link.deliver(x('presence', { from: 'bob@localhost', type: 'subscribe' }));
    t.link.deliver(x('presence', { from: 'eve@localhost', type: 'subscribe' }));
    expect(t.roster.requests).toEqual(['bob@localhost', 'eve@localhost']);
    await t.roster.accept('bob@localhost');
    expect(t.out()).toEqual(['<presence to="bob@localhost" type="subscribed"/>', '<presence to="bob@localhost" type="subscribe"/>']);
    await t.roster.refuse('eve@localhost');
    expect(t.out()).toEqual(['<presence to="eve@localhost" type="unsubscribed"/>']);
    expect(t.roster.requests).toEqual([]);
    // A request withdrawn before we answer disappears.
    t.link.deliver(x('presence', { from: 'zoe@localhost', type: 'subscribe' }));
    t.link.deliver(x('presence', { from: 'zoe@localhost', type: 'unsubscribe' }));
    expect(t.roster.requests).toEqual([]);
  });

  it('approves at once a request from a contact we asked first', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId(), t.item('bob@localhost', { subscription: 'to' })));
    await t.roster.ready;
    t.out();
    t.link.deliver(x('presence', { from: 'bob@localhost', type: 'subscribe' }));
    await tick();
    expect(t.out()).toEqual(['<presence to="bob@localhost" type="subscribed"/>']);
    expect(t.roster.requests).toEqual([]);
  });

  it('removes a contact with a roster set of subscription="remove"', async () => {
    const t = setup('online');
    t.out();
    const removing = t.roster.remove('bob@localhost');
    const id = t.lastId();
    expect(t.out()).toEqual(['<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@localhost" subscription="remove"/></query></iq>']);
    t.link.deliver(x('iq', { type: 'result', id }));
    await removing;
  });

  it('answers roster pushes through the one iq router of a networked link', async () => {
    const net = new FakeNetwork();
    const alice = net.link(ME);
    const server = net.link('localhost/server');
    const roster = new RosterController(undefined, alice);
    // FakeNetwork stamps the sender's full JID, so this push is not from alice's account: refused.
    const refused = await server.request(x('iq', { type: 'set', to: ME },
      x('query', { xmlns: CLIENT_NS.roster }, x('item', { jid: 'bob@localhost', subscription: 'both' })))).catch((e: unknown) => e);
    expect((refused as IqFailure).condition).toBe('service-unavailable');
    expect(roster.contact('bob@localhost')).toBeUndefined();
    // And an iq no controller handles gets service-unavailable too.
    const other = await server.request(x('iq', { type: 'get', to: ME }, x('query', { xmlns: 'urn:x' }))).catch((e: unknown) => e);
    expect((other as IqFailure).condition).toBe('service-unavailable');
  });

  it('keeps presence of roster contacts and our own devices only; requests are capped (issue 12 item 6)', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId(), t.item('bob@localhost', { subscription: 'both' })));
    await t.roster.ready;
    t.link.deliver(x('presence', { from: 'bob@localhost/phone' }));
    t.link.deliver(x('presence', { from: ME }));  // our own presence, reflected: not another device
    for (let i = 0; i < 10_000; i++) {
      t.link.deliver(x('presence', { from: `stranger${i}@evil.example/r${i}` }, x('show', {}, 'chat'), x('status', {}, 'x'.repeat(100))));
      t.link.deliver(x('presence', { from: `stranger${i}@evil.example`, type: 'subscribe' }));
    }
    expect(t.roster.stored).toEqual({ presences: 1, ownDevices: 0, requests: MAX_REQUESTS });
    expect(t.roster.isOnline('stranger1@evil.example')).toBe(false);
    // The newest requests are the ones kept.
    expect(t.roster.requests.at(-1)).toBe('stranger9999@evil.example');
    // A contact that is removed takes its presence with it; one that is added starts to count.
    t.link.deliver(t.push(undefined, t.item('bob@localhost', { subscription: 'remove' })));
    t.link.deliver(t.push(undefined, t.item('stranger5@evil.example', { subscription: 'both' })));
    t.link.deliver(x('presence', { from: 'stranger5@evil.example/r5' }));
    expect(t.roster.stored.presences).toBe(1);
    expect(t.roster.isOnline('stranger5@evil.example')).toBe(true);
    // Even a contact (or another client of our own account) cannot make us keep endless resources.
    for (let i = 0; i < 1_000; i++) {
      t.link.deliver(x('presence', { from: `stranger5@evil.example/many${i}` }));
      t.link.deliver(x('presence', { from: `alice@localhost/many${i}` }));
    }
    expect(t.roster.stored).toMatchObject({ presences: MAX_RESOURCES, ownDevices: MAX_RESOURCES });
  });

  it('tells whether a call can ring a contact: online with devices, offline, or unknown with a reason', async () => {
    const t = setup('online');
    t.link.deliver(t.rosterResult(t.lastId(),
      t.item('bob@localhost', { subscription: 'both' }),
      t.item('carol@localhost', { subscription: 'to' }),
      t.item('dave@localhost', { subscription: 'none', ask: 'subscribe' }),
      t.item('erin@localhost', { subscription: 'from' })));
    await t.roster.ready;
    t.link.deliver(x('presence', { from: 'bob@localhost/phone' }, x('priority', {}, '1')));
    t.link.deliver(x('presence', { from: 'bob@localhost/laptop' }, x('priority', {}, '5')));
    const r = (jid: string): [string, string[], string | undefined] => {
      const got = t.roster.reachability(jid);
      return [got.state, got.resources.map((p) => p.resource), got.reason];
    };
    expect(r('bob@localhost/any')).toEqual(['online', ['laptop', 'phone'], undefined]);
    expect(r('carol@localhost')).toEqual(['offline', [], 'offline']);
    expect(r('dave@localhost')).toEqual(['unknown', [], 'waiting for them to share their presence']);
    expect(r('erin@localhost')).toEqual(['unknown', [], 'they do not share their presence with you']);
    expect(r('zed@localhost')).toEqual(['unknown', [], 'not in your contacts']);
    t.link.setStatus('reconnecting');
    expect(r('bob@localhost')).toEqual(['unknown', [], 'not connected']);
  });
});
