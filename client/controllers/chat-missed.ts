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

/** localStorage where the page has one (it throws in some private modes and sandboxed frames). */
export function defaultStorage(): SeenStorage | undefined {
  try {
    return (globalThis as { localStorage?: SeenStorage }).localStorage;
  } catch {
    return undefined;
  }
}

/** The last time an account was seen online here, written at most once per `everyMs`. */
export class LastSeen {
  private written = 0;

  constructor(private readonly storage: SeenStorage | undefined, private readonly everyMs = 30_000) {}

  private key(account: string): string {
    return `jingle-gateway:last-seen:${account}`;
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

/** The missed calls not yet seen by the user, newest last, at most `max`. */
export class MissedCalls {
  private list: MissedCall[] = [];
  /** Calls that rang before this are old news (seen in an earlier visit). */
  since = 0;

  constructor(private readonly max = 100) {}

  get all(): readonly MissedCall[] {
    return this.list;
  }

  count(contact: string): number {
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
    if (this.list.length > this.max) this.list.shift();
    return true;
  }

  /** A call thought missed was answered after all (a later message told us); true if it was listed. */
  unnote(contact: string, sid: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((m) => m.sid !== sid || m.contact !== contact);
    return this.list.length !== before;
  }

  /** The user saw them: those of `contact`, or all; true if any went. */
  dismiss(contact?: string): boolean {
    const before = this.list.length;
    this.list = contact === undefined ? [] : this.list.filter((m) => m.contact !== contact);
    return this.list.length !== before;
  }
}
