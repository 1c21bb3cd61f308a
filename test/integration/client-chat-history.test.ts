// The chat controller against a real Prosody (mod_mam, mod_carbons): a call nobody answered while we
// were offline is a missed call at the next login (the archive since the last visit, no `with`), and
// delivery ticks come back from the archive after a reload (issue 11 B4, C4).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionController } from '../../client/controllers/connection.ts';
import { ChatController, describeCall } from '../../client/controllers/chat.ts';
import type { SeenStorage } from '../../client/controllers/chat-missed.ts';
import { x } from '../../client/xmpp/xml.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, installWebSocket, type TestClient } from '../harness/xmpp.ts';

const JMI = 'urn:xmpp:jingle-message:0';
const SEEN_KEY = 'jingle-gateway:last-seen:alice@localhost';

let prosody: ProsodyServer;
const connections: ConnectionController[] = [];
const chats: ChatController[] = [];
const clients: TestClient[] = [];

class MemoryStorage implements SeenStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
}

beforeAll(async () => {
  await installWebSocket();
  prosody = await startProsody({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
});

afterAll(async () => {
  for (const c of chats) c.stop();
  for (const c of connections) await c.logout().catch(() => undefined);
  for (const c of clients) await c.stop();
  await prosody?.stop();
});

/** Alice logs in, as after a reload: a new connection and a new chat controller. */
async function aliceLogsIn(storage: SeenStorage): Promise<{ conn: ConnectionController; chat: ChatController }> {
  const conn = new ConnectionController(undefined, { loginTimeoutMs: 10_000 });
  connections.push(conn);
  await conn.login({ jid: 'alice@localhost', password: 'alice-pw', service: prosody.websocketUrl });
  const chat = new ChatController(conn, { storage });
  chats.push(chat);
  return { conn, chat };
}

async function bob(): Promise<TestClient> {
  const b = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: 'bob', password: 'bob-pw' });
  clients.push(b);
  await b.send(x('presence'));
  return b;
}

describe('chat history against Prosody', () => {
  it('a call that rang while alice was offline is a missed call at her next login, once', async () => {
    const storage = new MemoryStorage();
    storage.setItem(SEEN_KEY, String(Date.now() - 3_600_000));
    const b = await bob();
    const sid = `missed-${Date.now()}`;
    const jmi = (action: string, child?: ReturnType<typeof x>): ReturnType<typeof x> => x('message', { to: 'alice@localhost', type: 'chat', id: `${action}-${sid}` },
      x(action, { xmlns: JMI, id: sid }, ...(child ? [child] : [])), x('store', { xmlns: 'urn:xmpp:hints' }));
    await b.send(jmi('propose', x('description', { xmlns: 'urn:xmpp:jingle:apps:rtp:1', media: 'video' })));
    await b.send(jmi('retract', x('reason', { xmlns: 'urn:xmpp:jingle:1' }, x('cancel', {}))));

    const first = await aliceLogsIn(storage);
    await vi.waitFor(() => expect(first.chat.missedCalls).toHaveLength(1), { timeout: 15_000, interval: 100 });
    expect(first.chat.missedCalls[0]).toMatchObject({ contact: 'bob@localhost', sid, media: 'video' });
    const entries = first.chat.view('bob@localhost').messages.filter((m) => m.call);
    expect(entries.map((m) => describeCall(m.call!))).toEqual(['Missed video call']);
    await vi.waitFor(() => expect(Number(storage.getItem(SEEN_KEY))).toBeGreaterThan(Date.now() - 60_000), { timeout: 10_000 });
    first.chat.dismissMissedCalls();
    first.chat.stop();
    await first.conn.logout();
    const leftAt = Number(storage.getItem(SEEN_KEY));

    // The next visit starts from the last one: the same call is not news again. Its catch-up is over when
    // it writes the time seen.
    await new Promise((ok) => setTimeout(ok, 5));
    const second = await aliceLogsIn(storage);
    await vi.waitFor(() => expect(Number(storage.getItem(SEEN_KEY))).toBeGreaterThan(leftAt), { timeout: 15_000, interval: 50 });
    expect(second.chat.features.mam).toBe(true);
    expect(second.chat.view('bob@localhost').messages.filter((m) => m.call)).toHaveLength(1);
    expect(second.chat.missedCalls).toEqual([]);
    second.chat.stop();
    await second.conn.logout();
  });

  it('delivery ticks survive a reload: the receipt comes back from the archive', async () => {
    const storage = new MemoryStorage();
    const b = await bob();
    const { conn, chat } = await aliceLogsIn(storage);
    await vi.waitFor(() => expect(chat.features.mam).toBe(true), { timeout: 10_000 });
    const arrived = b.nextStanza((s) => s.name === 'message' && s.getChild('body') !== undefined, 10_000);
    const sent = await chat.send('bob@localhost', 'did you get this?');
    const got = await arrived;
    await b.send(x('message', { to: String(got.attrs.from), type: 'chat' }, x('received', { xmlns: 'urn:xmpp:receipts', id: sent.id! })));
    await vi.waitFor(() => expect(chat.view('bob@localhost').messages.filter((m) => !m.call).map((m) => m.state)).toEqual(['delivered']), { timeout: 10_000 });
    chat.stop();
    await conn.logout();

    const reloaded = await aliceLogsIn(storage);
    await vi.waitFor(() => expect(reloaded.chat.features.mam).toBe(true), { timeout: 10_000 });
    reloaded.chat.open('bob@localhost');
    await vi.waitFor(() => {
      const texts = reloaded.chat.view('bob@localhost').messages.filter((m) => !m.call);
      expect(texts.map((m) => `${m.state}: ${m.body}`)).toEqual(['delivered: did you get this?']);
    }, { timeout: 10_000, interval: 100 });
  });
});
