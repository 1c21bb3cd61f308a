/**
 * Calls into the conversations: each JMI message or call summary becomes (or updates) the entry of its
 * call in the peer's chat; a proposal nobody answers rings out after `ringLimitMs` even when no retract
 * ever comes (a caller that crashed); an incoming call that ends missed is noted for the user.
 */
import type { JmiMessage } from '../../schemas/index.ts';
import { addJmi, addSummary, type CallEntry, type CallSummary } from './chat-calls.ts';
import type { ChatLog } from './chat-log.ts';
import { MissedCalls } from './chat-missed.ts';

/** The XEP-0353 actions that say something about a call's outcome (ringing says nothing new). */
const RECORDED: readonly string[] = ['propose', 'proceed', 'accept', 'reject', 'retract', 'finish'];
/** Ring-out timers pending at most (anyone can propose): past it, an entry rings out when next touched. */
const MAX_TIMERS = 256;

export class ChatCalls {
  readonly missed: MissedCalls;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly ringLimitMs: number, private readonly changed: () => void, isContact: (bareJid: string) => boolean) {
    this.missed = new MissedCalls(isContact);
  }

  /** A JMI message about a call with `chat`'s contact; true if the chat changed. */
  jmi(chat: ChatLog, jmi: JmiMessage, fromUs: boolean, at: number): boolean {
    if (!RECORDED.includes(jmi.action)) return false;
    return this.put(chat, jmi.id, at, (f) => addJmi(f, jmi, fromUs, at));
  }

  /** The call controller's summary of a call of this device. */
  summary(chat: ChatLog, s: CallSummary): boolean {
    return this.put(chat, s.sid, s.startedAt, (f) => addSummary(f, s));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private put(chat: ChatLog, sid: string, at: number, update: Parameters<ChatLog['putCall']>[2]): boolean {
    const entry = chat.putCall(sid, at, update, Date.now(), this.ringLimitMs);
    if (!entry) return false;
    this.follow(chat, entry);
    return true;
  }

  private follow(chat: ChatLog, entry: CallEntry): void {
    const key = `${chat.contact} ${entry.sid}`;
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
    if (entry.outcome === 'ringing' && this.timers.size < MAX_TIMERS) {
      this.timers.set(key, setTimeout(() => {
        this.timers.delete(key);
        if (this.put(chat, entry.sid, entry.startedAt, () => undefined)) this.changed();
      }, Math.max(0, entry.startedAt + this.ringLimitMs - Date.now())));
    }
    // Strangers' are noted too (the roster may not be loaded yet at login), but only contacts' are shown.
    if (entry.outcome === 'missed' && !entry.test) {
      this.missed.note({ contact: chat.contact, sid: entry.sid, at: entry.startedAt, media: entry.media });
    } else {
      // Archived messages come one by one: a proposal looks missed until its answer is read.
      this.missed.unnote(chat.contact, entry.sid);
    }
  }
}
