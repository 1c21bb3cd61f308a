// Which address the echo peer speaks from: the one the caller called. StanzaJS calls echo@<domain>
// (bare) and takes the session's stanzas only from that JID; others call echo@<domain>/echo.
import { afterEach, describe, expect, it } from 'vitest';
import { NS, candidatesToTransportInfo, findJmi, parseJingle } from '../../schemas/index.ts';
import { ALICE, CANDIDATE, ECHO, ECHO_FULL, jingleOf, startEcho, type Harness } from './echo-fixture.ts';

let h: Harness;
afterEach(async () => { await h?.service.close(); });

const trickle = (port: number): string => candidatesToTransportInfo([CANDIDATE(port)], { sid: 'x', creator: 'initiator' }).children.map(String).join('');
/** [action, from, to] of every Jingle iq-set we sent. */
const ours = (): [string | undefined, string | undefined, string | undefined][] =>
  h.requests.concat(h.sent.filter((s) => s.name === 'iq')).map((iq) => [jingleOf(iq)?.attrs.action as string | undefined, iq.attrs.from as string | undefined, iq.attrs.to as string | undefined]);

describe('the echo peer answers from the address it was called at', () => {
  it('called at the bare JID: every reply and request of the session comes from the bare JID, which is the responder', async () => {
    h = startEcho();
    const ack = await h.initiate(ALICE, 'b1', { to: ECHO });
    expect([ack.attrs.type, ack.attrs.from]).toEqual(['result', ECHO]);
    await h.settle();
    const accept = parseJingle(jingleOf(h.requests[0])!);
    expect([accept.action, accept.responder, accept.initiator]).toEqual(['session-accept', ECHO, ALICE]);
    h.peers[0]!.options.onCandidate(CANDIDATE(40001));
    await h.settle();
    const info = await h.jingle(ALICE, 'session-info', 'b1', `<ringing xmlns='${NS.rtpInfo}'/>`, ECHO);
    expect([info.attrs.type, info.attrs.from]).toEqual(['result', ECHO]);
    const ti = await h.jingle(ALICE, 'transport-info', 'b1', trickle(50000), ECHO);
    expect([ti.attrs.type, ti.attrs.from]).toEqual(['result', ECHO]);
    await h.service.close();
    expect(ours()).toEqual([
      ['session-accept', ECHO, ALICE], ['transport-info', ECHO, ALICE], ['transport-info', ECHO, ALICE], ['session-terminate', ECHO, ALICE],
    ]);
  });

  it('called at the full JID: from the full JID, as before; a caller that switches form mid-session still reaches it', async () => {
    h = startEcho(['--echo-max-seconds', '30']);
    await h.initiate(ALICE, 'f1');
    await h.settle();
    expect(parseJingle(jingleOf(h.requests[0])!).responder).toBe(ECHO_FULL);
    expect((await h.jingle(ALICE, 'transport-info', 'f1', trickle(50000), ECHO)).attrs.type).toBe('result');
    h.clock.now += 31_000;
    h.service.tick();
    await h.settle();
    expect(ours().map(([action, from]) => [action, from])).toEqual([
      ['session-accept', ECHO_FULL], ['transport-info', ECHO_FULL], ['session-terminate', ECHO_FULL],
    ]);
  });

  it('XEP-0353 messages still come from the full JID, whichever address the call then uses', async () => {
    h = startEcho();
    await h.handle(`<message from='${ALICE}' to='${ECHO}' type='chat' id='m1'><propose xmlns='${NS.jmi}' id='p1'><description xmlns='${NS.rtp}' media='audio'/></propose></message>`);
    expect(h.sent.map((m) => [findJmi(m)?.action, m.attrs.from])).toEqual([['ringing', ECHO_FULL], ['proceed', ECHO_FULL]]);
    await h.initiate(ALICE, 'p1', { to: ECHO });
    await h.settle();
    expect(h.requests[0]?.attrs.from).toBe(ECHO);
  });
});
