/**
 * 1:1 chat over an XmppLink: messages per contact (bare JID), XEP-0184 receipts, XEP-0085 chat
 * states, XEP-0280 carbons and XEP-0313 history, where the server offers them. A Lit reactive
 * controller when given a host (it starts and stops with the host), and usable with no host at all
 * (it starts at once; call `stop()`). Views that are not its host follow it with `subscribe()`.
 *
 * Bodies are plain text: the `<body/>` string only, never markup; incoming ones are cut to
 * `maxBodyLength`, ours are refused past it. Every chat keeps at most `maxMessagesPerChat` messages, and
 * at most `maxChats` chats are kept; people not in the roster (`isContact`) get request chats, far fewer
 * and shorter. Calls are entries of their chat (chat-calls.ts): from XEP-0353 messages live, carbon-copied
 * or archived, and from the call controller's summaries (`recordCall`). One instance serves the whole
 * app: unread counts and missed calls are per contact and in total.
 */
import type { ChatView } from './chat-types.ts';
import { bareJid, isBareJid, newId } from './chat-ids.ts';
import { ChatError } from './chat-types.ts';
import { messageKeys, type ChatMessage } from './chat-log.ts';
import type { CallSummary } from './chat-calls.ts';
import type { MissedCall } from './chat-missed.ts';
import { chatMessage } from './chat-stanzas.ts';
import { ChatCore } from './chat-core.ts';

export type { ChatMessage, MessageState } from './chat-log.ts';
export { describeCall, formatDuration, type CallEntry, type CallOutcome, type CallSummary } from './chat-calls.ts';
export type { MissedCall } from './chat-missed.ts';
export type { ChatState } from './chat-stanzas.ts';
export { ChatError, type ChatOptions, type ChatView } from './chat-types.ts';

export class ChatController extends ChatCore {
  /** Called on every change; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The contact whose chat is open, if any. */
  get openChat(): string | undefined { return this.active; }

  /** Contacts with a conversation, most recent first. */
  get contacts(): string[] {
    return this.chats.all().sort((a, b) => b.lastActivity - a.lastActivity).map((c) => c.contact);
  }

  /** Unread messages in contacts' chats (requests are counted apart, in `requests`). */
  get unreadTotal(): number {
    let n = 0;
    for (const c of this.chats.all()) if (!this.requestChat(c)) n += c.unread;
    return n;
  }

  /** Chats from people not in the roster, most recent first. */
  get requests(): string[] {
    return this.chats.all().filter((c) => this.requestChat(c)).sort((a, b) => b.lastActivity - a.lastActivity).map((c) => c.contact);
  }

  /** Missed calls not seen yet, oldest first: "Missed call from Bob at 14:02". */
  get missedCalls(): readonly MissedCall[] {
    return this.calls.missed.all;
  }

  /** The user saw the missed calls (of `contact`, or all). Opening a chat sees its own. */
  dismissMissedCalls(contact?: string): void {
    if (this.calls.missed.dismiss(contact === undefined ? undefined : bareJid(contact))) this.changed();
  }

  /** A call of this device ended: its entry goes into the peer's chat (the shell wires CallController.onEnded here); test calls are not kept. */
  recordCall(summary: CallSummary): void {
    const contact = bareJid(summary.peer);
    // The echo test is no conversation: its call would open a chat (a request) with our component.
    if (summary.test || !isBareJid(contact) || contact === this.own) return;
    if (this.calls.summary(this.chatFor(contact), summary)) this.changed();
  }

  /** The last error of `send`, until the next success, or the link is back for 'offline'. */
  get error(): ChatError | undefined {
    return this.lastError;
  }

  /** Why nothing can be sent now, or undefined: for disabling the send button with a reason. */
  get sendBlocked(): string | undefined {
    return this.link.status === 'online' ? undefined : 'not connected';
  }

  /** What is wrong with this draft ('too-long' past `maxBodyLength`, 'empty'), for showing as it is typed. */
  draftProblem(text: string): ChatError | undefined {
    if (text.length > this.maxBodyLength) {
      return new ChatError('too-long', `message is ${text.length - this.maxBodyLength} characters over the limit of ${this.maxBodyLength}`);
    }
    return text.trim() === '' ? new ChatError('empty', 'empty message') : undefined;
  }

  view(contact: string): ChatView {
    const c = this.chats.get(bareJid(contact));
    return {
      contact: bareJid(contact),
      messages: c?.messages ?? [],
      unread: c?.unread ?? 0,
      theirState: c?.theirState,
      historyLoading: c?.history.loading ?? false,
      canLoadOlder: !!c && this.features.mam && !c.history.complete && !c.full,
      isRequest: !!c && this.requestChat(c),
      missedCalls: this.calls.missed.count(bareJid(contact)),
    };
  }

  /** Shows `contact`'s chat ('' for none): unread cleared, chat states, history on first opening. */
  open(contact: string): void {
    const next = contact ? bareJid(contact) : undefined;
    if (next === this.active) return;
    if (this.active) this.chats.get(this.active)?.states.left();
    this.active = next && isBareJid(next) ? next : undefined;
    const chat = this.active ? this.chatFor(this.active) : undefined;
    if (chat) {
      if (this.isVisible()) {
        chat.unread = 0;
        this.calls.missed.dismiss(chat.contact);
      }
      chat.states.opened();
      if (this.features.mam && !chat.history.started) void this.loadOlder(chat.contact);
    }
    this.changed();
  }

  /** Sends a text message; it is in the chat (state `sent`) before the stanza leaves. */
  async send(contact: string, text: string): Promise<ChatMessage> {
    const to = bareJid(contact);
    const problem = !isBareJid(to) ? new ChatError('bad-jid', `not a bare JID: ${to.slice(0, 100)}`)
      : this.draftProblem(text) ?? (this.link.status !== 'online' ? new ChatError('offline', 'not connected') : undefined);
    if (problem) {
      this.lastError = problem;
      this.changed();
      throw problem;
    }
    const chat = this.chatFor(to);
    const id = newId();
    const message = chat.add({ id, direction: 'out', body: text, truncated: false, time: Date.now(), state: 'sent', archived: false }, messageKeys('out', [id], undefined))!;
    this.changed();
    try {
      await this.link.send(chatMessage(to, id, text, chat.states.forContent()));
      if (this.lastError) {
        this.lastError = undefined;
        this.changed();
      }
    } catch (e) {
      this.lastError = new ChatError('offline', e instanceof Error ? e.message : String(e));
      chat.setState(id, 'failed');
      this.changed();
      throw e;
    }
    return chat.messages.find((m) => m.id === id && m.direction === 'out') ?? message;
  }

  /** The user edited the draft for `contact`: composing / paused / active go out per XEP-0085. */
  typing(contact: string, draft: string): void {
    const to = bareJid(contact);
    if (isBareJid(to)) this.chatFor(to).states.typing(draft.trim() !== '');
  }

}
