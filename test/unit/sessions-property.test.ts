// Property tests of the session table: any sequence of Jingle requests from the peer, a stranger and us,
// on known and random sids, never throws, always answers with a session or a well-formed error, keeps the
// limits, and a stranger's requests never change the peer's sessions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JINGLE_ACTIONS, JINGLE_ERRORS, REASON_CONDITIONS } from '../../schemas/jingle/xep0166-types.ts';
import {
  EVENT_OF, SESSION_STATES, SessionTable, sessionKey, type JingleRequest, type Result, type SessionView,
} from '../../component/sessions/index.ts';

const ECHO = 'echo@jingle.example.com/echo';
const PEER = 'romeo@montague.lit/orchard';
const STRANGER = 'juliet@capulet.lit/balcony';
const KNOWN_SIDS = ['s1', 's2', 's3'];
const LIMITS = { maxSessions: 4, maxSessionsPerPeer: 3, pendingTimeout: 500, activeMaxDuration: 2_000 };

const ERROR_TYPES = ['cancel', 'modify', 'wait'];
const CONDITIONS = [
  'bad-request', 'conflict', 'feature-not-implemented', 'item-not-found', 'resource-constraint',
  'service-unavailable', 'unexpected-request',
];

const step = fc.record({
  who: fc.constantFrom('peer', 'stranger', 'us', 'expire'),
  action: fc.constantFrom(...JINGLE_ACTIONS),
  sid: fc.oneof(fc.constantFrom(...KNOWN_SIDS), fc.string({ maxLength: 8 })),
  contents: fc.constantFrom(0, 1, 2),
  early: fc.boolean(),
  initiator: fc.constantFrom(undefined, PEER, ECHO, STRANGER),
  responder: fc.constantFrom(undefined, PEER, ECHO, STRANGER),
  reason: fc.option(fc.constantFrom(...REASON_CONDITIONS), { nil: undefined }),
  dt: fc.integer({ min: 0, max: 400 }),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function request(s: Step): JingleRequest {
  const contents = Array.from({ length: s.contents }, () => (s.early ? { disposition: 'early-session' } : {}));
  const r: JingleRequest = { action: s.action, sid: s.sid, contents };
  if (s.initiator !== undefined) r.initiator = s.initiator;
  if (s.responder !== undefined) r.responder = s.responder;
  if (s.reason !== undefined) r.reason = { condition: s.reason };
  return r;
}

function expectWellFormed(r: Result, action: string): void {
  if (r.ok) {
    expect(SESSION_STATES).toContain(r.session.state);
    expect(r.event.action).toBe(action);
    expect(r.event.kind).toBe(EVENT_OF[r.event.action]);
    return;
  }
  const e = r.error;
  for (const k of Object.keys(e)) expect(['type', 'condition', 'jingle', 'text']).toContain(k);
  expect(ERROR_TYPES).toContain(e.type);
  expect(CONDITIONS).toContain(e.condition);
  if (e.jingle !== undefined) expect(JINGLE_ERRORS).toContain(e.jingle);
  if (e.text !== undefined) expect(typeof e.text).toBe('string');
}

/** Every session we have with the peer, by sid, as far as `get` shows it. */
function peerSessions(t: SessionTable, sids: Set<string>): Map<string, SessionView | undefined> {
  return new Map([...sids].map((sid) => [sid, t.get(sessionKey(ECHO, PEER, sid))]));
}

describe('SessionTable under random request sequences', () => {
  it('never throws, answers well-formed, keeps its limits, ignores strangers', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const t = new SessionTable(LIMITS);
        const sids = new Set(KNOWN_SIDS);
        let now = 0;
        for (const s of steps) {
          now += s.dt;
          sids.add(s.sid);
          if (s.who === 'expire') {
            for (const x of t.expire(now)) expect(x.session.state).toBe('ended');
            continue;
          }
          const before = peerSessions(t, sids);
          const j = request(s);
          const r =
            s.who === 'peer' ? t.receive(PEER, ECHO, j, now)
            : s.who === 'stranger' ? t.receive(STRANGER, ECHO, j, now)
            : t.send(ECHO, PEER, j, now);
          expectWellFormed(r, s.action);
          if (s.who === 'stranger') expect(peerSessions(t, sids)).toEqual(before);
          const sender = s.who === 'stranger' ? STRANGER : PEER;
          if (!r.ok && r.error.jingle === 'unknown-session') expect(t.get(sessionKey(ECHO, sender, s.sid))).toBeUndefined();
          expect(t.size).toBeLessThanOrEqual(LIMITS.maxSessions);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a stranger using the peer's sid gets unknown-session or a session of its own, never the peer's", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const t = new SessionTable();
        t.receive(PEER, ECHO, { action: 'session-initiate', sid: 's1', contents: [{}] }, 0);
        t.send(ECHO, PEER, { action: 'session-accept', sid: 's1', contents: [{}] }, 1);
        for (const s of steps) {
          const own = t.get(sessionKey(ECHO, STRANGER, 's1'));
          const r = t.receive(STRANGER, ECHO, { ...request(s), sid: 's1' }, 2);
          if (r.ok) expect(r.session.peer).toBe(STRANGER);
          else if (!own && s.action !== 'session-initiate') expect(r.error.jingle).toBe('unknown-session');
        }
        expect(t.get(sessionKey(ECHO, PEER, 's1'))).toMatchObject({ state: 'active', since: 1 });
      }),
      { numRuns: 300 },
    );
  });
});
