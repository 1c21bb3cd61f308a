/**
 * One conversation's messages, kept in time order, bounded, and free of duplicates: the same message
 * can reach us live, as a carbon and from the archive, and is recognised by any of its keys (the
 * archive's stanza-id, or the sender's origin-id / id in one direction). No I/O.
 */
import type { ChatState } from './chat-stanzas.ts';
import type { ChatStateSender } from './chat-states.ts';

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
}

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
  readonly history: HistoryState = { started: false, loading: false, complete: false, first: undefined, error: undefined };

  constructor(
    readonly contact: string,
    readonly states: ChatStateSender,
    private readonly maxMessages: number,
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
    return this.keysOf.has(message) ? message : undefined;
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

  private forget(m: ChatMessage): void {
    for (const k of this.keysOf.get(m) ?? []) this.byKey.delete(k);
    this.keysOf.delete(m);
  }
}

/** Every chat, at most `maxChats`: a new one pushes out the one idle longest (never the open one). */
export class ChatBook {
  private readonly chats = new Map<string, ChatLog>();

  constructor(
    private readonly maxChats: number,
    private readonly create: (contact: string) => ChatLog,
  ) {}

  get(contact: string): ChatLog | undefined {
    return this.chats.get(contact);
  }

  /** The chat with `contact` (a bare JID), created if needed; `keep` is never the one pushed out. */
  open(contact: string, keep: string | undefined): ChatLog {
    let chat = this.chats.get(contact);
    if (chat) return chat;
    if (this.chats.size >= this.maxChats) {
      let idlest: ChatLog | undefined;
      for (const c of this.chats.values()) if (c.contact !== keep && (!idlest || c.lastActivity < idlest.lastActivity)) idlest = c;
      if (idlest) {
        idlest.states.dispose();
        this.chats.delete(idlest.contact);
      }
    }
    chat = this.create(contact);
    chat.lastActivity = Date.now();
    this.chats.set(contact, chat);
    return chat;
  }

  all(): ChatLog[] {
    return [...this.chats.values()];
  }
}
