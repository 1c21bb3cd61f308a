// Proves the test harness against the real servers: Prosody (clients, a component, restart and crash
// with the component reconnecting), ejabberd (a client and a component), coturn (TURN allocation with
// ephemeral REST-API credentials, STUN), and that nothing is left running afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Element } from 'ltx';
import { xml } from '@xmpp/component';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { startEjabberd, type EjabberdServer } from '../harness/ejabberd.ts';
import { startCoturn, stunRequest, turnCredentials, type CoturnServer } from '../harness/coturn.ts';
import { connectClient, connectComponent, waitOnline, type TestClient, type TestComponent } from '../harness/xmpp.ts';
import { canConnect, run } from '../harness/ports.ts';

const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const COMPONENT = 'jingle.localhost';
const SECRET = 'component-secret';
const dirs: string[] = [];
let epmdBefore = '';

const discoGet = (to: string): Element => xml('iq', { type: 'get', to }, xml('query', { xmlns: DISCO_INFO }));

/** Answers disco#info with one identity, counting the queries it saw. */
function serveDisco(component: TestComponent): { queries: number } {
  const seen = { queries: 0 };
  component.xmpp.iqCallee.get(DISCO_INFO, 'query', () => {
    seen.queries++;
    return xml('query', { xmlns: DISCO_INFO }, xml('identity', { category: 'component', type: 'generic', name: 'harness' }));
  });
  return seen;
}

function identityOf(reply: Element): string | undefined {
  return reply.getChild('query', DISCO_INFO)?.getChild('identity')?.attrs.name as string | undefined;
}

beforeAll(async () => { epmdBefore = await run('pgrep', ['-x', 'epmd']).catch(() => ''); });

describe('Prosody', () => {
  let server: ProsodyServer;
  const open: { stop(): Promise<void> }[] = [];
  const login = async (username: string): Promise<TestClient> => {
    const c = await connectClient({ service: server.websocketUrl, domain: 'localhost', username, password: `${username}pw` });
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    const t = Date.now();
    server = await startProsody({ users: { alice: 'alicepw', bob: 'bobpw' }, components: { [COMPONENT]: SECRET } });
    console.info(`prosody started in ${Date.now() - t} ms`);
    dirs.push(server.dir);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.stop()));
    const t = Date.now();
    await server?.stop();
    console.info(`prosody stopped in ${Date.now() - t} ms`);
  });

  it('lets two users log in over WebSocket and exchange a message', async () => {
    const [alice, bob] = await Promise.all([login('alice'), login('bob')]);
    expect(alice.jid).toMatch(/^alice@localhost\//);
    const received = bob.nextStanza((el) => el.name === 'message' && el.getChildText('body') === 'hi bob');
    await alice.send(xml('message', { to: bob.jid, type: 'chat' }, xml('body', {}, 'hi bob')));
    expect((await received).attrs.from).toBe(alice.jid);
  });

  it('routes a user\'s disco#info to a component, which survives restart() and kill()', async () => {
    const alice = await login('alice');
    await expect(connectComponent({ service: `xmpp://127.0.0.1:${server.componentPort}`, domain: COMPONENT, password: 'wrong' }))
      .rejects.toThrow(/not-authorized/);
    const component = await connectComponent({ service: `xmpp://127.0.0.1:${server.componentPort}`, domain: COMPONENT, password: SECRET });
    open.push(component);
    const disco = serveDisco(component);
    const reply = await alice.iq(discoGet(COMPONENT));
    expect(reply.attrs.type).toBe('result');
    expect(identityOf(reply)).toBe('harness');

    // Graceful restart: @xmpp/reconnect retries every second, forever, with no backoff; each refused
    // attempt is an 'error' event on the entity. The iq handlers (middleware) survive the reconnect.
    let t = Date.now();
    await server.restart();
    await Promise.all([waitOnline(component.xmpp), waitOnline(alice.xmpp)]);
    console.info(`prosody restart + component and client online again in ${Date.now() - t} ms`);
    expect(identityOf(await alice.iq(discoGet(COMPONENT)))).toBe('harness');

    // Crash: no stream close at all, the sockets just die.
    t = Date.now();
    await server.kill();
    expect(await canConnect(server.componentPort)).toBe(false);
    await server.restart();
    await Promise.all([waitOnline(component.xmpp), waitOnline(alice.xmpp)]);
    console.info(`prosody kill + restart + online again in ${Date.now() - t} ms`);
    expect(identityOf(await alice.iq(discoGet(COMPONENT)))).toBe('harness');
    expect(disco.queries).toBe(3);
    expect(component.errors.some((e) => /ECONNREFUSED/.test(e.message))).toBe(true);
  });
});

describe('ejabberd', () => {
  let server: EjabberdServer;
  const open: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    const t = Date.now();
    server = await startEjabberd({ users: { alice: 'alicepw' }, components: { [COMPONENT]: SECRET } });
    console.info(`ejabberd started (with 1 user registered) in ${Date.now() - t} ms`);
    dirs.push(server.dir);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.stop()));
    const t = Date.now();
    await server?.stop();
    console.info(`ejabberd stopped in ${Date.now() - t} ms`);
  });

  it('lets a user log in over WebSocket and reach a component', async () => {
    const alice = await connectClient({ service: server.websocketUrl, domain: 'localhost', username: 'alice', password: 'alicepw' });
    open.push(alice);
    const component = await connectComponent({ service: `xmpp://127.0.0.1:${server.componentPort}`, domain: COMPONENT, password: SECRET });
    open.push(component);
    serveDisco(component);
    const reply = await alice.iq(discoGet(COMPONENT));
    expect(reply.attrs.type).toBe('result');
    expect(identityOf(reply)).toBe('harness');
  });
});

describe('coturn', () => {
  let server: CoturnServer;
  const secret = 'turn-secret';
  const uclient = (username: string, password: string): Promise<string> => run('turnutils_uclient',
    ['-p', String(server.port), '-u', username, '-w', password, '-y', '-n', '5', '-m', '1', '127.0.0.1'], 30_000);
  beforeAll(async () => {
    const t = Date.now();
    server = await startCoturn({ secret });
    console.info(`coturn started in ${Date.now() - t} ms`);
    dirs.push(server.dir);
  });
  afterAll(async () => {
    const t = Date.now();
    await server?.stop();
    console.info(`coturn stopped in ${Date.now() - t} ms`);
  });

  it('answers a STUN binding request', async () => {
    expect(await stunRequest(server.port)).toMatch(/UDP reflexive addr: 127\.0\.0\.1:\d+/);
  });

  it('allocates a relay with ephemeral credentials, and refuses expired or wrong ones', async () => {
    const { username, password } = turnCredentials(secret, 'alice');
    const out = await uclient(username, password);
    expect(out).toMatch(/Total lost packets 0 /);
    expect(out).toMatch(/tot_recv_msgs=20\b/);
    const expired = turnCredentials(secret, 'alice', -60);
    await expect(uclient(expired.username, expired.password)).rejects.toThrow(/Cannot complete Allocation/);
    await expect(uclient(username, 'd3Jvbmc=')).rejects.toThrow(/Cannot complete Allocation/);
  });
});

describe('after all servers stopped', () => {
  it('leaves no process and no temp dir behind', async () => {
    expect(dirs).toHaveLength(3);
    for (const dir of dirs) {
      expect(await run('pgrep', ['-a', '-f', '--', dir]).catch(() => '')).toBe('');
      expect(await run('test', ['-e', dir]).then(() => 'exists', () => 'gone')).toBe('gone');
    }
    expect(await run('pgrep', ['-x', 'epmd']).catch(() => '')).toBe(epmdBefore);
  });
});
