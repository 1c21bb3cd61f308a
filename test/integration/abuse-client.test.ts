// Strangers against the web client's controllers, through a real Prosody (issue 12 items 4-6): bob runs
// the client's connection, roster, call and chat controllers in Node (fake media, real XMPP); carol is his
// contact, mallory is not, and bob's own second device forges a roster push. What a stranger can make
// bob's client ring, say, or keep is checked on the wire and in the controllers.
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallController } from '../../client/controllers/call.ts';
import { ChatController } from '../../client/controllers/chat.ts';
import { ConnectionController } from '../../client/controllers/connection.ts';
import { RosterController } from '../../client/controllers/roster.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { x } from '../../client/xmpp/xml.ts';
import { NS, buildJmiMessage, sdpToJingle } from '../../schemas/index.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, installWebSocket, type TestClient } from '../harness/xmpp.ts';

let prosody: ProsodyServer;
let conn: ConnectionController;
let roster: RosterController;
let call: CallController;
let chat: ChatController;
let carol: TestClient;
let mallory: TestClient;
const clients: TestClient[] = [];

const login = async (user: string, resource?: string): Promise<TestClient> => {
  const c = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: user, password: `${user}-pw`, ...(resource ? { resource } : {}) });
  clients.push(c);
  return c;
};
const propose = (sid: string): Element => buildJmiMessage({ action: 'propose', id: sid, media: ['audio'] }, { to: 'bob@localhost', id: `p-${sid}`, receipt: true, store: true });
/** Everything bob's client sends to `who`, collected from the moment it is called. */
function collect(c: TestClient, from: string): Element[] {
  const seen: Element[] = [];
  c.xmpp.on('stanza', (s: Element) => { if (String(s.attrs.from ?? '').startsWith(from)) seen.push(s); });
  return seen;
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await installWebSocket();
  prosody = await startProsody({ users: { bob: 'bob-pw', carol: 'carol-pw', mallory: 'mallory-pw' } });
  // bob and carol are each other's contacts (pre-approval, then the request: both subscriptions at once).
  const [b0, c0] = await Promise.all([login('bob', 'setup'), login('carol', 'setup')]);
  for (const type of ['subscribed', 'subscribe']) {
    await b0.send(x('presence', { to: 'carol@localhost', type }));
    await c0.send(x('presence', { to: 'bob@localhost', type }));
  }
  await pause(300);
  await Promise.all([b0.stop(), c0.stop()]);

  conn = new ConnectionController(undefined, { loginTimeoutMs: 10_000 });
  roster = new RosterController(undefined, conn);
  call = new CallController(conn, { createMedia: (o) => new FakeMedia().create(o), peers: () => roster, componentDomain: 'none.localhost' });
  chat = new ChatController(conn, { isContact: (jid) => roster.contact(jid) !== undefined });
  await conn.login({ jid: 'bob@localhost/web', password: 'bob-pw', service: prosody.websocketUrl });
  await vi.waitFor(() => expect(roster.contact('carol@localhost')?.subscription).toBe('both'), { timeout: 10_000 });
  [carol, mallory] = await Promise.all([login('carol'), login('mallory')]);
  for (const c of [carol, mallory]) await c.send(x('presence'));
}, 120_000);

afterAll(async () => {
  call?.stop();
  chat?.stop();
  await conn?.logout().catch(() => undefined);
  for (const c of clients) await c.stop();
  await prosody?.stop();
});

describe('a stranger calls (item 4)', () => {
  it("mallory's proposal rings nothing and gets nothing back; carol's rings (the control)", async () => {
    const toMallory = collect(mallory, 'bob@localhost');
    await mallory.send(propose(`m-${Date.now()}`));
    await pause(1_500);
    expect(call.state).toBe('idle');
    expect(toMallory.map((s) => s.toString())).toEqual([]);

    const toCarol = collect(carol, 'bob@localhost');
    await carol.send(propose(`c-${Date.now()}`));
    await vi.waitFor(() => expect(call.state).toBe('ringing'), { timeout: 10_000 });
    // A contact gets the receipt and <ringing/> that reveal bob's full JID; that is the point of the control.
    await vi.waitFor(() => expect(toCarol.some((s) => s.attrs.from === conn.jid)).toBe(true), { timeout: 10_000 });
    call.decline();
    await vi.waitFor(() => expect(call.state).toBe('ended'), { timeout: 10_000 });
  });

  it("mallory's session-initiate to bob's full JID gets service-unavailable, as a resource without Jingle would", async () => {
    const offer = await new FakeMedia().create({ media: { audio: true, video: false }, iceServers: [] }).createOffer();
    const jingle = sdpToJingle(offer, { role: 'initiator', sid: `mi-${Date.now()}`, initiator: mallory.jid });
    const reply = await mallory.iq(x('iq', { type: 'set', to: conn.jid! }, jingle));
    expect(reply.attrs.type).toBe('error');
    expect(reply.getChild('error')?.getChild('service-unavailable', NS.stanzas)).toBeDefined();
    expect(call.state).not.toBe('ringing');
  });
});

describe("a roster push from another of bob's own devices (item 5)", () => {
  it('is refused, and mallory does not become a contact who may ring', async () => {
    const other = await login('bob', 'other');
    const forged = x('iq', { type: 'set', to: conn.jid! }, x('query', { xmlns: 'jabber:iq:roster' }, x('item', { jid: 'mallory@localhost', subscription: 'both' })));
    const reply = await other.iq(forged);
    expect(reply.attrs.type).toBe('error');
    expect(roster.contact('mallory@localhost')).toBeUndefined();
    const before = call.state;
    await mallory.send(propose(`m2-${Date.now()}`));
    await pause(1_000);
    expect(call.state).toBe(before);
    await other.stop();
  });
});

describe('what a stranger can make bob keep (item 6)', () => {
  it("mallory's directed presence is not stored; her messages are a request chat capped at 20", async () => {
    const stored = roster.stored.presences;
    await mallory.send(x('presence', { to: conn.jid! }, x('status', {}, 'look at me')));
    for (let i = 0; i < 40; i++) await mallory.send(x('message', { to: 'bob@localhost', type: 'chat', id: `spam-${i}` }, x('body', {}, `spam ${i}`)));
    await carol.send(x('message', { to: 'bob@localhost', type: 'chat', id: 'after' }, x('body', {}, 'from a contact')));
    // One sender's messages arrive in order: once her last is here, so are the others.
    await vi.waitFor(() => expect(chat.view('mallory@localhost').messages.at(-1)?.body).toBe('spam 39'), { timeout: 10_000 });
    await vi.waitFor(() => expect(chat.view('carol@localhost').messages.some((m) => m.body === 'from a contact')).toBe(true), { timeout: 10_000 });
    expect(roster.isOnline('mallory@localhost')).toBe(false);
    expect(roster.stored.presences).toBe(stored);
    const view = chat.view('mallory@localhost');
    expect(view.isRequest).toBe(true);
    expect(view.messages.length).toBeLessThanOrEqual(20);
    expect(chat.requests).toContain('mallory@localhost');
    expect(chat.unreadTotal).toBe(chat.view('carol@localhost').unread);
  });
});
