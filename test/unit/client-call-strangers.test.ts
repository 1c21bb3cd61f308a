// Whose calls ring (issue 12 item 4) over FakeNetwork: contacts who may see our presence, our own
// account, our component, or anyone when the user allows it; a stranger's call rings nothing and hears
// nothing back.
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import { buildJmiMessage, sdpToJingle } from '../../schemas/index.ts';
import type { PeerDirectory } from '../../client/controllers/call-route.ts';
import { FakeMedia } from '../../client/rtc/fake.ts';
import { FakeNetwork } from '../../client/xmpp/fake-link.ts';
import { x } from '../../client/xmpp/xml.ts';
import { COMPONENT, connect, servers, until, user, world } from './client-call.fixture.ts';

/** A contact book where bob's contacts have these subscriptions. */
const book = (subs: Record<string, 'none' | 'to' | 'from' | 'both'>): PeerDirectory => ({
  resources: () => [], caps: { info: () => Promise.reject(new Error('no caps')) },
  contact: (jid) => (subs[jid] ? { subscription: subs[jid] } : undefined),
});

describe('calls from strangers (issue 12 item 4)', () => {
  const propose = (id: string, to = 'bob@localhost') => buildJmiMessage({ action: 'propose', id, media: ['audio'] }, { to, id: `m-${id}`, receipt: true, store: true });
  const toMallory = (u: { link: { sent: Element[] } }) => u.link.sent.filter((s) => String(s.attrs.to ?? '').startsWith('mallory@'));

  it("a stranger's proposal rings nothing and gets nothing back: no receipt, no ringing, no busy", async () => {
    const w = world();
    const mallory = w.net.link('mallory@localhost/x');
    await mallory.send(propose('s1'));
    await new Promise((r) => setTimeout(r, 20));
    expect([w.bob.call.state, w.bob2.call.state]).toEqual(['idle', 'idle']);
    expect([...toMallory(w.bob), ...toMallory(w.bob2)]).toEqual([]);
    // Nor does it make bob busy for a contact, and in a call it gets no busy either.
    await connect(w);
    await mallory.send(propose('s2'));
    await new Promise((r) => setTimeout(r, 20));
    expect(w.bob.call.state).toBe('connected');
    expect(toMallory(w.bob)).toEqual([]);
  });

  it("a stranger's session-initiate gets service-unavailable, as from a resource without Jingle; no ring, no busy", async () => {
    const w = world();
    const mallory = w.net.link('mallory@localhost/x');
    const offerer = new FakeMedia().create({ media: { audio: true, video: false }, iceServers: [] });
    const jingle = sdpToJingle(await offerer.createOffer(), { role: 'initiator', sid: 'm1', initiator: mallory.jid });
    const outcome = (sid: string) => mallory.request(x('iq', { type: 'set', to: 'bob@localhost/web' }, Object.assign(jingle, { attrs: { ...jingle.attrs, sid } })))
      .then(() => 'result', (e: { condition?: string }) => e.condition);
    expect(await outcome('m1')).toBe('service-unavailable');
    expect(w.bob.call.state).toBe('idle');
    await connect(w);
    expect(await outcome('m2')).toBe('service-unavailable');
    await new Promise((r) => setTimeout(r, 20));
    expect(toMallory(w.bob).filter((s) => s.attrs.type === 'set')).toEqual([]);
    expect(w.bob.call.state).toBe('connected');
  });

  it('we may call a stranger; once that call is over, they are a stranger again', async () => {
    const w = world();
    const mallory = user(w.net, 'mallory@localhost/x', { allowCallsFrom: 'anyone' });
    await w.alice.call.call('mallory@localhost');
    await until('mallory rings', () => mallory.call.state === 'ringing');
    mallory.call.accept();
    await until('connected', () => w.alice.call.state === 'connected');
    mallory.call.hangUp();
    await until('alice ended', () => w.alice.call.state === 'ended');
    const offerer = new FakeMedia().create({ media: { audio: true, video: false }, iceServers: [] });
    const jingle = sdpToJingle(await offerer.createOffer(), { role: 'initiator', sid: 'back1', initiator: mallory.link.jid });
    const answer = await mallory.link.request(x('iq', { type: 'set', to: 'alice@localhost/web' }, jingle)).then(() => 'result', (e: { condition?: string }) => e.condition);
    expect(answer).toBe('service-unavailable');
    expect(w.alice.call.state).toBe('ended');
  });

  it("rings for contacts who may see our presence ('from', 'both'), our component, or anyone when allowed", async () => {
    const net = new FakeNetwork();
    servers(net);
    const bob = user(net, 'bob@localhost/web', { peers: () => book({ 'ann@localhost': 'both', 'fay@localhost': 'from', 'tom@localhost': 'to', 'nan@localhost': 'none' }) });
    const rings: string[] = [];
    for (const who of ['tom', 'nan', 'ann', 'fay']) {
      await net.link(`${who}@localhost/x`).send(propose(`p-${who}`));
      await new Promise((r) => setTimeout(r, 10));
      if (bob.call.state === 'ringing') {
        rings.push(who);
        bob.call.decline();
      }
    }
    expect(rings).toEqual(['ann', 'fay']);
    await until('component found', () => bob.call.ice.componentDomain().then(() => true) !== undefined);
    await bob.call.ice.componentDomain();
    await new Promise((r) => setTimeout(r, 10));
    await net.link(`echo@${COMPONENT}/x`).send(propose('p-echo'));
    await until('the component rings', () => bob.call.state === 'ringing');
    bob.call.decline();
    const open = user(net, 'bob@localhost/open', { allowCallsFrom: 'anyone', peers: () => book({}) });
    await net.link('mallory@localhost/x').send(propose('p-m', 'bob@localhost/open'));
    await until('anyone rings', () => open.call.state === 'ringing');
  });

  it('the setting changes at run time: on, a stranger rings; off again, the next one is dropped', async () => {
    const net = new FakeNetwork();
    servers(net);
    const bob = user(net, 'bob@localhost/web', { peers: () => book({}) });
    expect(bob.call.allowCallsFrom).toBe('contacts');
    bob.call.allowCallsFrom = 'anyone';
    await net.link('mallory@localhost/x').send(propose('r-1'));
    await until('the stranger rings', () => bob.call.state === 'ringing');
    bob.call.decline();
    bob.call.allowCallsFrom = 'contacts';
    await net.link('mallory@localhost/x').send(propose('r-2'));
    await new Promise((r) => setTimeout(r, 20));
    expect(bob.call.state).toBe('ended');
    expect(bob.call.peer).toBe('mallory@localhost');
  });
});
