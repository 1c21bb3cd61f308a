// Session table scenarios as transcripts ("Romeo sends ... Romeo receives ..."): a call to the echo peer,
// strangers, duplicate initiates, tie breaks (XEP-0166 "Tie Breaking"), role attributes, limits, expiry.
import { describe, expect, it } from 'vitest';
import type { JingleAction } from '../../schemas/jingle/xep0166-types.ts';
import { SessionTable, sessionKey, type JingleRequest, type Result } from '../../component/sessions/index.ts';

const ECHO = 'echo@jingle.example.com/echo';
const ROMEO = 'romeo@montague.lit/orchard';
const ROMEO_PHONE = 'romeo@montague.lit/phone';
const JULIET = 'juliet@capulet.lit/balcony';
const MERCUTIO = 'mercutio@verona.lit/street';

const j = (action: JingleAction, sid: string, extra: Partial<JingleRequest> = {}): JingleRequest =>
  ({ action, sid, contents: [{}], ...extra });
const errorOf = (r: Result) => (r.ok ? undefined : r.error);
const stateOf = (t: SessionTable, local: string, peer: string, sid: string) => t.get(sessionKey(local, peer, sid))?.state;
const UNKNOWN = { type: 'cancel', condition: 'item-not-found', jingle: 'unknown-session' };
const TIE_BREAK = { type: 'cancel', condition: 'conflict', jingle: 'tie-break' };

describe('Romeo calls the echo peer', () => {
  it('runs pending -> active -> ended, and a stranger cannot touch it', () => {
    const t = new SessionTable();
    // Romeo sends session-initiate; Romeo receives a result, the service learns of the call.
    const init = t.receive(ROMEO, ECHO, j('session-initiate', 'r1', { initiator: ROMEO }), 0);
    expect(init).toMatchObject({
      ok: true, session: { state: 'pending', role: 'responder', peer: ROMEO }, event: { kind: 'initiated' },
    });
    // Romeo trickles a candidate before the call is accepted: allowed while PENDING.
    expect(t.receive(ROMEO, ECHO, j('transport-info', 'r1'), 10)).toMatchObject({ ok: true, event: { kind: 'transport-info' } });
    // The echo peer rings, then accepts.
    expect(t.send(ECHO, ROMEO, j('session-info', 'r1'), 20)).toMatchObject({ ok: true, event: { kind: 'info', by: 'us' } });
    const accept = t.send(ECHO, ROMEO, j('session-accept', 'r1', { responder: ECHO }), 30);
    expect(accept).toMatchObject({ ok: true, session: { state: 'active', since: 30 } });
    // Juliet (a stranger) sends transport-info with Romeo's sid: item-not-found + unknown-session.
    expect(errorOf(t.receive(JULIET, ECHO, j('transport-info', 'r1'), 40))).toEqual(UNKNOWN);
    // Juliet tries to hang up Romeo's call: the same answer, and Romeo's session is unaffected.
    expect(errorOf(t.receive(JULIET, ECHO, j('session-terminate', 'r1'), 41))).toEqual(UNKNOWN);
    // Romeo's other device knows the sid too, but is not the session's peer.
    expect(errorOf(t.receive(ROMEO_PHONE, ECHO, j('session-terminate', 'r1'), 42))).toEqual(UNKNOWN);
    // Romeo's stanza addressed to another of our addresses does not find the session either.
    expect(errorOf(t.receive(ROMEO, 'room@jingle.example.com/focus', j('transport-info', 'r1'), 43))).toEqual(UNKNOWN);
    expect(stateOf(t, ECHO, ROMEO, 'r1')).toBe('active');
    // Romeo hangs up; Romeo receives a result; the session is forgotten.
    const end = t.receive(ROMEO, ECHO, j('session-terminate', 'r1', { reason: { condition: 'success' } }), 50);
    expect(end).toMatchObject({
      ok: true, session: { state: 'ended' }, event: { kind: 'terminated', reason: 'success' },
    });
    expect(t.size).toBe(0);
    // A late transport-info from Romeo: unknown-session.
    expect(errorOf(t.receive(ROMEO, ECHO, j('transport-info', 'r1'), 60))).toEqual(UNKNOWN);
  });

  it('after WE send session-terminate, Romeo gets unknown-session at once', () => {
    const t = new SessionTable();
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    const decline = t.send(ECHO, ROMEO, j('session-terminate', 'r1', { reason: { condition: 'decline' } }), 1);
    expect(decline).toMatchObject({ ok: true, event: { by: 'us', reason: 'decline' } });
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-accept', 'r1'), 2))).toEqual(UNKNOWN);
  });

  it('compares JIDs as the server does: the case of the bare part does not matter', () => {
    const t = new SessionTable();
    t.receive('Romeo@Montague.lit/orchard', ECHO, j('session-initiate', 'r1', { initiator: 'romeo@montague.LIT/orchard' }), 0);
    expect(t.receive(ROMEO, ECHO, j('transport-info', 'r1'), 1).ok).toBe(true);
    expect(errorOf(t.receive('romeo@montague.lit/Orchard', ECHO, j('transport-info', 'r1'), 2))).toEqual(UNKNOWN);
  });

  it('a stranger re-using the sid gets a session of its own', () => {
    const t = new SessionTable();
    t.receive(ROMEO, ECHO, j('session-initiate', 'same'), 0);
    expect(t.receive(JULIET, ECHO, j('session-initiate', 'same'), 1)).toMatchObject({ ok: true, session: { peer: JULIET } });
    t.receive(JULIET, ECHO, j('session-terminate', 'same'), 2);
    expect(stateOf(t, ECHO, ROMEO, 'same')).toBe('pending');
  });
});

describe('illegal moves', () => {
  it('duplicate session-initiate from Romeo: out-of-order, before and after accept', () => {
    const t = new SessionTable();
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    const again = errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 1));
    expect(again).toEqual({
      type: 'wait', condition: 'unexpected-request', jingle: 'out-of-order',
      text: 'session-initiate from the initiator is not allowed in state pending',
    });
    t.send(ECHO, ROMEO, j('session-accept', 'r1'), 2);
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 3))?.jingle).toBe('out-of-order');
    expect(stateOf(t, ECHO, ROMEO, 'r1')).toBe('active');
  });

  it('Romeo (initiator) cannot accept his own call; we cannot accept ours', () => {
    const t = new SessionTable();
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    expect(errorOf(t.send(ECHO, ROMEO, j('session-initiate', 'r1'), 1))?.text)
      .toBe('session-initiate from the responder is not allowed in state pending');
    t.send(ECHO, JULIET, j('session-initiate', 'e1'), 0);
    expect(errorOf(t.send(ECHO, JULIET, j('session-accept', 'e1'), 1))?.text)
      .toBe('session-accept from the initiator is not allowed in state pending');
  });

  it('malformed session-initiate and session-accept: bad-request', () => {
    const t = new SessionTable();
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'r1', { contents: [] }), 0)))
      .toEqual({ type: 'cancel', condition: 'bad-request', text: 'session-initiate without a content' });
    const early = j('session-initiate', 'r1', { contents: [{ disposition: 'early-session' }] });
    expect(errorOf(t.receive(ROMEO, ECHO, early, 0))?.condition).toBe('bad-request');
    expect(t.size).toBe(0);
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1', { contents: [{ disposition: 'early-session' }, {}] }), 0);
    expect(errorOf(t.send(ECHO, ROMEO, j('session-accept', 'r1', { contents: [] }), 1))?.condition).toBe('bad-request');
    expect(stateOf(t, ECHO, ROMEO, 'r1')).toBe('pending');
  });

  it("role attributes naming someone else: ignored by default (XEP-0166), bad-request when checked", () => {
    const t = new SessionTable({ roleAttributes: 'check' });
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'r1', { initiator: JULIET }), 0))?.text)
      .toBe(`initiator '${JULIET}' is not this session's initiator`);
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'r1', { responder: JULIET }), 0))?.condition).toBe('bad-request');
    t.send(ECHO, ROMEO, j('session-initiate', 'e1', { initiator: ECHO }), 0);
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-accept', 'e1', { responder: ROMEO_PHONE }), 1))?.condition).toBe('bad-request');
    expect(errorOf(t.receive(ROMEO, ECHO, j('transport-info', 'e1', { initiator: ROMEO }), 1))?.condition).toBe('bad-request');
    expect(t.receive(ROMEO, ECHO, j('session-accept', 'e1', { responder: ROMEO, initiator: ECHO }), 2).ok).toBe(true);
    const lax = new SessionTable();
    expect(lax.receive(ROMEO, ECHO, j('session-initiate', 'r1', { initiator: JULIET }), 0).ok).toBe(true);
  });
});

describe('tie breaking: both sides send session-initiate', () => {
  it("Romeo's sid is lower: his call overrules ours, which we forget", () => {
    const t = new SessionTable();
    t.send(ECHO, ROMEO, j('session-initiate', 'b-ours'), 0);
    const r = t.receive(ROMEO, ECHO, j('session-initiate', 'a-his'), 1);
    expect(r).toMatchObject({
      ok: true, session: { sid: 'a-his', role: 'responder' }, event: { overruled: { sid: 'b-ours', state: 'ended' } },
    });
    expect(t.size).toBe(1);
  });

  it('our sid is lower: Romeo receives conflict + tie-break, our call stays', () => {
    const t = new SessionTable();
    t.send(ECHO, ROMEO, j('session-initiate', 'a-ours'), 0);
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'b-his'), 1))).toEqual(TIE_BREAK);
    expect(stateOf(t, ECHO, ROMEO, 'a-ours')).toBe('pending');
    expect(t.size).toBe(1);
  });

  it('the same sid: the lower JID wins', () => {
    const t = new SessionTable();
    t.send(ECHO, ROMEO, j('session-initiate', 'x'), 0); // echo@ < romeo@: ours wins
    expect(errorOf(t.receive(ROMEO, ECHO, j('session-initiate', 'x'), 1))).toEqual(TIE_BREAK);
    const zed = 'zed@jingle.example.com/echo'; // romeo@ < zed@: Romeo's wins
    t.send(zed, ROMEO, j('session-initiate', 'x'), 0);
    expect(t.receive(ROMEO, zed, j('session-initiate', 'x'), 1))
      .toMatchObject({ ok: true, session: { role: 'responder' }, event: { overruled: { role: 'initiator' } } });
  });

  it('no tie break once our call is accepted, nor with another peer', () => {
    const t = new SessionTable();
    t.send(ECHO, ROMEO, j('session-initiate', 'b-ours'), 0);
    t.receive(ROMEO, ECHO, j('session-accept', 'b-ours'), 1);
    expect(t.receive(ROMEO, ECHO, j('session-initiate', 'a-his'), 2)).toMatchObject({ ok: true, event: { kind: 'initiated' } });
    expect(t.size).toBe(2);
    t.send(ECHO, JULIET, j('session-initiate', 'z-ours'), 3);
    expect(t.receive(MERCUTIO, ECHO, j('session-initiate', 'a-his'), 4).ok).toBe(true);
    expect(stateOf(t, ECHO, JULIET, 'z-ours')).toBe('pending');
  });
});

describe('limits', () => {
  it('caps sessions in total: resource-constraint with a text', () => {
    const t = new SessionTable({ maxSessions: 2 });
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    t.receive(JULIET, ECHO, j('session-initiate', 'j1'), 0);
    expect(errorOf(t.receive(MERCUTIO, ECHO, j('session-initiate', 'm1'), 0)))
      .toEqual({ type: 'wait', condition: 'resource-constraint', text: 'too many Jingle sessions (at most 2)' });
    expect(errorOf(t.send(ECHO, MERCUTIO, j('session-initiate', 'e1'), 0))?.condition).toBe('resource-constraint');
  });

  it('caps sessions per account, across its devices, until one ends', () => {
    const t = new SessionTable({ maxSessionsPerPeer: 1 });
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    expect(errorOf(t.receive(ROMEO_PHONE, ECHO, j('session-initiate', 'p1'), 1))?.text)
      .toBe('too many Jingle sessions with romeo@montague.lit (at most 1)');
    expect(t.receive(JULIET, ECHO, j('session-initiate', 'j1'), 1).ok).toBe(true);
    expect(t.end(sessionKey(ECHO, ROMEO, 'r1'))).toMatchObject({ state: 'ended' });
    expect(t.end(sessionKey(ECHO, ROMEO, 'r1'))).toBeUndefined();
    expect(t.receive(ROMEO_PHONE, ECHO, j('session-initiate', 'p1'), 2).ok).toBe(true);
  });

  it('a tie break that replaces our call does not count it twice', () => {
    const t = new SessionTable({ maxSessionsPerPeer: 1, maxSessions: 1 });
    t.send(ECHO, ROMEO, j('session-initiate', 'b-ours'), 0);
    expect(t.receive(ROMEO, ECHO, j('session-initiate', 'a-his'), 1).ok).toBe(true);
  });
});

describe('expiry, with a fake clock', () => {
  it('times out a call never accepted after 60 s and an accepted one 2 min after accept', () => {
    const t = new SessionTable();
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    t.receive(JULIET, ECHO, j('session-initiate', 'j1'), 0);
    t.send(ECHO, JULIET, j('session-accept', 'j1'), 10_000);
    t.receive(JULIET, ECHO, j('transport-info', 'j1'), 50_000); // activity does not extend a call
    expect(t.expire(60_000)).toEqual([]);
    expect(t.expire(60_001)).toMatchObject([{ session: { peer: ROMEO, state: 'ended' }, reason: 'timeout' }]);
    expect(t.expire(130_000)).toEqual([]);
    expect(t.expire(130_001)).toMatchObject([{ session: { peer: JULIET }, reason: 'expired' }]);
    expect(t.size).toBe(0);
    expect(errorOf(t.receive(JULIET, ECHO, j('session-terminate', 'j1'), 130_002))).toEqual(UNKNOWN);
  });

  it('takes its timeouts as parameters', () => {
    const t = new SessionTable({ pendingTimeout: 5, activeMaxDuration: 1_000 });
    t.receive(ROMEO, ECHO, j('session-initiate', 'r1'), 0);
    expect(t.expire(6)).toHaveLength(1);
  });
});
