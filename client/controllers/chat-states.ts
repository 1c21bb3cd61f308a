/**
 * When to send our XEP-0085 chat states to one contact (https://xmpp.org/extensions/xep-0085.html,
 * version 2.1, section 5). No I/O: `send` is handed in.
 * - Implicit discovery (5.1): our first content message carries `<active/>`; no standalone state goes
 *   out until the contact has shown support (a state in a reply, or a standalone state); a reply without
 *   one means they do not support it, and we send none at all from then on.
 * - Repetition (5.3): never the same standalone state twice in a row; every content message `<active/>`.
 * - The user may turn chat states off (5.2): then nothing is sent.
 * - `<composing/>` while typing, `<paused/>` after `pausedAfterMs` without typing (30 s, as the XEP
 *   suggests), `<inactive/>` after `inactiveAfterMs` (2 min) without typing or when the user leaves the
 *   chat, `<active/>` when the draft is cleared or the chat is opened again. No
 *   `<gone/>` on logout: XEP-0280 section 8.2 asks not to, so that other devices keep the conversation.
 */
import type { ChatState } from './chat-stanzas.ts';

export type Support = 'unknown' | 'yes' | 'no';

export class ChatStateSender {
  /** Whether the contact has shown it supports chat states. */
  support: Support = 'unknown';
  /** The last state we sent (standalone, or `active` with a content message). */
  private last: ChatState | undefined;
  private initialSent = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (state: ChatState) => void,
    private readonly enabled: () => boolean,
    private readonly pausedAfterMs: number,
    private readonly inactiveAfterMs = 120_000,
  ) {}

  /** The state to put in the content message about to go out (`active`), or none. */
  forContent(): ChatState | undefined {
    this.stopTimer();
    if (!this.enabled() || this.support === 'no') return undefined;
    this.initialSent = true;
    this.last = 'active';
    return 'active';
  }

  /** The user edited the draft; `hasText` false when it is now empty. */
  typing(hasText: boolean): void {
    if (!this.standaloneAllowed()) return;
    if (hasText) {
      this.emit('composing');
      this.stopTimer();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.last !== 'composing') return;
        this.emit('paused');
        this.timer = setTimeout(() => {
          this.timer = undefined;
          if (this.last === 'paused') this.emit('inactive');
        }, Math.max(0, this.inactiveAfterMs - this.pausedAfterMs));
      }, this.pausedAfterMs);
    } else {
      this.stopTimer();
      if (this.last === 'composing' || this.last === 'paused') this.emit('active');
    }
  }

  /** The chat is shown again after the user left it. */
  opened(): void {
    if (this.standaloneAllowed() && this.last !== undefined && this.last !== 'active') this.emit('active');
  }

  /** The user left the chat (another one is shown, or none). */
  left(): void {
    this.stopTimer();
    if (this.standaloneAllowed() && this.last !== undefined && this.last !== 'inactive') this.emit('inactive');
  }

  /** A message from the contact: `state` its chat state, if any; `content` whether it had a body. */
  received(state: ChatState | undefined, content: boolean): void {
    if (state) this.support = 'yes';
    else if (content && this.initialSent && this.support === 'unknown') this.support = 'no';
  }

  /** Timers off; nothing is sent. */
  dispose(): void {
    this.stopTimer();
  }

  /** The last state we sent, if any. */
  get sent(): ChatState | undefined {
    return this.last;
  }

  private standaloneAllowed(): boolean {
    return this.enabled() && this.support === 'yes';
  }

  private emit(state: ChatState): void {
    if (this.last === state) return;
    this.last = state;
    this.send(state);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * One timer per key, replaced when set again: for how long a contact's `composing` is believed. At most
 * `max` at once (anyone can send a chat state): past it, the oldest runs at once instead of later.
 */
export class Timers {
  private readonly timers = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>();

  constructor(private readonly max = 256) {}

  set(key: string, ms: number, run: () => void): void {
    this.clear(key);
    if (this.timers.size >= this.max) {
      const [oldest, entry] = this.timers.entries().next().value!;
      this.clear(oldest);
      entry.run();
    }
    this.timers.set(key, {
      run,
      timer: setTimeout(() => {
        this.timers.delete(key);
        run();
      }, ms),
    });
  }

  clear(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) clearTimeout(t.timer);
    this.timers.delete(key);
  }

  get size(): number {
    return this.timers.size;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }
}
