// The connection controller and its pieces without a server: caps (XEP-0115), our disco#info, the iq
// router over FakeNetwork, host-meta (XEP-0156), JIDs, error codes, and the controller itself over a
// fake @xmpp/client entity (login, presence order, iq routing, reconnect with backoff, logout).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Element } from 'ltx';
import type { Client } from '@xmpp/client';
import { ConnectionController, ConnectionError } from '../../client/controllers/connection.ts';
import { classifyError } from '../../client/controllers/connection-error.ts';
import { CLIENT_FEATURES, capsOf, capsString, capsVer } from '../../client/xmpp/caps.ts';
import { CapsCache } from '../../client/xmpp/caps-cache.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { discoverWebsocket, lookupWebsocket, pageOriginFor, websocketUrls, type FetchLike } from '../../client/xmpp/host-meta.ts';
import { iqRouter, StanzaError } from '../../client/xmpp/iq-router.ts';
import { bareJid, parseAccountJid, parseJid } from '../../client/xmpp/jid.ts';
import { IqFailure } from '../../client/xmpp/link.ts';
import { CLIENT_NS } from '../../client/xmpp/ns.ts';
import { OwnCaps } from '../../client/xmpp/own-caps.ts';
import { x } from '../../client/xmpp/xml.ts';
import { serializeXml } from '../../schemas/index.ts';

describe('XEP-0115 caps', () => {
  it('computes the ver of XEP-0115 example 5.2 (Exodus)', async () => {
    const info = {
      identities: [{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }],
      features: ['http://jabber.org/protocol/caps', 'http://jabber.org/protocol/disco#info',
        'http://jabber.org/protocol/disco#items', 'http://jabber.org/protocol/muc'],
    };
    expect(capsString(info)).toBe('client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<'
      + 'http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<');
    expect(await capsVer(info)).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('announces what native clients look for before offering a call', () => {
    for (const f of ['urn:xmpp:jingle:1', 'urn:xmpp:jingle:transports:ice-udp:1', 'urn:xmpp:jingle:apps:rtp:1',
      'urn:xmpp:jingle:apps:dtls:0', 'urn:xmpp:jingle:apps:rtp:audio', 'urn:xmpp:jingle:apps:rtp:video',
      'urn:xmpp:jingle-message:0', 'urn:xmpp:jingle:apps:grouping:0', CLIENT_NS.discoInfo, CLIENT_NS.caps,
      'urn:xmpp:receipts', 'http://jabber.org/protocol/chatstates', 'urn:xmpp:carbons:2', 'urn:xmpp:mam:2']) {
      expect(CLIENT_FEATURES).toContain(f);
    }
  });

  it('puts its caps in presence and answers disco#info for its node over the network', async () => {
    const net = new FakeNetwork();
    const alice = net.link('alice@localhost/web');
    const bob = net.link('bob@localhost/phone');
    const caps = new OwnCaps();
    caps.serve(iqRouter(alice));
    const presence = await caps.presence();
    const c = capsOf(presence);
    expect(c).toEqual({ node: caps.node, ver: await caps.ver(), hash: 'sha-1' });

    // Bob's side: the cache asks once, verifies the hash, and answers for any resource with that ver.
    const cache = new CapsCache(bob);
    expect(await cache.supports('alice@localhost/web', 'urn:xmpp:jingle:1', c)).toBe(true);
    expect(await cache.supports('alice@localhost/other', 'urn:xmpp:jingle:apps:rtp:video', c)).toBe(true);
    expect(bob.sent.filter((s) => s.name === 'iq')).toHaveLength(1);

    const wrongNode = await bob.request(x('iq', { type: 'get', to: 'alice@localhost/web' },
      x('query', { xmlns: CLIENT_NS.discoInfo, node: `${caps.node}#nope` }))).catch((e: unknown) => e);
    expect((wrongNode as IqFailure).condition).toBe('item-not-found');
  });
});

describe('iq router', () => {
  it('answers by handler result, and service-unavailable when no one handles', async () => {
    const net = new FakeNetwork();
    const alice = net.link('alice@localhost/web');
    const bob = net.link('bob@localhost/phone');
    const router = iqRouter(alice);
    expect(iqRouter(alice)).toBe(router);
    router.set('urn:x', 'empty', () => true);
    router.get('urn:x', 'payload', ({ element, from }) => x('payload', { xmlns: 'urn:x', from }, element.getText()));
    router.set('urn:x', 'refuse', () => { throw new StanzaError('not-acceptable', 'modify'); });
    router.onError = () => undefined;
    router.set('urn:x', 'crash', () => { throw new Error('bug'); });
    expect(() => router.set('urn:x', 'empty', () => true)).toThrow(/has a handler/);

    const ask = (type: string, name: string, text = ''): Promise<Element> =>
      bob.request(x('iq', { type, to: 'alice@localhost/web' }, x(name, { xmlns: 'urn:x' }, text)), 1_000);
    const empty = await ask('set', 'empty');
    expect(empty.children).toHaveLength(0);
    const payload = await ask('get', 'payload', 'hi');
    expect(serializeXml(payload.getChild('payload') as Element)).toBe('<payload xmlns="urn:x" from="bob@localhost/phone">hi</payload>');
    expect((await ask('set', 'refuse').catch((e: IqFailure) => e) as IqFailure).condition).toBe('not-acceptable');
    expect((await ask('set', 'crash').catch((e: IqFailure) => e) as IqFailure).condition).toBe('internal-server-error');
    expect((await ask('get', 'empty').catch((e: IqFailure) => e) as IqFailure).condition).toBe('service-unavailable');
    expect((await ask('set', 'nobody').catch((e: IqFailure) => e) as IqFailure).condition).toBe('service-unavailable');
  });
});

describe('XEP-0156 host-meta', () => {
  const xrd = `<?xml version='1.0' encoding='utf-8'?>
<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
  <!-- comment -->
  <Link rel="urn:xmpp:alt-connections:xbosh" href="https://example.com/http-bind"/>
  <Link rel="urn:xmpp:alt-connections:websocket" href="wss://example.com/xmpp-websocket"/>
</XRD>`;
  const jrd = JSON.stringify({ links: [{ rel: 'urn:xmpp:alt-connections:websocket', href: 'ws://example.com/ws' },
    { rel: 'urn:xmpp:alt-connections:websocket', href: 'javascript:alert(1)' }] });

  it('reads WebSocket links from XRD and JRD', () => {
    expect(websocketUrls(xrd)).toEqual(['wss://example.com/xmpp-websocket']);
    expect(websocketUrls(jrd)).toEqual(['ws://example.com/ws']);
  });

  it('prefers wss://, and gives up after the timeout', async () => {
    const fetch: FetchLike = async (url) => ({ ok: true, status: 200, text: async () => (url.endsWith('.json') ? jrd : xrd) });
    expect(await discoverWebsocket('example.com', { fetch })).toBe('wss://example.com/xmpp-websocket');
    const hang: FetchLike = (_url, init) => new Promise((_ok, fail) => init.signal.addEventListener('abort', () => fail(new Error('aborted'))));
    expect(await discoverWebsocket('example.com', { fetch: hang, timeoutMs: 20 })).toBeUndefined();
  });

  it('falls back to the page origin when the domain has no host-meta', async () => {
    const asked: string[] = [];
    const fetch: FetchLike = async (url) => {
      asked.push(url);
      const ok = url.startsWith('http://localhost:8080/') && url.endsWith('.json');
      return { ok, status: ok ? 200 : 404, text: async () => JSON.stringify({ links: [{ rel: CLIENT_NS.altWebsocket, href: 'ws://localhost:8080/xmpp-websocket' }] }) };
    };
    expect(await discoverWebsocket('localhost', { fetch, extraOrigins: ['http://localhost:8080'] })).toBe('ws://localhost:8080/xmpp-websocket');
    expect(asked.sort()).toEqual(['http://localhost:8080/.well-known/host-meta', 'http://localhost:8080/.well-known/host-meta.json',
      'https://localhost/.well-known/host-meta', 'https://localhost/.well-known/host-meta.json']);
  });
});

describe('host-meta on the page origin', () => {
  const fromPage: FetchLike = async (url) => {
    const ok = url.startsWith('http://localhost:8080/');
    return { ok, status: ok ? 200 : 404, text: async () => JSON.stringify({ links: [{ rel: CLIENT_NS.altWebsocket, href: 'ws://localhost:8080/ws' }] }) };
  };
  afterEach(() => { vi.unstubAllGlobals(); });

  it('is asked only for the domain the page is served from: another domain is never tried against this server', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:8080', hostname: 'localhost' });
    expect(await discoverWebsocket('localhost', { fetch: fromPage })).toBe('ws://localhost:8080/ws');
    expect(await lookupWebsocket('example.org', { fetch: fromPage })).toEqual({ url: undefined, documents: 0 });
    expect(pageOriginFor('LOCALHOST', { origin: 'http://localhost:8080', hostname: 'localhost' })).toEqual(['http://localhost:8080']);
    expect(pageOriginFor('example.org', { origin: 'http://localhost:8080', hostname: 'localhost' })).toEqual([]);
    expect(pageOriginFor('localhost', { origin: 'file://', hostname: 'localhost' })).toEqual([]);
    expect(pageOriginFor('localhost', { origin: 'http://127.0.0.1:8080', hostname: '127.0.0.1' })).toEqual(['http://127.0.0.1:8080']);
    expect(pageOriginFor('example.org', { origin: 'http://127.0.0.1:8080', hostname: '127.0.0.1' })).toEqual([]);
  });

  it('a login at an unknown domain says no server was found, without connecting anywhere', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:8080', hostname: 'localhost' });
    const created: string[] = [];
    const c = new ConnectionController(undefined, {
      hostMeta: { fetch: fromPage },
      createClient: ((options: { service: string }) => { created.push(options.service); throw new Error('must not connect'); }) as unknown as ConnectionOptionsFactory,
    });
    await expect(c.login({ jid: 'alice@example.org', password: 'pw' }))
      .rejects.toMatchObject({ code: 'no-server', message: 'No XMPP server found for example.org.', detail: 'example.org' });
    expect(created).toEqual([]);
  });
});

describe('JIDs and error codes', () => {
  it('parses and refuses JIDs', () => {
    expect(parseJid('Alice@Example.COM/phone')).toEqual({ local: 'Alice', domain: 'example.com', resource: 'phone' });
    expect(bareJid('Alice@example.com/a/b')).toBe('alice@example.com');
    for (const bad of ['', 'alice', '@example.com', 'a b@example.com', 'alice@', 'alice@exa mple.com', 'alice@example.com/']) {
      expect(() => parseAccountJid(bad), bad).toThrow(/bad JID/);
    }
  });

  it('maps xmpp.js errors to codes', () => {
    const sasl = Object.assign(new Error('not-authorized'), { name: 'SASLError', condition: 'not-authorized' });
    expect(classifyError(sasl).code).toBe('not-authorized');
    expect(classifyError(Object.assign(new Error('x'), { name: 'SASLError', condition: 'aborted' })).code).toBe('auth-failed');
    expect(classifyError(Object.assign(new Error('conflict'), { name: 'StreamError', condition: 'conflict' })).code).toBe('conflict');
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('unreachable');
    expect(classifyError(Object.assign(new Error(''), { name: 'TimeoutError' })).code).toBe('timeout');
    const refused = classifyError(Object.assign(new Error('WebSocket ECONNERROR ws://127.0.0.1:1/'), { code: 'ECONNERROR' }));
    expect(refused.message).toBe('Cannot reach the server.');
    expect(refused.detail).toContain('ECONNERROR');
  });
});

type ConnectionOptionsFactory = NonNullable<ConstructorParameters<typeof ConnectionController>[1]>['createClient'];

/** Just enough of an @xmpp/client entity: sends go to a FakeLink on a FakeNetwork, start() is scripted. */
class FakeEntity extends EventEmitter {
  status = 'offline';
  jid: { toString(): string } | null = null;
  readonly sent: Element[] = [];
  readonly reconnect = { stop: vi.fn() };
  readonly saslFactory = { _mechs: [{ name: 'SCRAM-SHA-1' }, { name: 'PLAIN' }], use: vi.fn() };
  readonly streamManagement = { on: vi.fn(), off: vi.fn() };
  private readonly middlewares: ((ctx: { stanza: Element }, next: () => Promise<unknown>) => unknown)[] = [];
  readonly middleware = { use: (fn: (ctx: { stanza: Element }, next: () => Promise<unknown>) => unknown) => { this.middlewares.push(fn); } };
  connects = 0;

  constructor(readonly net: FakeNetwork, readonly fullJid: string, readonly startWith: () => Promise<void>) {
    super();
  }

  isSecure(): boolean { return true; }

  async start(): Promise<void> {
    this.connects++;
    await this.startWith();
    this.goOnline();
  }

  goOnline(): void {
    const link = this.net.link(this.fullJid);
    link.send = async (s: Element) => { s.attrs.from = this.fullJid; this.sent.push(s); this.net.route(s); };
    link.deliver = (s: Element) => { void this.receive(s); };
    this.jid = { toString: () => this.fullJid };
    this.status = 'online';
    this.emit('online', this.jid);
  }

  /** What xmpp.js does with an incoming stanza: 'stanza' event, then the middleware (iq callee). */
  async receive(stanza: Element): Promise<void> {
    this.emit('stanza', stanza);
    const type = stanza.attrs.type as string;
    if (stanza.name !== 'iq' || (type !== 'get' && type !== 'set')) return;
    const fn = this.middlewares[0];
    const reply = fn === undefined ? undefined : await fn({ stanza }, async () => undefined);
    const el = reply === true || reply === undefined ? undefined : (reply as Element);
    const isError = el?.name === 'error';
    await this.send(x('iq', { type: isError ? 'error' : 'result', id: String(stanza.attrs.id), to: String(stanza.attrs.from) }, el));
  }

  async send(el: Element): Promise<void> {
    el.attrs.from = this.fullJid;
    this.sent.push(el);
    this.net.route(el);
  }

  async stop(): Promise<void> { this.status = 'offline'; this.emit('offline'); }
  async disconnect(): Promise<void> { this.status = 'disconnect'; }
  async connect(): Promise<void> { this.connects++; }
  async open(): Promise<void> { this.goOnline(); }

  drop(): void {
    this.status = 'disconnect';
    this.emit('disconnect', { clean: false });
  }
}

describe('ConnectionController over a fake entity', () => {
  afterEach(() => { vi.useRealTimers(); });

  function setup(startWith: () => Promise<void> = async () => undefined) {
    const net = new FakeNetwork();
    const entities: FakeEntity[] = [];
    const resources: (string | undefined)[] = [];
    const c = new ConnectionController(undefined, {
      reconnect: { initialMs: 1_000, maxMs: 8_000 },
      createClient: ((options: { resource?: string }) => {
        resources.push(options.resource);
        const e = new FakeEntity(net, 'alice@localhost/web', startWith);
        entities.push(e);
        return e as unknown as Client;
      }) as unknown as ConnectionOptionsFactory,
    });
    return { net, c, entities, resources };
  }

  it('goes online, lets controllers speak first, then sends presence with caps', async () => {
    const { c, entities } = setup();
    const order: string[] = [];
    c.onStatus((s) => {
      order.push(s);
      if (s === 'online') void c.send(x('iq', { type: 'get', id: 'r1' }, x('query', { xmlns: CLIENT_NS.roster })));
    });
    await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    expect(order).toEqual(['connecting', 'online']);
    expect(c.jid).toBe('alice@localhost/web');
    const sent = entities[0]?.sent ?? [];
    expect(sent.map((s) => s.name)).toEqual(['iq', 'presence']);
    expect(capsOf(sent[1] as Element)?.ver).toBe(await c.caps.ver());
    expect(entities[0]?.reconnect.stop).toHaveBeenCalled();
  });

  it('routes incoming iq get/set through its router: disco#info answered, unknown refused', async () => {
    const { net, c } = setup();
    await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    const bob = net.link('bob@localhost/phone');
    const info = await bob.request(x('iq', { type: 'get', to: 'alice@localhost/web' }, x('query', { xmlns: CLIENT_NS.discoInfo })));
    expect(info.getChild('query')?.getChildren('feature').length).toBe(CLIENT_FEATURES.length);
    const err = await bob.request(x('iq', { type: 'set', to: 'alice@localhost/web' }, x('nothing', { xmlns: 'urn:x' }))).catch((e: IqFailure) => e);
    expect((err as IqFailure).condition).toBe('service-unavailable');
    // Requests: the reply must come from whom we asked.
    const pending = c.request(x('iq', { type: 'get', to: 'bob@localhost/phone' }, x('ping', { xmlns: 'urn:xmpp:ping' })), 200);
    await expect(pending).rejects.toBeInstanceOf(IqFailure); // bob has no router answering: timeout
  });

  it('rejects with typed errors: bad JID, no service, wrong password', async () => {
    const { c } = setup(async () => { throw Object.assign(new Error('not-authorized'), { name: 'SASLError', condition: 'not-authorized' }); });
    await expect(c.login({ jid: 'alice', password: 'pw', service: 'ws://x/ws' })).rejects.toMatchObject({ code: 'bad-jid' });
    await expect(c.login({ jid: 'alice@localhost', password: 'pw', service: 'http://x/ws' })).rejects.toMatchObject({ code: 'bad-url' });
    const err = await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://x/ws' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('not-authorized');
    // The user reads words; the condition stays in detail, for debugging.
    expect((err as ConnectionError).message).toBe('Wrong address or password.');
    expect((err as ConnectionError).detail).toBe('not-authorized');
    expect(c.status).toBe('offline');
    expect(c.error?.code).toBe('not-authorized');
    await expect(c.send(x('message'))).rejects.toMatchObject({ code: 'offline' });
  });

  it('reconnects with growing delays after a drop, and not after logout', async () => {
    vi.useFakeTimers();
    const { c, entities } = setup();
    await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    const e = entities[0] as FakeEntity;
    let fail = 2;
    e.connect = async () => { e.connects++; if (fail-- > 0) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }); };
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    e.drop();
    expect(c.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_300); // first attempt after ~1 s: refused
    expect(e.connects).toBe(2);
    await vi.advanceTimersByTimeAsync(1_500); // the second waits ~2 s
    expect(e.connects).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(e.connects).toBe(3);
    await vi.advanceTimersByTimeAsync(5_000); // third, ~4 s later, succeeds
    expect(e.connects).toBe(4);
    expect(statuses).toEqual(['reconnecting', 'online']);
    expect(e.sent.filter((s) => s.name === 'presence')).toHaveLength(2); // presence again in the new session

    e.drop();
    await c.logout();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(e.connects).toBe(4);
    expect(c.status).toBe('offline');
    expect(entities).toHaveLength(1); // one entity, so one resource asked for at every bind
  });

  it('asks for a resource of its own at login (kept for its reconnects), or the one the JID names', async () => {
    const { c, resources } = setup();
    await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    await c.login({ jid: 'alice@localhost', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    await c.login({ jid: 'alice@localhost/phone', password: 'pw', service: 'ws://127.0.0.1:1/ws' });
    expect(resources[0]).toMatch(/^web-[0-9a-f]{12}$/);
    expect(resources[1]).toMatch(/^web-[0-9a-f]{12}$/);
    expect(resources[1]).not.toBe(resources[0]);
    expect(resources[2]).toBe('phone');
  });

  it('finds the WebSocket URL with host-meta when none is given', async () => {
    const asked: string[] = [];
    const notFound: FetchLike = async (url) => { asked.push(url); return { ok: false, status: 404, text: async () => '' }; };
    const none = new ConnectionController(undefined, { hostMeta: { fetch: notFound } });
    await expect(none.login({ jid: 'alice@localhost', password: 'pw' }))
      .rejects.toMatchObject({ code: 'no-server', message: 'No XMPP server found for localhost.' });
    expect(asked.sort()).toEqual(['https://localhost/.well-known/host-meta', 'https://localhost/.well-known/host-meta.json']);
    expect(none.status).toBe('offline');

    const noWebsocket: FetchLike = async () => ({ ok: true, status: 200, text: async () => JSON.stringify({ links: [{ rel: 'urn:xmpp:alt-connections:xbosh', href: 'https://localhost/bosh' }] }) });
    const bosh = new ConnectionController(undefined, { hostMeta: { fetch: noWebsocket } });
    await expect(bosh.login({ jid: 'alice@localhost', password: 'pw' })).rejects.toMatchObject({ code: 'no-service' });
    expect(bosh.error?.message).toMatch(/^This server offers no WebSocket connection \(XEP-0156\)/);

    const found: FetchLike = async () => ({ ok: true, status: 200, text: async () => JSON.stringify({ links: [{ rel: CLIENT_NS.altWebsocket, href: 'wss://localhost/ws' }] }) });
    const { net } = setup();
    const viaHostMeta = new ConnectionController(undefined, {
      hostMeta: { fetch: found },
      createClient: ((options: { service: string }) => {
        expect(options.service).toBe('wss://localhost/ws');
        return new FakeEntity(net, 'alice@localhost/web', async () => undefined) as unknown as Client;
      }) as unknown as ConnectionOptionsFactory,
    });
    await viaHostMeta.login({ jid: 'alice@localhost', password: 'pw' });
    expect(viaHostMeta.service).toBe('wss://localhost/ws');
  });
});
