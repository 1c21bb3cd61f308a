// The echo service when the component comes back online after losing the server: the calls from
// before end (peer closed, session-terminate with connectivity-error, a log line), and the echo sends
// its presence with caps again to the users it knows of (subscribed, probed, called); new calls work.
import { afterEach, describe, expect, it } from 'vitest';
import { NS_CAPS } from '../../component/services/disco.ts';
import { ALICE, ECHO, ECHO_FULL, jingleOf, startEcho, type Harness } from './echo-fixture.ts';

let h: Harness;
afterEach(async () => { await h?.service.close(); });

const BOB = 'bob@example.com/laptop';
const terminates = () => h.requests.filter((r) => jingleOf(r)?.attrs.action === 'session-terminate');
const presences = () => h.sent.filter((s) => s.name === 'presence' && s.attrs.type === undefined);

describe('echo after a reconnect', () => {
  it('the first connect ends nothing and announces to nobody', async () => {
    h = startEcho();
    await h.service.online();
    expect(h.sent).toEqual([]);
    expect(h.requests).toEqual([]);
  });

  it('ends the calls from before with connectivity-error, closes their peers and logs why', async () => {
    h = startEcho();
    await h.initiate(ALICE, 'c1');
    await h.initiate(BOB, 'c2');
    await h.settle();
    expect(h.service.activeCalls).toBe(2);
    await h.service.online();
    await h.settle();
    expect(h.service.activeCalls).toBe(0);
    expect(h.peers.map((p) => p.closed)).toEqual([true, true]);
    expect(terminates().map((t) => [t.attrs.to, jingleOf(t)?.attrs.sid, jingleOf(t)?.getChild('reason')?.children.map((c) => (c as { name?: string }).name)[0]]))
      .toEqual([[ALICE, 'c1', 'connectivity-error'], [BOB, 'c2', 'connectivity-error']]);
    expect(h.logs.find((l) => l.msg === 'echo: ending the calls from before the connection to the server was lost')).toMatchObject({ calls: 2, reason: 'connectivity-error' });
    expect(h.logs.filter((l) => l.msg === 'echo call ended').map((l) => l.reason)).toEqual(['connectivity-error', 'connectivity-error']);
    expect(h.ctx.metrics.text()).toContain('echo_calls_active 0');
    // The same caller may call again at once; the per-user count was given back.
    expect((await h.initiate(ALICE, 'c3')).attrs.type).toBe('result');
  });

  it('announces itself with caps to the bare JIDs of subscribers, probers and callers, not to those who unsubscribed', async () => {
    h = startEcho();
    await h.handle(`<presence from='carol@example.com/x' to='${ECHO}' type='subscribe'/>`);
    await h.handle(`<presence from='dave@example.com' to='${ECHO}' type='probe'/>`);
    await h.handle(`<presence from='erin@example.com/y' to='${ECHO}' type='subscribe'/>`);
    await h.handle(`<presence from='erin@example.com/y' to='${ECHO}' type='unsubscribe'/>`);
    await h.initiate(ALICE, 'c1');
    await h.settle();
    h.sent.length = 0;
    await h.service.online();
    await h.settle();
    const announced = presences();
    expect(announced.map((p) => p.attrs.to).sort()).toEqual(['alice@example.com', 'carol@example.com', 'dave@example.com']);
    for (const p of announced) {
      expect(p.attrs.from).toBe(ECHO_FULL);
      expect(p.getChild('c', NS_CAPS)?.attrs.ver).toMatch(/=$/);
    }
    expect(h.logs.find((l) => l.msg === 'echo: announced itself again')).toMatchObject({ users: 3, failed: 0 });
  });

  it('keeps announcing to the rest when a send fails', async () => {
    h = startEcho();
    await h.handle(`<presence from='carol@example.com/x' to='${ECHO}' type='subscribe'/>`);
    await h.handle(`<presence from='dave@example.com/x' to='${ECHO}' type='subscribe'/>`);
    const send = h.ctx.send;
    h.ctx.send = async (e) => {
      if (e.attrs.to === 'carol@example.com') throw new Error('offline again');
      return send(e);
    };
    await h.service.online();
    expect(h.logs.find((l) => l.msg === 'echo: announced itself again')).toMatchObject({ users: 2, failed: 1 });
  });
});
