// The web client's connection controller against a real Prosody, in Node with the real @xmpp/client:
// login (SCRAM), typed errors, caps and disco, the iq router, roster, reconnect after a server restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from 'ltx';
import { client } from '@xmpp/client';
import { ConnectionController, ConnectionError } from '../../client/controllers/connection.ts';
import { RosterController } from '../../client/controllers/roster.ts';
import { capsOf } from '../../client/xmpp/caps.ts';
import { CLIENT_NS } from '../../client/xmpp/ns.ts';
import { x } from '../../client/xmpp/xml.ts';
import { freePort } from '../harness/ports.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, installWebSocket, type TestClient } from '../harness/xmpp.ts';

let prosody: ProsodyServer;
const open: ConnectionController[] = [];
const observers: TestClient[] = [];

function connection(): ConnectionController {
  const c = new ConnectionController(undefined, { reconnect: { initialMs: 200, maxMs: 1_000 }, loginTimeoutMs: 10_000 });
  open.push(c);
  return c;
}

function waitStatus(c: ConnectionController, status: string, ms = 20_000): Promise<void> {
  if (c.status === status) return Promise.resolve();
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { off(); fail(new Error(`not ${status} within ${ms} ms (is ${c.status})`)); }, ms);
    const off = c.onStatus((s) => { if (s === status) { clearTimeout(timer); off(); ok(); } });
  });
}

beforeAll(async () => {
  await installWebSocket();
  prosody = await startProsody({ users: { alice: 'alice-pw', bob: 'bob-pw' } });
});

afterAll(async () => {
  for (const c of open) await c.logout().catch(() => undefined);
  for (const o of observers) await o.stop();
  await prosody?.stop();
});

describe('connection controller against Prosody', () => {
  it('logs in with SCRAM, goes online with a full JID and announces caps to its own account', async () => {
    const observer = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: 'alice', password: 'alice-pw' });
    observers.push(observer);
    await observer.send(x('presence'));
    const mechanisms: string[] = [];
    const c = new ConnectionController(undefined, {
      createClient: (options) => {
        const entity = client(options);
        entity.on('send', (el) => { if (el.name === 'auth') mechanisms.push(String(el.attrs.mechanism)); });
        return entity;
      },
    });
    open.push(c);
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    const presence = observer.nextStanza((s) => s.name === 'presence' && String(s.attrs.from).includes('alice@localhost/') && s.attrs.from !== observer.jid);
    await c.login({ jid: 'alice@localhost', password: 'alice-pw', service: prosody.websocketUrl });
    expect(c.status).toBe('online');
    expect(c.jid).toMatch(/^alice@localhost\/.+/);
    expect(statuses).toEqual(['connecting', 'online']);
    const caps = capsOf(await presence);
    expect(caps?.ver).toBe(await c.caps.ver());
    expect(mechanisms).toEqual(['SCRAM-SHA-1']);
  });

  it('answers disco#info for its caps node and service-unavailable for an iq nobody handles', async () => {
    const c = connection();
    await c.login({ jid: 'bob@localhost', password: 'bob-pw', service: prosody.websocketUrl });
    const observer = await connectClient({ service: prosody.websocketUrl, domain: 'localhost', username: 'alice', password: 'alice-pw' });
    observers.push(observer);
    const info = await observer.iq(x('iq', { type: 'get', to: c.jid }, x('query', { xmlns: CLIENT_NS.discoInfo, node: `${c.caps.node}#${await c.caps.ver()}` })));
    expect(info.attrs.type).toBe('result');
    const features = info.getChild('query')?.getChildren('feature').map((f: Element) => f.attrs.var);
    expect(features).toContain('urn:xmpp:jingle:1');
    const unknown = await observer.iq(x('iq', { type: 'get', to: c.jid }, x('query', { xmlns: 'urn:example:nothing' })));
    expect(unknown.attrs.type).toBe('error');
    expect(unknown.getChild('error')?.getChild('service-unavailable')).toBeDefined();
    c.iq.set('urn:example:echo', 'echo', ({ element }) => x('echo', { xmlns: 'urn:example:echo' }, element.getText()));
    const echoed = await observer.iq(x('iq', { type: 'set', to: c.jid }, x('echo', { xmlns: 'urn:example:echo' }, 'hi')));
    expect(echoed.attrs.type).toBe('result');
    expect(echoed.getChild('echo')?.getText()).toBe('hi');
  });

  it('rejects a wrong password with not-authorized and stays offline', async () => {
    const c = connection();
    const err = await c.login({ jid: 'alice@localhost', password: 'wrong', service: prosody.websocketUrl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('not-authorized');
    expect(c.status).toBe('offline');
    expect(c.error?.code).toBe('not-authorized');
  });

  it('reports an unreachable server and a bad JID', async () => {
    const c = connection();
    const port = await freePort();
    const unreachable = await c.login({ jid: 'alice@localhost', password: 'x', service: `ws://127.0.0.1:${port}/xmpp-websocket` }).catch((e: unknown) => e);
    expect((unreachable as ConnectionError).code).toBe('unreachable');
    const bad = await c.login({ jid: 'no-at-sign', password: 'x', service: prosody.websocketUrl }).catch((e: unknown) => e);
    expect((bad as ConnectionError).code).toBe('bad-jid');
    expect(c.status).toBe('offline');
  });

  it('fetches the roster and reconnects after the server restarts', async () => {
    const c = connection();
    const roster = new RosterController(undefined, c);
    await c.login({ jid: 'alice@localhost', password: 'alice-pw', service: prosody.websocketUrl });
    await roster.add('bob@localhost');
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    await prosody.restart();
    await waitStatus(c, 'online', 30_000);
    expect(statuses[0]).toBe('reconnecting');
    expect(statuses.at(-1)).toBe('online');
    await roster.ready;
    expect(roster.contacts.map((k) => k.jid)).toContain('bob@localhost');
    // The new session works: a round trip to the server.
    const ping = await c.request(x('iq', { type: 'get', to: 'localhost' }, x('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(ping.attrs.type).toBe('result');
  });
});
