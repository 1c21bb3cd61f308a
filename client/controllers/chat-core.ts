/**
 * The chat controller's state and what comes in from the link (ChatController in chat.ts is its API):
 * stanzas live, as carbons and from the archive into their chats, calls into their entries, chat states
 * with their expiry, and at login the archive since the last visit (missed calls).
 */
import type { Element } from 'ltx';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatOptions } from './chat-types.ts';
import type { ChatState } from './chat-stanzas.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { bareJid, isBareJid, newId } from './chat-ids.ts';
import type { ChatError } from './chat-types.ts';
import { ChatBook, ChatLog, clipBody, messageKeys } from './chat-log.ts';
import { fetchHistoryPage, fetchSince, setUpServerFeatures } from './chat-server.ts';
import { ChatStateSender, Timers } from './chat-states.ts';
import { ChatCalls } from './chat-call-book.ts';
import { LastSeen } from './chat-missed.ts';
import { pageStorage } from './page-storage.ts';
import {
  carbonOf, fromOwnAccount, isMamResult, parseMessage, receipt, standaloneState, type ParsedMessage,
} from './chat-stanzas.ts';

/** How a message reached us: live, as a carbon, or from the archive (then for the chat `expect`). */
interface Ingest {
  live?: boolean;
  carbon?: 'sent' | 'received';
  archiveId?: string;
  time?: number | undefined;
  expect?: string;
}

export class ChatCore implements ReactiveController {
  readonly maxBodyLength: number;
  protected readonly pageSize: number;
  protected readonly answerReceipts: (bareJid: string) => boolean;
  protected readonly isContact: (bareJid: string) => boolean;
  protected readonly isVisible: () => boolean;
  protected readonly maxMessages: number;
  protected readonly theirComposingMs: number;
  protected readonly calls: ChatCalls;
  protected readonly theirTimers = new Timers();
  protected readonly lastSeen: LastSeen;
  protected readonly catchUp: { days: number; pages: number };
  protected caughtUp = false;
  /** The account whose chats these are, and the missed-calls version last stored for it. */
  private account: string | undefined;
  private storedMissed = -1;
  protected lastError: ChatError | undefined;
  protected readonly host: ReactiveControllerHost | undefined;
  protected readonly chats: ChatBook;
  protected readonly listeners = new Set<() => void>();
  protected offs: (() => void)[] = [];
  protected active: string | undefined;
  /** Chat states go out only while this is true (a user setting). */
  sendChatStates: boolean;
  /** What the server offers, known after login (`discovered`). */
  readonly features = { carbons: false, mam: false, discovered: false };

  constructor(protected readonly link: XmppLink, options: ChatOptions = {}) {
    this.maxBodyLength = options.maxBodyLength ?? 10_000;
    this.pageSize = options.historyPageSize ?? 50;
    this.maxMessages = options.maxMessagesPerChat ?? 500;
    const maxRequestMessages = Math.min(this.maxMessages, options.maxRequestMessages ?? 20);
    const pausedAfterMs = options.pausedAfterMs ?? 30_000;
    const inactiveAfterMs = Math.max(pausedAfterMs, options.inactiveAfterMs ?? 120_000);
    this.chats = new ChatBook(options.maxChats ?? 200, (contact, isRequest) => new ChatLog(contact, new ChatStateSender(
      (state) => { this.link.send(standaloneState(contact, newId(), state)).catch(() => undefined); },
      () => this.sendChatStates && this.link.status === 'online',
      pausedAfterMs,
      inactiveAfterMs,
    ), isRequest ? maxRequestMessages : this.maxMessages), options.maxRequestChats ?? 20);
    this.isContact = options.isContact ?? (() => true);
    this.isVisible = options.isVisible ?? (() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
    this.theirComposingMs = options.theirComposingMs ?? 30_000;
    this.calls = new ChatCalls(options.ringLimitMs ?? 90_000, () => this.changed(), (jid) => this.isContact(jid));
    this.lastSeen = new LastSeen('storage' in options ? options.storage : pageStorage());
    this.catchUp = { days: options.catchUpDays ?? 7, pages: options.catchUpPages ?? 10 };
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
        else this.leftOnline();
        this.changed();
      }),
    ];
    // The last time seen online stays fresh while idle, so the next login's catch-up starts near the end of this visit.
    const fresh = setInterval(() => {
      const own = this.own;
      if (own && this.caughtUp) this.lastSeen.touch(own, Date.now(), true);
    }, 60_000);
    this.offs.push(() => clearInterval(fresh));
    if (typeof document !== 'undefined') {
      const seen = (): void => this.seen();
      document.addEventListener('visibilitychange', seen);
      this.offs.push(() => document.removeEventListener('visibilitychange', seen));
    }
    if (this.link.status === 'online') void this.onOnline();
  }

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
    for (const chat of this.chats.all()) chat.states.dispose();
    this.calls.dispose();
    this.theirTimers.dispose();
    this.leftOnline();
  }

  /** Offline, reconnecting or stopped: this visit was seen until now. */
  private leftOnline(): void {
    const own = this.own;
    if (own && this.caughtUp) this.lastSeen.touch(own, Date.now(), true);
    this.caughtUp = false;
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

  /** Back online: a "not connected" error is over; features, then what happened while we were away. */
  protected async onOnline(): Promise<void> {
    const own = this.own;
    if (!own) return;
    if (this.lastError?.condition === 'offline') this.lastError = undefined;
    if (this.account !== own) this.switchAccount(own);
    // Missed calls older than the last visit were news then, not now. The archive is read from a little
    // earlier (the server's clock may differ from ours); what was seen then is not repeated.
    const since = this.lastSeen.get(own) ?? Date.now() - this.catchUp.days * 86_400_000;
    this.calls.missed.since = since;
    const features = await setUpServerFeatures(this.link, own);
    this.features.carbons = features.carbons;
    this.features.mam = features.mam;
    this.features.discovered = true;
    this.changed();
    const open = this.active ? this.chats.get(this.active) : undefined;
    if (open && this.features.mam && !open.history.started) void this.loadOlder(open.contact);
    if (this.features.mam) await this.catchUpCalls(own, since - 5 * 60_000);
    this.caughtUp = true;
    this.lastSeen.touch(own, Date.now(), true);
  }

  /** The calls in the archive since `since` (every contact): missed calls show, entries fill in. */
  protected async catchUpCalls(own: string, since: number): Promise<void> {
    try {
      const found = await fetchSince(this.link, own, since, this.pageSize, this.catchUp.pages);
      for (const item of found.messages) {
        const m = parseMessage(item.message);
        if (m.jmi) this.ingest(m, { archiveId: item.archiveId, time: item.stamp ?? m.delayedTo });
      }
    } catch { /* the archive did not answer: only the live calls show */ }
    this.changed();
  }

  /** The page is visible again: the open chat is read, its missed calls seen. */
  protected seen(): void {
    const chat = this.active && this.isVisible() ? this.chats.get(this.active) : undefined;
    if (!chat) return;
    const missed = this.calls.missed.dismiss(chat.contact);
    if (chat.unread > 0 || missed) {
      chat.unread = 0;
      this.changed();
    }
  }

  protected onStanza(stanza: Element): void {
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
    if (this.caughtUp) this.lastSeen.touch(own, Date.now());
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
  protected ingest(m: ParsedMessage, how: Ingest): void {
    const own = this.own;
    if (!own || (m.type !== 'chat' && m.type !== 'normal') || (how.live && !m.from)) return;
    const out = m.from === undefined ? how.carbon !== 'received' : bareJid(m.from) === own;
    const contact = bareJid((out ? m.to : m.from) ?? '');
    if (!isBareJid(contact) || (contact === own && !out) || (how.expect && contact !== how.expect)) return;
    const now = Date.now();
    const time = how.time ?? (m.delayedTo !== undefined && m.delayedTo < now ? m.delayedTo : now);
    // A call message: its call's entry. Its receipt request is the call controller's to answer.
    if (m.jmi) {
      // Accept and reject also go to our own bare JID, for our other devices: the copy to the caller counts.
      if (contact !== own && this.calls.jmi(this.chatFor(contact), m.jmi, out, time)) this.changed();
      return;
    }
    // Only a body opens a chat: a receipt or a chat state alone concerns one we already have.
    const chat = m.body !== undefined ? this.chatFor(contact) : this.chats.get(contact);
    if (!chat) return;
    let changed = false;
    // XEP-0184 receipts from the archive too: ticks survive a reload.
    if (!out && m.receivedId) changed = chat.receiptFor(m.receivedId) || changed;
    if (!out && m.chatState && !how.archiveId) changed = this.theirState(chat, m.chatState, m.from) || changed;
    if (!out && !how.archiveId) {
      chat.states.received(m.chatState, m.body !== undefined);
      if (m.body !== undefined && !m.chatState) changed = this.theirState(chat, undefined, undefined) || changed;
    }
    if (m.body !== undefined) {
      const archiveId = how.archiveId ?? m.stanzaIds.find((s) => s.by.toLowerCase() === own && this.features.mam)?.id;
      const clipped = clipBody(m.body, this.maxBodyLength);
      const added = chat.add(
        { id: m.id, direction: out ? 'out' : 'in', ...clipped, time, state: out ? 'sent' : 'received', archived: !!how.archiveId },
        messageKeys(out ? 'out' : 'in', [m.id, m.originId], archiveId),
      );
      if (added && !out && !how.archiveId && (contact !== this.active || !this.isVisible())) {
        chat.unread = Math.min(chat.unread + 1, chat.messages.length);  // never more than it keeps
      }
      if (out && how.carbon === 'sent') chat.unread = 0;
      changed ||= added !== undefined;
      // XEP-0184: answer a live request; never a carbon (the addressed device answers) or the archive.
      if (how.live && !out && m.receiptRequested && m.id && m.from && this.answerReceipts(contact)) {
        this.link.send(receipt(m.from, newId(), m.id, m.type)).catch(() => undefined);
      }
    }
    if (changed) this.changed();
  }

  /** The contact's chat state; `composing` is believed for `theirComposingMs` unless another state follows. */
  protected theirState(chat: ChatLog, state: ChatState | undefined, from: string | undefined): boolean {
    const changed = chat.theirState !== state || chat.theirStateFrom !== from;
    chat.theirState = state;
    chat.theirStateFrom = from;
    if (state !== 'composing') this.theirTimers.clear(chat.contact);
    else {
      this.theirTimers.set(chat.contact, this.theirComposingMs, () => {
        if (chat.theirState !== 'composing') return;
        chat.theirState = undefined;
        chat.theirStateFrom = undefined;
        this.changed();
      });
    }
    return changed;
  }

  /** A contact's device went away: its chat state goes with it. */
  protected onPresence(p: Element): void {
    const from = p.attrs.from as string | undefined;
    const chat = from && p.attrs.type === 'unavailable' ? this.chats.get(bareJid(from)) : undefined;
    if (chat && chat.theirStateFrom === from && this.theirState(chat, undefined, undefined)) this.changed();
  }

  /** Our own bare JID, while the link has one. */
  protected get own(): string | undefined {
    return this.link.jid ? bareJid(this.link.jid) : undefined;
  }

  /** The chat with `contact`, created if needed: a request if they are not in the roster. */
  protected chatFor(contact: string): ChatLog {
    const chat = this.chats.open(contact, this.active, !this.known(contact));
    this.requestChat(chat);
    return chat;
  }

  /** In the roster, or our own account (notes to self): not a stranger. */
  private known(contact: string): boolean {
    return contact === this.own || this.isContact(contact);
  }

  /** Whether `chat` is a request; one whose contact joined the roster since becomes a chat like any other. */
  protected requestChat(chat: ChatLog): boolean {
    if (chat.isRequest && this.known(chat.contact)) {
      chat.isRequest = false;
      chat.maxMessages = this.maxMessages;
    }
    return chat.isRequest;
  }

  /** Another account logged in on this page: nothing of the last one's stays; its unseen missed calls come back. */
  private switchAccount(own: string): void {
    for (const chat of this.chats.all()) chat.states.dispose();
    this.chats.clear();
    this.calls.dispose();
    this.theirTimers.dispose();
    this.calls.missed.dismiss();
    this.active = undefined;
    this.account = own;
    this.calls.missed.restore(this.lastSeen.missed(own));
    this.storedMissed = this.calls.missed.version;
  }

  protected changed(): void {
    if (this.account && this.storedMissed !== this.calls.missed.version) {
      this.storedMissed = this.calls.missed.version;
      this.lastSeen.saveMissed(this.account, this.calls.missed.all);
    }
    this.host?.requestUpdate();
    for (const listener of [...this.listeners]) {
      try { listener(); } catch (e) { console.error('chat listener failed', e); }
    }
  }
}
