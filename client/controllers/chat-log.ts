/**
 * One conversation's messages, kept in time order, bounded, and free of duplicates: the same message
 * can reach us live, as a carbon and from the archive, and is recognised by any of its keys (the
 * archive's stanza-id, or the sender's origin-id / id in one direction). No I/O.
 */
import type { ChatState } from './chat-stanzas.ts';
import type { ChatStateSender } from './chat-states.ts';
import { callEntry, newCallFacts, type CallEntry, type CallFacts } from './chat-calls.ts';

/** `received`: from the contact; `sent`: ours, no receipt yet; `delivered`: its receipt arrived. */
export type MessageState = 'received' | 'sent' | 'delivered' | 'failed';

export interface ChatMessage {
  /** Unique within its chat; stable, for keyed rendering. */
  readonly key: string;
  /** The stanza id (ours for outgoing messages), if it had one. */
  readonly id: string | undefined;
  readonly direction: 'in' | 'out';
  /** Plain text, never markup; cut to the controller's maximum length. */
  readonly body: string;
  readonly truncated: boolean;
  /** ms since the epoch. */
  readonly time: number;
  readonly state: MessageState;
  /** Loaded from the server's archive (XEP-0313) rather than seen live. */
  readonly archived: boolean;
  /** Set on the entry of a call (then `body` is empty): one per call, whatever told us of it. */
  readonly call?: CallEntry;
}

/** How many receipts for messages we do not have (yet: an older archive page) a chat remembers. */
const MAX_EARLY_RECEIPTS = 200;

/**
 * The dedupe keys of a message: the archive's id, and the sender's ids (message id, origin-id) in one
 * direction. Receipts name the message id, so our messages can always be found by `out:<id>`.
 */
export function messageKeys(direction: 'in' | 'out', senderIds: readonly (string | undefined)[], archiveId: string | undefined): string[] {
  const keys: string[] = [];
  if (archiveId) keys.push(`a:${archiveId}`);
  for (const id of senderIds) if (id && !keys.includes(`${direction}:${id}`)) keys.push(`${direction}:${id}`);
  return keys;
}

/** Cuts `body` to `max` UTF-16 units without splitting a surrogate pair. */
export function clipBody(body: string, max: number): { body: string; truncated: boolean } {
  if (body.length <= max) return { body, truncated: false };
  let end = max;
  const last = body.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { body: body.slice(0, end), truncated: true };
}

export interface HistoryState {
  /** A first page was asked for (on opening the chat). */
  started: boolean;
  loading: boolean;
  /** The archive has nothing older. */
  complete: boolean;
  /** The RSM id of the oldest archived message we have: the next page ends before it. */
  first: string | undefined;
  error: string | undefined;
}

export class ChatLog {
  private list: ChatMessage[] = [];
  private readonly byKey = new Map<string, ChatMessage>();
  private readonly keysOf = new Map<ChatMessage, string[]>();
  private counter = 0;
  unread = 0;
  /** The contact's last chat state, and the full JID it came from. */
  theirState: ChatState | undefined;
  theirStateFrom: string | undefined;
  lastActivity = 0;
  /** From someone not in the roster: kept apart, and to a lower limit. */
  isRequest = false;
  /** The facts of each call that has an entry here, by sid. */
  private readonly calls = new Map<string, CallFacts>();
  /** Receipts whose message is not here yet: the archive gives newer pages first. */
  private readonly earlyReceipts = new Set<string>();
  readonly history: HistoryState = { started: false, loading: false, complete: false, first: undefined, error: undefined };

  constructor(
    readonly contact: string,
    readonly states: ChatStateSender,
    /** At most this many messages are kept; a request chat that becomes a contact's gets more room. */
    public maxMessages: number,
  ) {}

  get messages(): readonly ChatMessage[] {
    return this.list;
  }

  get full(): boolean {
    return this.list.length >= this.maxMessages;
  }

  /**
   * Adds a message unless one of its keys is known (then returns undefined). Messages are kept in time
   * order, a new one after those of the same time; past the limit the oldest are dropped.
   */
  add(m: Omit<ChatMessage, 'key'>, keys: readonly string[]): ChatMessage | undefined {
    const known = keys.map((k) => this.byKey.get(k)).find((x) => x !== undefined);
    if (known) {
      // The same message again: remember its other keys, so that a third copy is recognised too.
      const knownKeys = this.keysOf.get(known);
      for (const k of keys) {
        if (knownKeys && !this.byKey.has(k)) {
          knownKeys.push(k);
          this.byKey.set(k, known);
        }
      }
      return undefined;
    }
    const message: ChatMessage = { ...m, key: keys[0] ?? `local:${++this.counter}` };
    let at = this.list.length;
    while (at > 0 && this.list[at - 1]!.time > message.time) at--;
    this.list.splice(at, 0, message);
    this.keysOf.set(message, [...keys]);
    for (const k of keys) this.byKey.set(k, message);
    while (this.list.length > this.maxMessages) this.forget(this.list.shift()!);
    this.lastActivity = Math.max(this.lastActivity, message.time);
    if (!this.keysOf.has(message)) return undefined;
    if (message.direction === 'out' && message.id && this.earlyReceipts.delete(message.id)) this.setState(message.id, 'delivered');
    return message;
  }

  /**
   * The facts of call `sid` go through `update`, and its entry is put in (or moved to) its place. The
   * entry's time is the call's start, which an older archive page can still move back.
   */
  putCall(sid: string, at: number, update: (f: CallFacts) => void, now: number, ringLimitMs: number): CallEntry | undefined {
    const key = `call:${sid}`;
    const facts = this.calls.get(sid) ?? newCallFacts(sid, at);
    update(facts);
    const entry = callEntry(facts, now, ringLimitMs);
    const old = this.byKey.get(key);
    if (old?.call && sameEntry(old.call, entry)) return undefined;
    if (old) this.forget(old, true);
    this.calls.set(sid, facts);
    const message = this.add({
      id: undefined, direction: entry.direction === 'incoming' ? 'in' : 'out', body: '', truncated: false,
      time: entry.startedAt, state: entry.direction === 'incoming' ? 'received' : 'sent', archived: false, call: entry,
    }, [key]);
    if (!message) this.calls.delete(sid);
    return message?.call;
  }

  /** Entries of calls that may still ring out, for a later look. */
  ringingCalls(): CallEntry[] {
    return this.list.flatMap((m) => (m.call?.outcome === 'ringing' ? [m.call] : []));
  }

  /** A receipt for our message `id`: delivered now, or when the message comes (from an older page). */
  receiptFor(id: string): boolean {
    if (this.setState(id, 'delivered')) return true;
    if (!this.byKey.has(`out:${id}`)) {
      if (this.earlyReceipts.size >= MAX_EARLY_RECEIPTS) this.earlyReceipts.delete(this.earlyReceipts.values().next().value!);
      this.earlyReceipts.add(id);
    }
    return false;
  }

  /** Our message `id` changes state (a receipt, an error); false if there is no such message. */
  setState(id: string, state: MessageState): boolean {
    const old = this.byKey.get(`out:${id}`);
    if (!old || old.state === state || (old.state === 'delivered' && state === 'failed')) return false;
    const updated: ChatMessage = { ...old, state };
    const index = this.list.indexOf(old);
    if (index >= 0) this.list[index] = updated;
    const keys = this.keysOf.get(old) ?? [];
    this.keysOf.delete(old);
    this.keysOf.set(updated, keys);
    for (const k of keys) this.byKey.set(k, updated);
    return true;
  }

  private forget(m: ChatMessage, fromList = false): void {
    for (const k of this.keysOf.get(m) ?? []) this.byKey.delete(k);
    this.keysOf.delete(m);
    if (m.call) this.calls.delete(m.call.sid);
    if (fromList) {
      const index = this.list.indexOf(m);
      if (index >= 0) this.list.splice(index, 1);
    }
  }
}

function sameEntry(a: CallEntry, b: CallEntry): boolean {
  return (Object.keys(b) as (keyof CallEntry)[]).every((k) => a[k] === b[k]);
}

/**
 * Every chat: at most `maxChats` with contacts and `maxRequests` with strangers (requests, which anyone
 * can open, so they must not push out a contact's chat). A new one pushes out the one idle longest of its
 * kind, never the open one.
 */
export class ChatBook {
  private readonly chats = new Map<string, ChatLog>();

  constructor(
    private readonly maxChats: number,
    private readonly create: (contact: string, isRequest: boolean) => ChatLog,
    private readonly maxRequests = maxChats,
  ) {}

  get(contact: string): ChatLog | undefined {
    return this.chats.get(contact);
  }

  /** The chat with `contact` (a bare JID), created if needed; `keep` is never the one pushed out. */
  open(contact: string, keep: string | undefined, isRequest = false): ChatLog {
    let chat = this.chats.get(contact);
    if (chat) return chat;
    let count = 0;
    let idlest: ChatLog | undefined;
    for (const c of this.chats.values()) {
      if (c.isRequest !== isRequest) continue;
      count++;
      if (c.contact !== keep && (!idlest || c.lastActivity < idlest.lastActivity)) idlest = c;
    }
    if (count >= (isRequest ? this.maxRequests : this.maxChats) && idlest) {
      idlest.states.dispose();
      this.chats.delete(idlest.contact);
    }
    chat = this.create(contact, isRequest);
    chat.isRequest = isRequest;
    chat.lastActivity = Date.now();
    this.chats.set(contact, chat);
    return chat;
  }

  all(): ChatLog[] {
    return [...this.chats.values()];
  }

  clear(): void {
    this.chats.clear();
  }

  get size(): number {
    return this.chats.size;
  }
}
