// The XEP-0166 session state machine (component/sessions/): every (state, action, sender) against an oracle
// written from the XEP's text, once through `move` and once through a real SessionTable; the error values;
// the JID and i;octet helpers. Scenarios: sessions-scenarios.test.ts; properties: sessions-property.test.ts.
import { describe, expect, it } from 'vitest';
import { JINGLE_ACTIONS, ROLES, type JingleAction, type Role } from '../../schemas/jingle/xep0166-types.ts';
import {
  SessionTable, badRequest, bareJid, move, normalizeJid, octetCompare, outOfOrder, resourceConstraint,
  serviceUnavailable, tieBreak, unknownSession, unsupportedInfo, type JingleError, type JingleRequest, type SessionState,
} from '../../component/sessions/index.ts';

const ECHO = 'echo@jingle.example.com/echo';
const ROMEO = 'romeo@montague.lit/orchard';
const SID = 'a73sjjvkla37jfea';
const T0 = 1_000_000;

const jingle = (action: JingleAction, sid = SID): JingleRequest => ({ action, sid, contents: [{}] });

type Expect = { next: SessionState } | { error: JingleError };

const UNKNOWN_SESSION: JingleError = { type: 'cancel', condition: 'item-not-found', jingle: 'unknown-session' };
const outOfOrderLiteral = (state: string, action: string, sender: string): JingleError => ({
  type: 'wait', condition: 'unexpected-request', jingle: 'out-of-order',
  text: `${action} from the ${sender} is not allowed in state ${state}`,
});

/**
 * The oracle, restated from XEP-0166 ("Overall Session Management", "Acceptance", "Termination"): every
 * action but session-initiate and session-accept is allowed from either party while PENDING or ACTIVE and
 * keeps the state; session-accept comes from the responder and only while PENDING; session-terminate from
 * either party ends the session; after it, every request is answered with unknown-session.
 */
function oracle(state: SessionState | undefined, action: JingleAction, sender: Role): Expect {
  if (state === undefined) return action === 'session-initiate' ? { next: 'pending' } : { error: UNKNOWN_SESSION };
  if (state === 'ended') return { error: UNKNOWN_SESSION };
  if (action === 'session-initiate') return { error: outOfOrderLiteral(state, action, sender) };
  if (action === 'session-accept') {
    return state === 'pending' && sender === 'responder' ? { next: 'active' } : { error: outOfOrderLiteral(state, action, sender) };
  }
  if (action === 'session-terminate') return { next: 'ended' };
  return { next: state };
}

const STATES: SessionState[] = ['pending', 'active', 'ended'];
const ROWS = STATES.flatMap((state) => JINGLE_ACTIONS.flatMap((action) => ROLES.map((sender) => ({ state, action, sender }))));

describe('the transition table, every (state, action, sender)', () => {
  it('has 90 rows for live and ended sessions', () => expect(ROWS).toHaveLength(90));

  it.each(ROWS)('move($state, $action, $sender)', ({ state, action, sender }) => {
    const want = oracle(state, action, sender);
    const got = move(state, action, sender);
    if ('next' in want) expect(got).toEqual({ ok: true, next: want.next });
    else expect(got).toEqual({ ok: false, error: want.error });
  });

  it.each(JINGLE_ACTIONS.map((action) => ({ action })))('move(no session, $action)', ({ action }) => {
    const want = oracle(undefined, action, 'initiator');
    const got = move(undefined, action, 'initiator');
    if ('next' in want) expect(got).toEqual({ ok: true, next: want.next });
    else expect(got).toEqual({ ok: false, error: want.error });
  });

  it('names the state and the action in an illegal move', () => {
    const got = move('active', 'session-accept', 'responder');
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.error.text).toBe('session-accept from the responder is not allowed in state active');
  });
});

/**
 * A table with one session with Romeo in `state`, where Romeo is the `sender` role: as initiator he called
 * us; as responder we called him.
 */
function tableWith(state: SessionState, romeo: Role): SessionTable {
  const t = new SessionTable();
  const ok = (r: { ok: boolean }) => expect(r.ok).toBe(true);
  if (romeo === 'initiator') ok(t.receive(ROMEO, ECHO, jingle('session-initiate'), T0));
  else ok(t.send(ECHO, ROMEO, jingle('session-initiate'), T0));
  if (state === 'pending') return t;
  if (romeo === 'initiator') ok(t.send(ECHO, ROMEO, jingle('session-accept'), T0 + 1));
  else ok(t.receive(ROMEO, ECHO, jingle('session-accept'), T0 + 1));
  if (state === 'ended') ok(t.send(ECHO, ROMEO, jingle('session-terminate'), T0 + 2));
  return t;
}

describe('the transition table through SessionTable.receive', () => {
  it.each(ROWS)('Romeo ($sender) sends $action on a $state session', ({ state, action, sender }) => {
    const t = tableWith(state, sender);
    const got = t.receive(ROMEO, ECHO, jingle(action), T0 + 10);
    if (state === 'ended' && action === 'session-initiate') {
      // An ended session is forgotten: the same sid later starts a new session, Romeo its initiator.
      expect(got.ok && got.session.role).toBe('responder');
      return;
    }
    if (state === 'pending' && action === 'session-initiate' && sender === 'responder') {
      // Both sent session-initiate with the same sid: the lower JID (echo@ < romeo@) wins, Romeo loses.
      expect(got).toEqual({ ok: false, error: { type: 'cancel', condition: 'conflict', jingle: 'tie-break' } });
      return;
    }
    const want = oracle(state, action, sender);
    if ('error' in want) {
      expect(got).toEqual({ ok: false, error: want.error });
      expect(t.size).toBe(state === 'ended' ? 0 : 1);
      return;
    }
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.session.state).toBe(want.next);
    expect(got.event).toMatchObject({ action, by: 'peer' });
    expect(t.size).toBe(want.next === 'ended' ? 0 : 1);
  });
});

describe('error values (XEP-0166 "Error Handling" and its examples)', () => {
  it.each([
    ['unknownSession', unknownSession(), 'cancel', 'item-not-found', 'unknown-session'],
    ['outOfOrder', outOfOrder('active', 'session-accept'), 'wait', 'unexpected-request', 'out-of-order'],
    ['tieBreak', tieBreak(), 'cancel', 'conflict', 'tie-break'],
    ['unsupportedInfo', unsupportedInfo(), 'modify', 'feature-not-implemented', 'unsupported-info'],
    ['badRequest', badRequest('x'), 'cancel', 'bad-request', undefined],
    ['resourceConstraint', resourceConstraint('x'), 'wait', 'resource-constraint', undefined],
    ['serviceUnavailable', serviceUnavailable(), 'cancel', 'service-unavailable', undefined],
  ] as const)('%s', (_name, error, type, condition, jingleCondition) => {
    expect(error.type).toBe(type);
    expect(error.condition).toBe(condition);
    expect(error.jingle).toBe(jingleCondition);
  });

  it('outOfOrder names the state and the action', () => {
    expect(outOfOrder('active', 'session-accept').text).toBe('session-accept is not allowed in state active');
  });

  it('unknownSession carries no text that could reveal anything', () => {
    expect(unknownSession().text).toBeUndefined();
  });
});

describe('JIDs and i;octet order', () => {
  it('case-folds the bare part and keeps the resource', () => {
    expect(normalizeJid('Romeo@Montague.LIT/Orchard')).toBe('romeo@montague.lit/Orchard');
    expect(normalizeJid('Romeo@Montague.LIT')).toBe('romeo@montague.lit');
    expect(normalizeJid('romeo@montague.lit/a/B@C')).toBe('romeo@montague.lit/a/B@C');
    expect(bareJid('Romeo@Montague.lit/Orchard')).toBe('romeo@montague.lit');
  });

  it('orders by octets of UTF-8, not UTF-16 code units', () => {
    expect(octetCompare('a', 'b')).toBe(-1);
    expect(octetCompare('ab', 'a')).toBe(1);
    expect(octetCompare('', '')).toBe(0);
    expect(octetCompare('A', 'a')).toBe(-1);
    expect('\u{1F600}' < '\uFFFD').toBe(true); // JavaScript's order...
    expect(octetCompare('\u{1F600}', '\uFFFD')).toBe(1); // ...and UTF-8's: F0 9F 98 80 > EF BF BD
    expect(Buffer.compare(Buffer.from('\u{1F600}'), Buffer.from('\uFFFD'))).toBe(1);
  });
});
