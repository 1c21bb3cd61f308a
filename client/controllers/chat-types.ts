/** The chat controller's options, the view of one conversation, and its errors. */
import type { ReactiveControllerHost } from 'lit';
import type { ChatMessage } from './chat-log.ts';
import type { ChatState } from './chat-stanzas.ts';
import type { SeenStorage } from './chat-missed.ts';

export interface ChatOptions {
  host?: ReactiveControllerHost;
  maxBodyLength?: number;
  maxMessagesPerChat?: number;
  maxChats?: number;
  /** Chats with people not in the roster (requests), and the messages each keeps: far fewer. */
  maxRequestChats?: number;
  maxRequestMessages?: number;
  /** Whether a bare JID is in the roster; others' chats are requests. Default: everyone is a contact. */
  isContact?: (bareJid: string) => boolean;
  /** Whether the user can see the page: messages that come while it is hidden count as unread. */
  isVisible?: () => boolean;
  historyPageSize?: number;
  /** XEP-0085: our `paused` after this long without typing (30 s), `inactive` after `inactiveAfterMs` (2 min). */
  pausedAfterMs?: number;
  inactiveAfterMs?: number;
  /** How long a contact's `composing` is shown when nothing follows it (30 s). */
  theirComposingMs?: number;
  /** An archived call proposal with no answer is over after this long (90 s). */
  ringLimitMs?: number;
  /** Where the last time online is kept (default: localStorage, if any). */
  storage?: SeenStorage | undefined;
  /** At login, the archive is read from the last time online, or this many days back (7), in at most `catchUpPages` pages (10) of `historyPageSize`. */
  catchUpDays?: number;
  catchUpPages?: number;
  /** Whether we send chat states (XEP-0085 asks that the user can turn them off). */
  sendChatStates?: boolean;
  /**
   * Whether to answer a receipt request from this bare JID. XEP-0184 section 7: receipts reveal
   * presence, so not to senders who may not see it (the shell can check the roster subscription).
   */
  answerReceipts?: (bareJid: string) => boolean;
}

/** What a view shows of one conversation. */
export interface ChatView {
  readonly contact: string;
  readonly messages: readonly ChatMessage[];
  readonly unread: number;
  /** The contact's chat state, if they sent one. */
  readonly theirState: ChatState | undefined;
  readonly historyLoading: boolean;
  /** The archive can give older messages (MAM supported, not exhausted, room left). */
  readonly canLoadOlder: boolean;
  /** From someone not in the roster: show it apart, as a request. */
  readonly isRequest: boolean;
  /** Missed calls from this contact the user has not seen yet. */
  readonly missedCalls: number;
}

export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(readonly condition: 'empty' | 'too-long' | 'bad-jid' | 'offline', message: string) {
    super(message);
  }
}
