// Offers the echo peer acknowledges but will not answer (XEP-0166: ack, then session-terminate with the
// reason): one without a DTLS fingerprint we can use (the translator refuses it with the condition
// 'security-error'; never answered without DTLS) gets <security-error/>; one with nothing usable in it
// (every content translated to a rejected m-line) gets <unsupported-applications/>.
import { afterEach, describe, expect, it } from 'vitest';
import type { Element } from 'ltx';
import { NS, candidatesToTransportInfo, parseJingle, sdpToJingle } from '../../schemas/index.ts';
import { ALICE, CANDIDATE, ECHO, OFFER, jingleOf, startEcho, type Harness } from './echo-fixture.ts';

let h: Harness;
afterEach(async () => { await h?.service.close(); });

const trickle = (port: number): string => candidatesToTransportInfo([CANDIDATE(port)], { sid: 'x', creator: 'initiator' }).children.map(String).join('');

describe('an offer without a usable fingerprint', () => {
  /** OFFER's Jingle with its DTLS fingerprints taken out (what the translator cannot secure). */
  function withoutFingerprint(sid: string): Element {
    const j = sdpToJingle(OFFER, { role: 'initiator', sid, initiator: ALICE });
    for (const content of j.getChildren('content')) {
      const transport = content.getChild('transport', NS.iceUdp);
      if (transport) transport.children = transport.children.filter((c) => typeof c === 'string' || c.name !== 'fingerprint');
    }
    expect(j.toString()).not.toContain('fingerprint');
    return j;
  }

  it('is acknowledged, then terminated with <security-error/> from the called address; no peer is made', async () => {
    h = startEcho();
    const ack = await h.initiate(ALICE, 's1', { to: ECHO, jingle: withoutFingerprint('s1') });
    expect(ack.attrs.type).toBe('result');
    await h.settle();
    expect(h.peers).toHaveLength(0);
    expect(h.service.activeCalls).toBe(0);
    const terminate = h.requests.find((iq) => jingleOf(iq)?.attrs.action === 'session-terminate');
    expect([terminate?.attrs.from, terminate?.attrs.to]).toEqual([ECHO, ALICE]);
    expect(parseJingle(jingleOf(terminate)!)).toMatchObject({ sid: 's1', reason: { condition: 'security-error' } });
    expect(h.requests.some((iq) => jingleOf(iq)?.attrs.action === 'session-accept')).toBe(false);
    // The session is over: its sid is unknown now, and a new call with a fingerprint works.
    expect((await h.jingle(ALICE, 'transport-info', 's1', trickle(1), ECHO)).attrs.type).toBe('error');
    expect((await h.initiate(ALICE, 's2')).attrs.type).toBe('result');
  });
});

describe('an offer with nothing the echo can answer', () => {
  it('is acknowledged, then terminated with <unsupported-applications/>; no peer is made', async () => {
    h = startEcho();
    const ack = await h.jingle(ALICE, 'session-initiate', 'u1', `<content creator='initiator' name='0'/>`);
    expect(ack.attrs.type).toBe('result');
    await h.settle();
    expect(h.peers).toHaveLength(0);
    const terminate = h.requests.find((iq) => jingleOf(iq)?.attrs.action === 'session-terminate');
    expect(parseJingle(jingleOf(terminate)!)).toMatchObject({ sid: 'u1', reason: { condition: 'unsupported-applications' } });
    expect(h.service.activeCalls).toBe(0);
  });
});
