/** The chat controller's options, the view of one conversation, and its errors. */
import type { ReactiveControllerHost } from 'lit';
import type { ChatMessage } from './chat-log.ts';
import type { ChatState } from './chat-stanzas.ts';

export interface ChatOptions {
  host?: ReactiveControllerHost;
  maxBodyLength?: number;
  maxMessagesPerChat?: number;
  maxChats?: number;
  historyPageSize?: number;
  pausedAfterMs?: number;
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
}

export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(readonly condition: 'empty' | 'too-long' | 'bad-jid' | 'offline', message: string) {
    super(message);
  }
}
