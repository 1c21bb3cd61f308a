// What ejabberd 23.01's global `domain_balancing` option really does with our component instances
// (ejabberd_router.erl, ejabberd_router_mnesia.erl), checked on a real cluster:
// - `type` without `component_number` breaks every component handshake for the domain (the router
//   reads component_number unconditionally: badkey in handle_auth_success, the stream is closed);
// - `type: bare_source` with `component_number: N` keeps all stanzas of one user (every resource, on
//   every node) on one instance; a dead instance's slot stays, empty, and its users' stanzas are
//   dropped without an error until another instance connects and takes the slot;
// - without domain_balancing, two instances on one node share its stanzas at random, stanza by stanza.
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, parseXml } from '../../schemas/index.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { echoCaller } from '../harness/echo-caller.ts';
import { startEjabberdCluster, type EjabberdCluster } from '../harness/ejabberd-cluster.ts';
import { startCutProxy, type CutProxy } from '../harness/cut-proxy.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'balancing-secret';
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\n';

const componentArgs = (port: number): string[] => ['--service', `xmpp://127.0.0.1:${port}`, '--domain', DOMAIN, '--secret', SECRET,
  '--hosts', 'localhost', '--stun-port', '0', '--log-level', 'debug', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128'];
const translateIq = (): Element => parseXml(`<iq type='get' to='${DOMAIN}'><translate xmlns='${NS.translate}' role='responder' action='session-accept' sid='t'><sdp>${SDP}</sdp></translate></iq>`);

describe('domain_balancing type without component_number', () => {
  let cluster: EjabberdCluster | undefined;
  afterAll(async () => cluster?.stop(), 60_000);

  it('makes ejabberd close every component stream at the handshake', async () => {
    cluster = await startEjabberdCluster({ nodes: 1, components: { [DOMAIN]: SECRET }, balancing: { [DOMAIN]: { type: 'bare_source' } } });
    await expect(runComponent(componentArgs(cluster.nodes[0]!.componentPort))).rejects.toThrow(/without answering the handshake/);
  }, 120_000);
});

describe('no domain_balancing, two instances on one node', () => {
  let cluster: EjabberdCluster | undefined;
  const instances: TestComponentProcess[] = [];
  let alice: TestClient | undefined;
  afterAll(async () => {
    await alice?.stop();
    for (const c of instances) await c.stop();
    await cluster?.stop();
  }, 60_000);

  it('spreads one user\'s stanzas over both at random (so: one instance per node)', async () => {
    cluster = await startEjabberdCluster({ nodes: 1, users: { alice: 'alicepw' }, components: { [DOMAIN]: SECRET } });
    for (let i = 0; i < 2; i++) instances.push(await runComponent(componentArgs(cluster.nodes[0]!.componentPort)));
    alice = await connectClient({ service: cluster.nodes[0]!.websocketUrl, domain: 'localhost', username: 'alice', password: 'alicepw' });
    for (let i = 0; i < 20; i++) expect((await alice.iq(translateIq())).attrs.type).toBe('result');
    // Random per stanza: 20 all on one instance would be a 1 in 2^19 chance.
    const handled = instances.map((c) => c.logs.filter((l) => l.msg === 'iq handled').length);
    expect(handled.every((n) => n > 0)).toBe(true);
  }, 120_000);
});

describe('domain_balancing bare_source with component_number 2 on a two-node cluster', () => {
  let cluster: EjabberdCluster;
  const proxies: CutProxy[] = [];
  const instances: TestComponentProcess[] = [];
  /** Each user logged in twice: resource 0 on node 0, resource 1 on node 1. */
  const users: Record<string, [TestClient, TestClient]> = {};
  const { calls, serveJingle, call, hangUp } = echoCaller(`echo@${DOMAIN}`);

  const reachedBy = (user: string): number[] => instances.flatMap((c, i) =>
    c.logs.some((l) => l.msg === 'iq handled' && String(l.from).startsWith(`${user}@localhost/`)) ? [i] : []);
  const fromBothNodes = async (user: string, timeoutMs?: number): Promise<void> => {
    for (const client of users[user]!) expect((await client.iq(translateIq(), timeoutMs)).attrs.type).toBe('result');
  };

  beforeAll(async () => {
    cluster = await startEjabberdCluster({
      users: Object.fromEntries(NAMES.map((u) => [u, `${u}pw`])), components: { [DOMAIN]: SECRET },
      balancing: { [DOMAIN]: { type: 'bare_source', componentNumber: 2 } },
    });
    for (const node of cluster.nodes) {
      const proxy = await startCutProxy(node.componentPort);
      proxies.push(proxy);
      instances.push(await runComponent(componentArgs(proxy.port)));
    }
    for (const user of NAMES) {
      const [a, b] = await Promise.all(cluster.nodes.map((n) =>
        connectClient({ service: n.websocketUrl, domain: 'localhost', username: user, password: `${user}pw` })));
      users[user] = [a!, b!];
      serveJingle(a!);
    }
  }, 180_000);

  afterAll(async () => {
    for (const c of calls.values()) await c.stop();
    await Promise.all(Object.values(users).flat().map((u) => u.stop()));
    for (const c of instances) await c.stop();
    for (const p of proxies) await p.close();
    await cluster?.stop();
  }, 120_000);

  it('sends all stanzas of one user, from either node, to one instance; an echo call stays on it', async () => {
    for (const user of NAMES) await fromBothNodes(user);
    for (const user of NAMES) expect([user, reachedBy(user).length]).toEqual([user, 1]);
    // Six users over two slots: both instances get some (phash2 of the bare JID picks the slot).
    expect(new Set(NAMES.flatMap(reachedBy)).size).toBe(2);
    const c = await call(users.alice![0], 'alice');
    await expect.poll(() => c.got.audio, { timeout: 15_000 }).toBeGreaterThan(0);
    await hangUp(users.alice![0], c);
    expect(reachedBy('alice').length).toBe(1);
  }, 120_000);

  it('drops, without an error, the stanzas of users whose instance died, until a new one takes the slot', async () => {
    const [lost, kept] = [reachedBy('alice')[0]!, 1 - reachedBy('alice')[0]!];
    const stranded = NAMES.filter((u) => reachedBy(u)[0] === lost);
    const served = NAMES.filter((u) => reachedBy(u)[0] === kept);
    proxies[lost]!.block();
    proxies[lost]!.cut();
    await instances[lost]!.stop();

    for (const user of served) await fromBothNodes(user);
    // The slot stays with no process behind it: ejabberd routes there and drops, no error comes back.
    for (const user of stranded) await expect(users[user]![0].iq(translateIq(), 5_000)).rejects.toThrow(/no matching stanza/);
    expect(served.flatMap(reachedBy).every((i) => i === kept)).toBe(true);

    // A replacement (here on the other node) takes the empty slot: the stranded users are served again, by it.
    instances.push(await runComponent(componentArgs(cluster.nodes[kept]!.componentPort)));
    for (const user of stranded) await fromBothNodes(user, 15_000);
    for (const user of stranded) expect([user, reachedBy(user)]).toEqual([user, [lost, 2]]);
  }, 120_000);
});
