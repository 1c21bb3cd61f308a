// Several component instances for one domain behind a two-node ejabberd 23.01 cluster: each instance
// connects to its own node (through a proxy this test can cut, to kill an instance as a crash would:
// no goodbye reaches anyone), users log in on both nodes, and echo calls (werift over loopback) and
// translate requests go through the cluster; an instance killed, then one stopped cleanly. What ejabberd
// does with the routes is in the README.
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, parseXml } from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { echoCaller, type EchoCall } from '../harness/echo-caller.ts';
import { startEjabberdCluster, type EjabberdCluster } from '../harness/ejabberd-cluster.ts';
import { startCutProxy, type CutProxy } from '../harness/cut-proxy.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const SECRET = 'cluster-secret';
const ECHO = `echo@${DOMAIN}`;
/** user -> the node (0 or 1) it logs in on. */
const HOME: Record<string, number> = { alice: 0, carol: 0, bob: 1, dave: 1 };
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=rtpmap:0 PCMU/8000\r\n';

let cluster: EjabberdCluster;
const proxies: CutProxy[] = [];
const instances: TestComponentProcess[] = [];
const users: Record<string, TestClient> = {};
const { calls, serveJingle, call, hangUp, jingleIq } = echoCaller(ECHO);

const child = (e: Element, name: string): Element | undefined =>
  e.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === name);
/** Which instances logged an IQ from this user (its bare JID): the instances its stanzas reached. */
const reachedBy = (user: string): number[] => instances.flatMap((c, i) =>
  c.logs.some((l) => l.msg === 'iq handled' && String(l.from).startsWith(`${user}@localhost/`)) ? [i] : []);
const active = (i: number): number => Number(/echo_calls_active (\d+)/.exec(instances[i]!.metrics.text())?.[1]);

async function translate(user: string): Promise<Element> {
  return users[user]!.iq(parseXml(`<iq type='get' to='${DOMAIN}'><translate xmlns='${NS.translate}' role='responder' action='session-accept' sid='t'><sdp>${SDP}</sdp></translate></iq>`));
}

beforeAll(async () => {
  cluster = await startEjabberdCluster({
    users: Object.fromEntries(Object.keys(HOME).map((u) => [u, `${u}pw`])), components: { [DOMAIN]: SECRET },
  });
  for (const node of cluster.nodes) {
    const proxy = await startCutProxy(node.componentPort);
    proxies.push(proxy);
    instances.push(await runComponent(['--service', `xmpp://127.0.0.1:${proxy.port}`, '--domain', DOMAIN, '--secret', SECRET,
      '--hosts', 'localhost', '--stun-port', '0', '--log-level', 'debug', '--echo-bind', '127.0.0.1',
      '--echo-allow-networks', '127.0.0.0/8,::1/128']));
  }
  for (const [user, home] of Object.entries(HOME)) {
    users[user] = await connectClient({ service: cluster.nodes[home]!.websocketUrl, domain: 'localhost', username: user, password: `${user}pw` });
    serveJingle(users[user]!);
  }
}, 180_000);

afterAll(async () => {
  for (const c of calls.values()) await c.stop();
  await Promise.all(Object.values(users).map((u) => u.stop()));
  for (const c of instances) await c.stop();
  for (const p of proxies) await p.close();
  await cluster?.stop();
}, 120_000);

describe('two component instances for one domain behind a two-node ejabberd cluster', () => {
  const held: Record<string, EchoCall> = {};

  it('both handshakes succeed; echo calls and translate from users on both nodes all succeed', async () => {
    for (const user of Object.keys(HOME)) {
      expect(child((await translate(user)), 'translate')?.getChild('jingle')?.attrs.action).toBe('session-accept');
      held[user] = await call(users[user]!, user);
    }
    for (const c of Object.values(held)) await expect.poll(() => c.got.audio, { timeout: 15_000 }).toBeGreaterThan(0);
  }, 120_000);

  it('ejabberd (no domain_balancing) sends every stanza of a user to the instance on that user\'s node', () => {
    for (const [user, home] of Object.entries(HOME)) expect([user, reachedBy(user)]).toEqual([user, [home]]);
    expect([active(0), active(1)]).toEqual([2, 2]);
  });

  it('killing one instance loses only its calls, which get unknown-session; new calls go to the survivor', async () => {
    proxies[0]!.block();
    proxies[0]!.cut();
    await instances[0]!.stop();
    // ejabberd drops the dead instance's route when its connection closes; alice's node has no local
    // route left, so her stanzas cross to the other node's instance.
    await expect.poll(async () => child(await translate('alice').catch(() => el('iq', {})), 'translate') !== undefined, { timeout: 30_000 }).toBe(true);
    expect(reachedBy('alice')).toEqual([0, 1]);

    // Calls the dead instance held: the survivor never heard of them and says so.
    for (const user of ['alice', 'carol']) {
      const c = held[user]!;
      const terminate = el('jingle', { xmlns: NS.jingle, action: 'session-terminate', sid: c.sid }, [el('reason', {}, [el('success', {})])]);
      const answer = await users[user]!.iq(jingleIq(terminate, c.address));
      expect(answer.attrs.type).toBe('error');
      expect(child(child(answer, 'error')!, 'unknown-session')?.attrs.xmlns).toBe('urn:xmpp:jingle:errors:1');
      await c.stop();
    }
    // Calls the survivor held go on: media still comes back, and they end normally.
    for (const user of ['bob', 'dave']) {
      const c = held[user]!;
      const before = c.got.audio;
      await expect.poll(() => c.got.audio, { timeout: 15_000 }).toBeGreaterThan(before);
      await hangUp(users[user]!, c);
    }
    // New calls from both nodes go to the survivor.
    for (const user of ['alice', 'bob']) {
      const c = await call(users[user]!, `${user}-after`);
      await expect.poll(() => c.got.audio, { timeout: 15_000 }).toBeGreaterThan(0);
      await hangUp(users[user]!, c);
    }
    expect(active(1)).toBe(0);
  }, 120_000);

  it('an instance stopped cleanly ends its calls with reason gone; a replacement on the other node takes over', async () => {
    instances.push(await runComponent(['--service', `xmpp://127.0.0.1:${cluster.nodes[0]!.componentPort}`, '--domain', DOMAIN,
      '--secret', SECRET, '--hosts', 'localhost', '--stun-port', '0', '--log-level', 'debug', '--echo-bind', '127.0.0.1',
      '--echo-allow-networks', '127.0.0.0/8,::1/128']));
    const c = await call(users.bob!, 'bob-gone');
    await expect.poll(() => c.got.audio, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(active(1)).toBe(1); // bob's node still has its own instance: the call is there
    const terminated = users.bob!.nextStanza((s) => s.name === 'iq' && s.getChild('jingle', NS.jingle)?.attrs.sid === c.sid
      && s.getChild('jingle', NS.jingle)?.attrs.action === 'session-terminate', 15_000);
    await instances[1]!.stop();
    const reason = (await terminated).getChild('jingle', NS.jingle)?.getChild('reason');
    expect(reason?.children.some((r) => typeof r === 'object' && r.name === 'gone')).toBe(true);
    await c.stop();
    // bob's node has no instance now: his stanzas cross to the one on the other node.
    const next = await call(users.bob!, 'bob-next');
    await expect.poll(() => next.got.audio, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(active(2)).toBe(1);
    await hangUp(users.bob!, next);
    expect(reachedBy('bob')).toEqual([1, 2]);
  }, 120_000);
});
