/**
 * Calls as entries of a conversation (issue 11 B5), no I/O. One call (one Jingle sid) is told by
 * several sources that may come in any order and more than once: the XEP-0353 messages (propose,
 * ringing, proceed, accept, reject, retract, finish) live, as carbons and from the archive (where pages
 * go back in time, so a finish can come before its propose), and the call controller's own summary when
 * a call of this device ends. Each source adds facts to one `CallFacts`; `callEntry` reads the entry
 * to show from all the facts it has, the summary winning where it knows better.
 */
import type { JmiMessage } from '../../schemas/index.ts';
import type { CallSummary } from './call-record.ts';

/** What the call controller reports when a call of this device ends (CallController.onEnded). */
export type { CallSummary };

export type CallDirection = 'incoming' | 'outgoing';

/**
 * - `ringing`: proposed, no answer yet (and not so old that nobody can still answer).
 * - `answered`: someone picked up (here or on another device of ours).
 * - `missed`: incoming, nobody of ours answered and the caller gave up (or it rang out).
 * - `unanswered`: outgoing, the callee never answered.
 * - `declined` / `busy`: the callee refused (`by` tells who).
 * - `failed`: answered or started, but it never connected.
 */
export type CallOutcome = 'ringing' | 'answered' | 'missed' | 'unanswered' | 'declined' | 'busy' | 'failed';

/** One call as the conversation shows it. */
export interface CallEntry {
  readonly sid: string;
  readonly direction: CallDirection;
  readonly media: 'audio' | 'video';
  /** A test call (to the echo peer). */
  readonly test: boolean;
  readonly outcome: CallOutcome;
  /** ms since the epoch: when it was proposed (or first heard of). */
  readonly startedAt: number;
  readonly connectedAt: number | undefined;
  readonly endedAt: number | undefined;
  /** connectedAt to endedAt, when both are known. */
  readonly durationMs: number | undefined;
  /** Who refused, gave up or hung up, where known. */
  readonly by: 'us' | 'peer' | 'other-device' | undefined;
  /** The ending's condition (a XEP-0166 reason or a JMI outcome), and the peer's text with it. */
  readonly reason: string | undefined;
  readonly text: string | undefined;
}

interface Step { at: number; byUs: boolean; reason: string | undefined; text: string | undefined }

/** Everything heard about one call so far. */
export interface CallFacts {
  readonly sid: string;
  direction: CallDirection | undefined;
  media: string[];
  firstSeen: number;
  proposedAt?: number;
  proceeded?: Step;
  rejected?: Step;
  retracted?: Step;
  finished?: Step;
  summary?: CallSummary;
}

export function newCallFacts(sid: string, at: number): CallFacts {
  return { sid, direction: undefined, media: [], firstSeen: at };
}

/** Who sends which JMI action: the caller proposes and retracts, the callee rings, answers and rejects. */
const BY_CALLER: readonly string[] = ['propose', 'retract'];
const BY_CALLEE: readonly string[] = ['ringing', 'proceed', 'accept', 'reject'];

/** Adds one XEP-0353 message to the facts: `fromUs` when one of our devices sent it, `at` its time. */
export function addJmi(f: CallFacts, jmi: JmiMessage, fromUs: boolean, at: number): void {
  f.firstSeen = Math.min(f.firstSeen, at);
  if (BY_CALLER.includes(jmi.action)) f.direction = fromUs ? 'outgoing' : 'incoming';
  else if (BY_CALLEE.includes(jmi.action)) f.direction = fromUs ? 'incoming' : 'outgoing';
  const step: Step = { at, byUs: fromUs, reason: jmi.reason?.condition, text: jmi.reason?.text };
  switch (jmi.action) {
    case 'propose':
      f.proposedAt = Math.min(f.proposedAt ?? at, at);
      if (jmi.media.length > 0) f.media = [...jmi.media];
      break;
    case 'proceed': case 'accept': f.proceeded ??= step; break;
    case 'reject': f.rejected ??= step; break;
    case 'retract': f.retracted ??= step; break;
    case 'finish': f.finished ??= step; break;
    default: break;
  }
}

export function addSummary(f: CallFacts, s: CallSummary): void {
  f.summary = s;
  f.direction = s.direction;
  f.firstSeen = Math.min(f.firstSeen, s.startedAt);
}

/** The entry for these facts at time `now`; a proposal older than `ringLimitMs` has rung out. */
export function callEntry(f: CallFacts, now: number, ringLimitMs: number): CallEntry {
  if (f.summary) return fromSummary(f.summary);
  const direction = f.direction ?? 'incoming';
  const startedAt = f.proposedAt ?? f.firstSeen;
  const base = {
    sid: f.sid, direction, media: f.media.includes('video') ? 'video' as const : 'audio' as const, test: false, startedAt,
    connectedAt: undefined, endedAt: undefined, durationMs: undefined, by: undefined, reason: undefined, text: undefined,
  };
  const who = (s: Step): 'us' | 'peer' => (s.byUs ? 'us' : 'peer');
  if (f.rejected && !f.proceeded) {
    const r = f.rejected;
    return { ...base, outcome: r.reason === 'busy' ? 'busy' : 'declined', endedAt: r.at, by: who(r), reason: r.reason ?? 'decline', text: r.text };
  }
  if (f.proceeded || f.finished) {
    const connectedAt = f.proceeded?.at;
    const end = f.finished;
    const durationMs = connectedAt !== undefined && end ? Math.max(0, end.at - connectedAt) : undefined;
    return { ...base, outcome: 'answered', connectedAt, endedAt: end?.at, durationMs, by: end && who(end), reason: end?.reason, text: end?.text };
  }
  const unanswered = direction === 'incoming' ? 'missed' as const : 'unanswered' as const;
  if (f.retracted) {
    const r = f.retracted;
    return { ...base, outcome: unanswered, endedAt: r.at, by: who(r), reason: r.reason ?? 'cancel', text: r.text };
  }
  return { ...base, outcome: now - startedAt >= ringLimitMs ? unanswered : 'ringing' };
}

const REFUSED: Record<string, CallOutcome> = { decline: 'declined', 'declined-elsewhere': 'declined', busy: 'busy' };
const GAVE_UP: readonly string[] = ['cancel', 'retracted', 'timeout', 'success', 'gone'];

function fromSummary(s: CallSummary): CallEntry {
  const c = s.reason.condition;
  let outcome: CallOutcome;
  if (s.missed) outcome = 'missed';
  else if (s.connectedAt !== undefined || c === 'answered-elsewhere') outcome = 'answered';
  else if (REFUSED[c]) outcome = REFUSED[c];
  else if (GAVE_UP.includes(c)) outcome = s.direction === 'incoming' ? 'missed' : 'unanswered';
  else outcome = 'failed';
  return {
    sid: s.sid, direction: s.direction, media: s.media.video ? 'video' : 'audio', test: s.test, outcome,
    startedAt: s.startedAt, connectedAt: s.connectedAt, endedAt: s.endedAt,
    durationMs: s.connectedAt === undefined ? undefined : Math.max(0, s.endedAt - s.connectedAt),
    by: s.reason.by, reason: c, text: s.reason.text,
  };
}

/**
 * 125000 ms -> "2:05"; an hour or more -> "1:02:05". A finished call rounds to the nearest second; a
 * running timer passes Math.floor, so it never shows a second that has not passed yet.
 */
export function formatDuration(ms: number, round: (seconds: number) => number = Math.round): string {
  const total = Math.max(0, round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** The words of an entry, for the conversation: "Missed video call", "Outgoing call, 2:05", ... */
export function describeCall(e: CallEntry): string {
  const kind = e.test ? 'Test call' : e.media === 'video' ? 'video call' : 'call';
  const Kind = kind[0]!.toUpperCase() + kind.slice(1);
  const dir = e.test ? kind : `${e.direction === 'incoming' ? 'Incoming' : 'Outgoing'} ${kind}`;
  switch (e.outcome) {
    case 'ringing': return e.direction === 'incoming' ? `Incoming ${kind}, ringing` : `Outgoing ${kind}, calling`;
    case 'answered': {
      const elsewhere = e.reason === 'answered-elsewhere' ? ', answered on another device' : '';
      return e.durationMs === undefined ? `${dir}${elsewhere}` : `${dir}, ${formatDuration(e.durationMs)}`;
    }
    case 'missed': return `Missed ${kind}`;
    case 'unanswered': return `${dir}, no answer`;
    case 'declined': return e.by === 'peer' ? `${dir}, declined` : e.by === 'other-device' ? `${dir}, declined on another device` : `${dir}, you declined`;
    case 'busy': return `${dir}, busy`;
    case 'failed': return `${Kind} failed`;
  }
}
