// The XEP-0166 error paths through a real Prosody, from real users: an unknown sid, a stranger acting
// on another pair's session, an action out of order, malformed Jingle, a user of a host we do not serve.
// Each gets its XMPP error and a log line, and the session it did not belong to goes on.
import { readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, parseXml, sdpToJingle } from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { runComponent, type TestComponentProcess } from '../harness/component.ts';
import { startProsody, type ProsodyServer } from '../harness/prosody.ts';
import { connectClient, type TestClient } from '../harness/xmpp.ts';

const DOMAIN = 'jingle.localhost';
const ECHO_FULL = `echo@${DOMAIN}/echo`;
const offer = readFileSync(new URL('../../../shared/fixtures/sdp/chromium-audio-offer.sdp', import.meta.url), 'utf8');
let prosody: ProsodyServer;
let comp: TestComponentProcess;
let alice: TestClient;
let mallory: TestClient;

function errorOf(iq: Element): { type?: string; condition?: string; jingle?: string } {
  const e = iq.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === 'error');
  const kids = (e?.children ?? []).filter((c): c is Element => typeof c === 'object' && c !== null);
  return {
    type: e?.attrs.type as string | undefined,
    condition: kids.find((c) => c.attrs.xmlns === NS.stanzas && c.name !== 'text')?.name,
    jingle: kids.find((c) => c.attrs.xmlns === NS.jingleErrors)?.name,
  };
}

const jingle = (action: string, sid: string, extra = ''): Element =>
  parseXml(`<iq type='set' to='${ECHO_FULL}'><jingle xmlns='${NS.jingle}' action='${action}' sid='${sid}'>${extra}</jingle></iq>`);

beforeAll(async () => {
  prosody = await startProsody({ users: { alice: 'alicepw', mallory: 'mallorypw' }, components: { [DOMAIN]: 'secret' } });
  comp = await runComponent(['--service', `xmpp://127.0.0.1:${prosody.componentPort}`, '--domain', DOMAIN, '--secret', 'secret',
    '--hosts', 'localhost', '--stun-port', '0', '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128']);
  const login = (u: string) => connectClient({ service: `xmpp://127.0.0.1:${prosody.c2sPort}`, domain: 'localhost', username: u, password: `${u}pw` });
  [alice, mallory] = await Promise.all([login('alice'), login('mallory')]);
  // Alice acknowledges what the echo peer sends her (session-accept, transport-info), as a client does.
  alice.xmpp.iqCallee.set(NS.jingle, 'jingle', () => true as unknown as Element);
});

afterAll(async () => {
  await Promise.all([alice?.stop(), mallory?.stop()]);
  await comp?.stop();
  await prosody?.stop();
});

describe('Jingle errors from real users', () => {
  it('an unknown sid: item-not-found with unknown-session', async () => {
    const res = await alice.iq(jingle('transport-info', 'no-such-session'));
    expect(errorOf(res)).toMatchObject({ condition: 'item-not-found', jingle: 'unknown-session' });
  });

  it('malformed Jingle: bad-request', async () => {
    const res = await alice.iq(parseXml(`<iq type='set' to='${ECHO_FULL}'><jingle xmlns='${NS.jingle}' action='session-initiate'/></iq>`));
    expect(errorOf(res).condition).toBe('bad-request');
  });

  it('an offer without a DTLS fingerprint: acknowledged, then session-terminate with <security-error/> from the called address', async () => {
    const sid = `nodtls-${Date.now()}`;
    const initiate = sdpToJingle(offer.replace(/^a=fingerprint:.*\r?\n/gm, ''), { role: 'initiator', sid, initiator: alice.jid });
    expect(initiate.toString()).not.toContain('fingerprint');
    const terminated = alice.nextStanza((s) => s.name === 'iq' && s.getChild('jingle', NS.jingle)?.attrs.sid === sid);
    expect((await alice.iq(el('iq', { type: 'set', to: `echo@${DOMAIN}` }, [initiate]))).attrs.type).toBe('result');
    const terminate = await terminated;
    expect(terminate.attrs.from).toBe(`echo@${DOMAIN}`);
    const jingle = terminate.getChild('jingle', NS.jingle)!;
    expect(jingle.attrs.action).toBe('session-terminate');
    expect(jingle.getChild('reason')?.getChild('security-error')).toBeDefined();
  });

  it("a stranger cannot touch alice's session, which goes on; out-of-order actions are refused", async () => {
    const sid = `alice-${Date.now()}`;
    const initiate = sdpToJingle(offer, { role: 'initiator', sid, initiator: alice.jid });
    expect((await alice.iq(el('iq', { type: 'set', to: ECHO_FULL }, [initiate]))).attrs.type).toBe('result');
    for (const action of ['transport-info', 'session-terminate', 'session-accept']) {
      const res = await mallory.iq(jingle(action, sid, action === 'session-terminate' ? '<reason><success/></reason>' : ''));
      expect(errorOf(res), action).toMatchObject({ condition: 'item-not-found', jingle: 'unknown-session' });
    }
    // The initiator may not accept her own session.
    expect(errorOf(await alice.iq(jingle('session-accept', sid)))).toMatchObject({ condition: 'unexpected-request', jingle: 'out-of-order' });
    // Alice's session is still hers to end.
    const end = await alice.iq(jingle('session-terminate', sid, '<reason><success/></reason>'));
    expect(end.attrs.type).toBe('result');
    expect(errorOf(await alice.iq(jingle('transport-info', sid)))).toMatchObject({ jingle: 'unknown-session' });
    expect(comp.logs.some((l) => l.msg === 'iq error' && l.app === 'unknown-session')).toBe(true);
  });
});
