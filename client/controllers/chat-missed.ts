/**
 * Missed calls to tell the user about (issue 11 B4): those that rang here or on our other devices, or
 * while we were away, since the last time this account was seen online in this browser. That time is
 * kept in localStorage (when there is one), so the next login asks the archive for what came since.
 */

export interface MissedCall {
  /** Bare JID of the caller. */
  readonly contact: string;
  readonly sid: string;
  /** When it rang (ms since the epoch). */
  readonly at: number;
  readonly media: 'audio' | 'video';
}

/** The part of the Web Storage API used here. */
export interface SeenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The last time an account was seen online here, written at most once per `everyMs`, and its unseen missed calls. */
export class LastSeen {
  private written = 0;

  constructor(private readonly storage: SeenStorage | undefined, private readonly everyMs = 30_000) {}

  private key(account: string, what = 'last-seen'): string {
    return `jingle-gateway:${what}:${account}`;
  }

  /** The missed calls not seen before a reload (what is unreadable is dropped). */
  missed(account: string): MissedCall[] {
    let data: unknown;
    try { data = JSON.parse(this.storage?.getItem(this.key(account, 'missed-calls')) ?? '[]'); } catch { return []; }
    return Array.isArray(data) ? data.filter(isMissedCall) : [];
  }

  saveMissed(account: string, calls: readonly MissedCall[]): void {
    try { this.storage?.setItem(this.key(account, 'missed-calls'), JSON.stringify(calls)); } catch { /* full or refused */ }
  }

  get(account: string): number | undefined {
    try {
      const v = Number(this.storage?.getItem(this.key(account)) ?? NaN);
      return Number.isFinite(v) && v > 0 ? v : undefined;
    } catch {
      return undefined;
    }
  }

  touch(account: string, now: number, force = false): void {
    if (!force && now - this.written < this.everyMs) return;
    this.written = now;
    try { this.storage?.setItem(this.key(account), String(now)); } catch { /* full or refused: next time */ }
  }
}

function isMissedCall(v: unknown): v is MissedCall {
  const m = v as Partial<MissedCall> | null;
  return typeof m === 'object' && m !== null && typeof m.contact === 'string' && typeof m.sid === 'string'
    && typeof m.at === 'number' && (m.media === 'audio' || m.media === 'video');
}

/**
 * The missed calls not yet seen by the user, newest last, at most `max`. Only those of contacts are
 * shown (a stranger may not ring us); others are kept in case the roster was not loaded yet when they
 * were noted, and are the first to go when the list is full.
 */
export class MissedCalls {
  private list: MissedCall[] = [];
  /** Counts changes, so that the list is stored only when it changed. */
  version = 0;
  /** Calls that rang before this are old news (seen in an earlier visit). */
  since = 0;

  constructor(private readonly isContact: (bareJid: string) => boolean = () => true, private readonly max = 100) {}

  get all(): readonly MissedCall[] {
    return this.list.filter((m) => this.isContact(m.contact));
  }

  count(contact: string): number {
    if (!this.isContact(contact)) return 0;
    let n = 0;
    for (const m of this.list) if (m.contact === contact) n++;
    return n;
  }

  /** Adds a missed call unless it is old news or known; true if added. */
  note(call: MissedCall): boolean {
    if (call.at < this.since || this.list.some((m) => m.sid === call.sid && m.contact === call.contact)) return false;
    let at = this.list.length;
    while (at > 0 && this.list[at - 1]!.at > call.at) at--;
    this.list.splice(at, 0, call);
    if (this.list.length > this.max) {
      const stranger = this.list.findIndex((m) => !this.isContact(m.contact));
      this.list.splice(Math.max(0, stranger), 1);
    }
    this.version++;
    return true;
  }

  /** Those stored before a reload, still unseen: listed whatever `since` says. */
  restore(calls: readonly MissedCall[]): void {
    const since = this.since;
    this.since = 0;
    for (const c of calls) this.note(c);
    this.since = since;
  }

  /** A call thought missed was answered after all (a later message told us); true if it was listed. */
  unnote(contact: string, sid: string): boolean {
    return this.keep((m) => m.sid !== sid || m.contact !== contact);
  }

  /** The user saw them: those of `contact`, or all; true if any went. */
  dismiss(contact?: string): boolean {
    return this.keep((m) => contact !== undefined && m.contact !== contact);
  }

  private keep(which: (m: MissedCall) => boolean): boolean {
    const before = this.list.length;
    this.list = this.list.filter(which);
    if (this.list.length === before) return false;
    this.version++;
    return true;
  }
}
