/**
 * XEP-0166: Jingle, https://xmpp.org/extensions/xep-0166.html (v1.1): the session table. Jingle requests go
 * in (`receive` for what a peer sent us, `send` for what we are about to send), a result comes out: the
 * session and what happened, or the error to answer with. No I/O, no timers: time comes in as `now` (ms).
 *
 * Sessions are keyed by (our JID, the peer's full JID, sid), so a sid only finds a session when it comes
 * from that session's peer to that session's address; anyone else gets unknown-session, the same answer
 * as for a sid that never existed. An ended session is forgotten at once: the XEP has the party that sent
 * or received session-terminate answer later requests with unknown-session.
 */
import type { Content, Jingle } from '../../schemas/jingle/xep0166.ts';
import type { ReasonCondition, Role } from '../../schemas/jingle/xep0166-types.ts';
import { badRequest, outOfOrder, resourceConstraint, tieBreak, unknownSession, type JingleError } from './errors.ts';
import { bareJid, normalizeJid, octetCompare } from './jid.ts';
import { EVENT_OF, move, type EventKind, type SessionState } from './states.ts';

/** The part of a parsed <jingle> the table reads; a whole `Jingle` fits. */
export type JingleRequest = Pick<Jingle, 'action' | 'sid' | 'initiator' | 'responder' | 'reason'> & {
  contents?: readonly Pick<Content, 'disposition'>[];
};

export interface SessionView {
  /** Opaque; pass it to `end` and `get`. */
  readonly key: string;
  readonly sid: string;
  /** Our JID in this session, normalized. */
  readonly local: string;
  /** The peer's full JID, normalized. */
  readonly peer: string;
  /** Our role. */
  readonly role: Role;
  readonly state: SessionState;
  /** When the session entered its state (ms). */
  readonly since: number;
}

export interface SessionEvent {
  readonly kind: EventKind;
  readonly action: Jingle['action'];
  /** Who sent the action. */
  readonly by: 'us' | 'peer';
  /** The reason given with the action (session-terminate's why). */
  readonly reason?: ReasonCondition;
  /** Our own pending session-initiate that the peer's simultaneous one overruled ("Tie Breaking"). */
  readonly overruled?: SessionView;
}

export type Result =
  | { readonly ok: true; readonly session: SessionView; readonly event: SessionEvent }
  | { readonly ok: false; readonly error: JingleError };

export interface Expired {
  readonly session: SessionView;
  /** For the session-terminate to send: `timeout` (never accepted), `expired` (active too long). */
  readonly reason: 'timeout' | 'expired';
}

export interface SessionTableOptions {
  /** How long a session may stay PENDING (ms). Default 60 s. */
  pendingTimeout?: number;
  /** How long a session may stay ACTIVE (ms). Default 2 min, the echo peer's call length. */
  activeMaxDuration?: number;
  /** Sessions in total. Default 256. */
  maxSessions?: number;
  /** Sessions per peer account (bare JID). Default 4. */
  maxSessionsPerPeer?: number;
  /**
   * 'ignore' (default, as XEP-0166 says: the stamped `from` decides who acts, and clients differ in
   * what they write there): skip the check. 'check': an 'initiator' or 'responder' attribute that names
   * someone other than the session's party is a bad-request.
   */
  roleAttributes?: 'check' | 'ignore';
}

interface Rec {
  key: string;
  sid: string;
  local: string;
  peer: string;
  role: Role;
  state: SessionState;
  since: number;
}

const DEFAULTS: Required<SessionTableOptions> = {
  pendingTimeout: 60_000,
  activeMaxDuration: 120_000,
  maxSessions: 256,
  maxSessionsPerPeer: 4,
  roleAttributes: 'ignore',
};

/** The key of the session between `local` and `peer` with this sid. */
export function sessionKey(local: string, peer: string, sid: string): string {
  return `${normalizeJid(local)}\0${normalizeJid(peer)}\0${sid}`;
}

const other = (r: Role): Role => (r === 'initiator' ? 'responder' : 'initiator');
const view = (r: Rec): SessionView => Object.freeze({ ...r });
const fail = (error: JingleError): Result => ({ ok: false, error });

export class SessionTable {
  readonly #opts: Required<SessionTableOptions>;
  readonly #byKey = new Map<string, Rec>();
  readonly #byPeer = new Map<string, Set<Rec>>();

  constructor(options: SessionTableOptions = {}) {
    this.#opts = { ...DEFAULTS, ...options };
  }

  get size(): number {
    return this.#byKey.size;
  }

  get(key: string): SessionView | undefined {
    const rec = this.#byKey.get(key);
    return rec && view(rec);
  }

  /** A Jingle IQ-set `from` a peer `to` us: the session it moves, or the error to reply with. */
  receive(from: string, to: string, jingle: JingleRequest, now: number): Result {
    return this.#apply(to, from, jingle, now, 'peer');
  }

  /** A Jingle IQ-set we are about to send `from` our address `to` a peer; refused if the move is illegal. */
  send(from: string, to: string, jingle: JingleRequest, now: number): Result {
    return this.#apply(from, to, jingle, now, 'us');
  }

  /** Forget the sessions past their time; the caller sends each peer a session-terminate with `reason`. */
  expire(now: number): Expired[] {
    const out: Expired[] = [];
    for (const rec of this.#byKey.values()) {
      const pending = rec.state === 'pending';
      if (now - rec.since <= (pending ? this.#opts.pendingTimeout : this.#opts.activeMaxDuration)) continue;
      this.#remove(rec);
      out.push({ session: view(rec), reason: pending ? 'timeout' : 'expired' });
    }
    return out;
  }

  /** Forget a session (e.g. its transport failed and the service terminates it); returns it as ended. */
  end(key: string): SessionView | undefined {
    const rec = this.#byKey.get(key);
    if (!rec) return undefined;
    this.#remove(rec);
    return view(rec);
  }

  #apply(local: string, peer: string, j: JingleRequest, now: number, by: 'us' | 'peer'): Result {
    const key = sessionKey(local, peer, j.sid);
    const rec = this.#byKey.get(key);
    if (j.action === 'session-initiate') return this.#initiate(key, local, peer, j, now, by, rec);
    if (!rec) return fail(unknownSession());
    const m = move(rec.state, j.action, by === 'us' ? rec.role : other(rec.role));
    if (!m.ok) return m;
    const bad = malformed(j) ?? this.#roles(rec.role === 'initiator' ? [rec.local, rec.peer] : [rec.peer, rec.local], j);
    if (bad) return fail(bad);
    if (m.next !== rec.state) {
      rec.state = m.next;
      rec.since = now;
      if (m.next === 'ended') this.#remove(rec);
    }
    return { ok: true, session: view(rec), event: event(j, by) };
  }

  #initiate(key: string, local: string, peer: string, j: JingleRequest, now: number, by: 'us' | 'peer', existing?: Rec): Result {
    const [l, p] = [normalizeJid(local), normalizeJid(peer)];
    const bad = malformed(j) ?? this.#roles(by === 'peer' ? [p, l] : [l, p], j);
    if (bad) return fail(bad);
    // "Tie Breaking": both sides sent session-initiate. Different sids: the lower sid wins; the same sid:
    // the lower JID wins. The loser's initiate gets conflict + tie-break; the winner's is accepted.
    let overruled: Rec | undefined;
    if (existing) {
      const race = by === 'peer' && existing.role === 'initiator' && existing.state === 'pending';
      if (!race) return fail(outOfOrder(existing.state, 'session-initiate', by === 'us' ? existing.role : other(existing.role)));
      if (octetCompare(l, p) < 0) return fail(tieBreak());
      overruled = existing;
    } else if (by === 'peer') {
      overruled = this.#pendingOutgoing(l, p);
      if (overruled && octetCompare(overruled.sid, j.sid) < 0) return fail(tieBreak());
    }
    const freed = overruled ? 1 : 0;
    const bare = bareJid(p);
    if (this.#byKey.size - freed >= this.#opts.maxSessions) {
      return fail(resourceConstraint(`too many Jingle sessions (at most ${this.#opts.maxSessions})`));
    }
    if ((this.#byPeer.get(bare)?.size ?? 0) - freed >= this.#opts.maxSessionsPerPeer) {
      return fail(resourceConstraint(`too many Jingle sessions with ${bare} (at most ${this.#opts.maxSessionsPerPeer})`));
    }
    if (overruled) this.#remove(overruled);
    const role: Role = by === 'peer' ? 'responder' : 'initiator';
    const rec: Rec = { key, sid: j.sid, local: l, peer: p, role, state: 'pending', since: now };
    this.#byKey.set(key, rec);
    const peers = this.#byPeer.get(bare) ?? new Set<Rec>();
    this.#byPeer.set(bare, peers.add(rec));
    const ev = event(j, by);
    return { ok: true, session: view(rec), event: overruled ? { ...ev, overruled: view(overruled) } : ev };
  }

  /** Our session-initiate to exactly this peer from exactly this address, not yet accepted. */
  #pendingOutgoing(local: string, peer: string): Rec | undefined {
    for (const rec of this.#byPeer.get(bareJid(peer)) ?? []) {
      if (rec.peer === peer && rec.local === local && rec.role === 'initiator' && rec.state === 'pending') return rec;
    }
    return undefined;
  }

  /** The 'initiator'/'responder' attributes, when present, must name the session's parties. */
  #roles([initiator, responder]: readonly [string, string], j: JingleRequest): JingleError | undefined {
    if (this.#opts.roleAttributes === 'ignore') return undefined;
    if (j.initiator !== undefined && normalizeJid(j.initiator) !== initiator) {
      return badRequest(`initiator '${j.initiator}' is not this session's initiator`);
    }
    if (j.responder !== undefined && normalizeJid(j.responder) !== responder) {
      return badRequest(`responder '${j.responder}' is not this session's responder`);
    }
    return undefined;
  }

  #remove(rec: Rec): void {
    rec.state = 'ended';
    this.#byKey.delete(rec.key);
    const bare = bareJid(rec.peer);
    const peers = this.#byPeer.get(bare);
    peers?.delete(rec);
    if (peers?.size === 0) this.#byPeer.delete(bare);
  }
}

/** "Session Flow" and "Action Attribute": what session-initiate and session-accept must carry. */
function malformed(j: JingleRequest): JingleError | undefined {
  if (j.action !== 'session-initiate' && j.action !== 'session-accept') return undefined;
  const contents = j.contents ?? [];
  if (contents.length === 0) return badRequest(`${j.action} without a content`);
  if (j.action === 'session-initiate' && !contents.some((c) => (c.disposition ?? 'session') === 'session')) {
    return badRequest('session-initiate without a content of disposition "session"');
  }
  return undefined;
}

function event(j: JingleRequest, by: 'us' | 'peer'): SessionEvent {
  const kind = EVENT_OF[j.action];
  return j.reason ? { kind, action: j.action, by, reason: j.reason.condition } : { kind, action: j.action, by };
}
