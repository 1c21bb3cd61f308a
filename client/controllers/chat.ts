/**
 * 1:1 chat over an XmppLink: messages per contact (bare JID), XEP-0184 receipts, XEP-0085 chat
 * states, XEP-0280 carbons and XEP-0313 history, where the server offers them. A Lit reactive
 * controller when given a host (it starts and stops with the host), and usable with no host at all
 * (it starts at once; call `stop()`). Views that are not its host follow it with `subscribe()`.
 *
 * Bodies are plain text: the `<body/>` string only, never markup, cut to `maxBodyLength`. Every chat
 * keeps at most `maxMessagesPerChat` messages, and at most `maxChats` chats are kept.
 */
import type { Element } from 'ltx';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatOptions, ChatView } from './chat-types.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { bareJid, isBareJid, newId } from './chat-ids.ts';
import { ChatError } from './chat-types.ts';
import { ChatBook, ChatLog, clipBody, messageKeys, type ChatMessage } from './chat-log.ts';
import { fetchHistoryPage, setUpServerFeatures } from './chat-server.ts';
import { ChatStateSender } from './chat-states.ts';
import {
  carbonOf, chatMessage, fromOwnAccount, isMamResult, parseMessage, receipt, standaloneState, type ParsedMessage,
} from './chat-stanzas.ts';

export type { ChatMessage, MessageState } from './chat-log.ts';
export type { ChatState } from './chat-stanzas.ts';
export { ChatError, type ChatOptions, type ChatView } from './chat-types.ts';

/** How a message reached us: live, as a carbon, or from the archive (then for the chat `expect`). */
interface Ingest {
  live?: boolean;
  carbon?: 'sent' | 'received';
  archiveId?: string;
  time?: number | undefined;
  expect?: string;
}

export class ChatController implements ReactiveController {
  readonly maxBodyLength: number;
  private readonly pageSize: number;
  private readonly answerReceipts: (bareJid: string) => boolean;
  private readonly host: ReactiveControllerHost | undefined;
  private readonly chats: ChatBook;
  private readonly listeners = new Set<() => void>();
  private offs: (() => void)[] = [];
  private active: string | undefined;
  /** Chat states go out only while this is true (a user setting). */
  sendChatStates: boolean;
  /** What the server offers, known after login (`discovered`). */
  readonly features = { carbons: false, mam: false, discovered: false };

  constructor(private readonly link: XmppLink, options: ChatOptions = {}) {
    this.maxBodyLength = options.maxBodyLength ?? 10_000;
    this.pageSize = options.historyPageSize ?? 50;
    const maxMessages = options.maxMessagesPerChat ?? 500;
    const pausedAfterMs = options.pausedAfterMs ?? 5_000;
    this.chats = new ChatBook(options.maxChats ?? 200, (contact) => new ChatLog(contact, new ChatStateSender(
      (state) => { this.link.send(standaloneState(contact, newId(), state)).catch(() => undefined); },
      () => this.sendChatStates && this.link.status === 'online',
      pausedAfterMs,
    ), maxMessages));
    this.sendChatStates = options.sendChatStates ?? true;
    this.answerReceipts = options.answerReceipts ?? (() => true);
    this.host = options.host;
    if (this.host) this.host.addController(this);
    else this.start();
  }

  hostConnected(): void { this.start(); }
  hostDisconnected(): void { this.stop(); }

  /** Listens to the link (idempotent); when online, discovers features and enables carbons. */
  start(): void {
    if (this.offs.length > 0) return;
    this.offs = [
      this.link.onStanza((s) => this.onStanza(s)),
      this.link.onStatus((status) => {
        if (status === 'online') void this.onOnline();
        this.changed();
      }),
    ];
    if (this.link.status === 'online') void this.onOnline();
  }

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
    for (const chat of this.chats.all()) chat.states.dispose();
  }

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

  get unreadTotal(): number {
    let n = 0;
    for (const c of this.chats.all()) n += c.unread;
    return n;
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
      chat.unread = 0;
      chat.states.opened();
      if (this.features.mam && !chat.history.started) void this.loadOlder(chat.contact);
    }
    this.changed();
  }

  /** Sends a text message; it is in the chat (state `sent`) before the stanza leaves. */
  async send(contact: string, text: string): Promise<ChatMessage> {
    const to = bareJid(contact);
    if (!isBareJid(to)) throw new ChatError('bad-jid', `not a bare JID: ${to.slice(0, 100)}`);
    if (text.trim() === '') throw new ChatError('empty', 'empty message');
    if (text.length > this.maxBodyLength) throw new ChatError('too-long', `message longer than ${this.maxBodyLength} characters`);
    if (this.link.status !== 'online') throw new ChatError('offline', 'not connected');
    const chat = this.chatFor(to);
    const id = newId();
    const message = chat.add({ id, direction: 'out', body: text, truncated: false, time: Date.now(), state: 'sent', archived: false }, messageKeys('out', [id], undefined))!;
    this.changed();
    try {
      await this.link.send(chatMessage(to, id, text, chat.states.forContent()));
    } catch (e) {
      if (chat.setState(id, 'failed')) this.changed();
      throw e;
    }
    return chat.messages.find((m) => m.id === id && m.direction === 'out') ?? message;
  }

  /** The user edited the draft for `contact`: composing / paused / active go out per XEP-0085. */
  typing(contact: string, draft: string): void {
    const to = bareJid(contact);
    if (isBareJid(to)) this.chatFor(to).states.typing(draft.trim() !== '');
  }

  /** Loads the page of history before the oldest archived message we have. */
  async loadOlder(contact: string): Promise<void> {
    const chat = this.chats.get(bareJid(contact));
    const own = this.own;
    if (!chat || !own || !this.features.mam || chat.history.loading || chat.history.complete || chat.full) return;
    chat.history.started = true;
    chat.history.loading = true;
    this.changed();
    try {
      const page = await fetchHistoryPage(this.link, own, chat.contact, chat.history.first ?? '', this.pageSize);
      for (const item of page.messages) {
        const m = parseMessage(item.message);
        this.ingest(m, { archiveId: item.archiveId, time: item.stamp ?? m.delayedTo, expect: chat.contact });
      }
      chat.history.first = page.first ?? chat.history.first;
      chat.history.complete = page.complete;
      chat.history.error = undefined;
    } catch (e) {
      chat.history.error = e instanceof Error ? e.message : String(e);
    } finally {
      chat.history.loading = false;
      this.changed();
    }
  }

  private async onOnline(): Promise<void> {
    const own = this.own;
    if (!own) return;
    const features = await setUpServerFeatures(this.link, own);
    this.features.carbons = features.carbons;
    this.features.mam = features.mam;
    this.features.discovered = true;
    this.changed();
    const open = this.active ? this.chats.get(this.active) : undefined;
    if (open && this.features.mam && !open.history.started) void this.loadOlder(open.contact);
  }

  private onStanza(stanza: Element): void {
    const own = this.own;
    if (!own) return;
    if (stanza.name === 'presence') return this.onPresence(stanza);
    if (stanza.name !== 'message' || isMamResult(stanza)) return;
    const carbon = carbonOf(stanza);
    if (carbon) {
      // XEP-0280 section 11: a carbon is believed only from our own bare JID, exactly; anyone can forge one.
      if (!fromOwnAccount(stanza, own) || !carbon.message) return;
      const m = parseMessage(carbon.message);
      const ours = bareJid(m.from ?? own) === own;
      if (carbon.direction === 'sent' ? ours : bareJid(m.to ?? own) === own && !ours) this.ingest(m, { carbon: carbon.direction });
      return;
    }
    const m = parseMessage(stanza);
    if (m.type === 'error') {
      const chat = m.from ? this.chats.get(bareJid(m.from)) : undefined;
      if (chat && m.id && chat.setState(m.id, 'failed')) this.changed();
      return;
    }
    this.ingest(m, { live: true });
  }

  /**
   * One message, live, carbon-copied or archived, into its chat. Direction comes from the addresses:
   * `from` our own account is ours (sent carbons, archive), anything else is the contact's.
   */
  private ingest(m: ParsedMessage, how: Ingest): void {
    const own = this.own;
    if (!own || (m.type !== 'chat' && m.type !== 'normal') || (how.live && !m.from)) return;
    const out = m.from === undefined ? how.carbon !== 'received' : bareJid(m.from) === own;
    const contact = bareJid((out ? m.to : m.from) ?? '');
    if (!isBareJid(contact) || (contact === own && !out) || (how.expect && contact !== how.expect)) return;
    // Only a body opens a chat: a receipt or a chat state alone concerns one we already have.
    const chat = m.body !== undefined ? this.chatFor(contact) : this.chats.get(contact);
    if (!chat) return;
    let changed = false;
    if (!out && m.receivedId && !how.archiveId) changed = chat.setState(m.receivedId, 'delivered') || changed;
    if (!out && m.chatState && !how.archiveId) {
      chat.theirState = m.chatState;
      chat.theirStateFrom = m.from;
      changed = true;
    }
    if (!out && !how.archiveId) {
      chat.states.received(m.chatState, m.body !== undefined);
      if (m.body !== undefined && !m.chatState) chat.theirState = undefined;
    }
    if (m.body !== undefined) {
      const archiveId = how.archiveId ?? m.stanzaIds.find((s) => s.by.toLowerCase() === own && this.features.mam)?.id;
      const clipped = clipBody(m.body, this.maxBodyLength);
      const now = Date.now();
      const time = how.time ?? (m.delayedTo !== undefined && m.delayedTo < now ? m.delayedTo : now);
      const added = chat.add(
        { id: m.id, direction: out ? 'out' : 'in', ...clipped, time, state: out ? 'sent' : 'received', archived: !!how.archiveId },
        messageKeys(out ? 'out' : 'in', [m.id, m.originId], archiveId),
      );
      if (added && !out && !how.archiveId && contact !== this.active) chat.unread++;
      if (out && how.carbon === 'sent') chat.unread = 0;
      changed ||= added !== undefined;
      // XEP-0184: answer a live request; never a carbon (the addressed device answers) or the archive.
      if (how.live && !out && m.receiptRequested && m.id && m.from && this.answerReceipts(contact)) {
        this.link.send(receipt(m.from, newId(), m.id, m.type)).catch(() => undefined);
      }
    }
    if (changed) this.changed();
  }

  /** A contact's device went away: its chat state goes with it. */
  private onPresence(p: Element): void {
    const from = p.attrs.from as string | undefined;
    const chat = from && p.attrs.type === 'unavailable' ? this.chats.get(bareJid(from)) : undefined;
    if (chat && chat.theirStateFrom === from) {
      chat.theirState = undefined;
      chat.theirStateFrom = undefined;
      this.changed();
    }
  }

  /** Our own bare JID, while the link has one. */
  private get own(): string | undefined {
    return this.link.jid ? bareJid(this.link.jid) : undefined;
  }

  private chatFor(contact: string): ChatLog {
    return this.chats.open(contact, this.active);
  }

  private changed(): void {
    this.host?.requestUpdate();
    for (const listener of [...this.listeners]) {
      try { listener(); } catch (e) { console.error('chat listener failed', e); }
    }
  }
}
