/**
 * `<jg-app>`: the app shell. Logged out it shows `<jg-login>`; online, the contact list beside a main
 * area with the call view on top and the chat of the selected contact below. It owns the session's
 * controllers (connection, roster, chat, call: one each, so unread counts and incoming calls work
 * whichever contact is selected) and hands them down:
 *
 *   <jg-call .controller=${call} .link=${connection} .peer=${selected}>
 *   <jg-chat .controller=${chat} .link=${connection} .roster=${roster} .peer=${selected}>
 *
 * While a call runs it has the main area; the chat folds away behind "Show chat".
 *
 * @attr status - reflects the connection status: offline | connecting | online | reconnecting.
 * @attr service - the WebSocket URL to use when the user gives none (else XEP-0156 host-meta).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { Alerts } from '../controllers/alerts.ts';
import { CallController } from '../controllers/call.ts';
import { ChatController } from '../controllers/chat.ts';
import { ConnectionController } from '../controllers/connection.ts';
import { LoginMemory } from '../controllers/login-memory.ts';
import { CallPreferences } from '../controllers/call-preferences.ts';
import { RosterController } from '../controllers/roster.ts';
import { createBrowserMediaSession } from '../rtc/browser.ts';
import type { MediaSessionFactory } from '../rtc/media-session.ts';
import type { LinkStatus } from '../xmpp/link.ts';
import { bareJid } from '../xmpp/jid.ts';
import { APP_STYLES } from './app-styles.ts';
import type { LoginDetail } from './login.ts';
import './login.ts';
import './contacts.ts';
import './chat.ts';
import './call.ts';
import './notices.ts';

/** While a call runs, it has the main area and the chat folds away (ringing and calling show above the chat). */
const RUNNING = ['connecting', 'connected'];

export class JgApp extends LitElement {
  static override properties = {
    status: { type: String, reflect: true },
    service: { type: String },
    selected: { type: String },
    chatShown: { state: true },
  };

  declare status: LinkStatus;
  declare service: string;
  /** The selected contact's bare JID ('' for none): what the chat and call views show. */
  declare selected: string;
  /** During a call: the chat unfolded below it. */
  private declare chatShown: boolean;
  /** The WebRTC side of calls; tests substitute FakeMedia. */
  createMedia: MediaSessionFactory = createBrowserMediaSession;

  readonly connection = new ConnectionController(this);
  readonly roster = new RosterController(this, this.connection);
  readonly chat = new ChatController(this.connection, {
    host: this,
    isContact: (jid) => this.roster.contact(jid) !== undefined,
    // XEP-0184 section 7: receipts only to contacts who may see our presence anyway.
    answerReceipts: (jid) => {
      const subscription = this.roster.contact(jid)?.subscription;
      return subscription === 'from' || subscription === 'both';
    },
  });
  readonly preferences = new CallPreferences();
  readonly call = new CallController(this.connection, {
    host: this, createMedia: (o) => this.createMedia(o), peers: () => this.roster, log: (m, e) => console.warn(m, e),
    allowCallsFrom: this.preferences.allowCallsFrom,
  });
  readonly alerts = new Alerts(this, {
    call: () => this.call, chat: () => this.chat, nameOf: (jid) => this.nameOf(jid),
  });
  readonly memory = new LoginMemory();
  private callState = 'idle';

  constructor() {
    super();
    this.status = 'offline';
    this.service = '';
    this.selected = '';
    this.chatShown = false;
    this.call.onEnded((summary) => this.chat.recordCall(summary));
    this.connection.onStatus((s) => {
      this.status = s;
      if (s === 'offline') this.selected = '';
      if (s === 'online' && this.connection.jid) this.memory.remember(bareJid(this.connection.jid));
    });
  }

  static override styles = APP_STYLES;

  /** A contact's name as the roster has it, else the JID. */
  nameOf(jid: string): string {
    return this.roster.contact(jid)?.name || jid;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const state = this.call.state;
    if (state === this.callState) return;
    // An answered call from someone else than the selected contact: show theirs (chat, name).
    const peer = this.call.peer;
    if ((state === 'connecting' || state === 'connected') && peer && !this.call.isTestCall && this.roster.contact(peer)) this.selected = peer;
    if (RUNNING.includes(state) && !RUNNING.includes(this.callState)) this.chatShown = false;
    this.callState = state;
  }

  override render() {
    const { status } = this.connection;
    if (status === 'offline' || status === 'connecting') {
      const error = this.connection.error;
      return html`<jg-login .error=${error?.message ?? ''} .errorDetail=${error ? `${error.code}${error.detail ? `: ${error.detail}` : ''}` : ''}
        .busy=${status === 'connecting'} .service=${this.service} .remembered=${this.memory.recall()}
        @login-submit=${this.login} @login-forget=${() => { this.memory.forget(); this.requestUpdate(); }}></jg-login>`;
    }
    const inCall = RUNNING.includes(this.call.state);
    const unread = this.selected ? this.chat.view(this.selected).unread : 0;
    return html`
      <header>
        <span class="me">${this.connection.jid ? bareJid(this.connection.jid) : ''}</span>
        <label class="setting"><input type="checkbox" data-test="allow-anyone" .checked=${this.call.allowCallsFrom === 'anyone'}
          @change=${this.setAllowAnyone}> Calls from people not in my contacts</label>
        <button type="button" @click=${() => { void this.connection.logout(); }}>Log out</button>
      </header>
      ${status === 'reconnecting' ? html`<p class="banner" role="status">Connection lost, reconnecting…</p>` : nothing}
      <div class="sr-only" aria-live="polite" data-test="announcer">${this.alerts.announcement}</div>
      <div class="sr-only" aria-live="assertive" data-test="announcer-call">${this.alerts.urgent}</div>
      <div class="layout">
        <aside aria-label="Contacts">
          <jg-contacts .roster=${this.roster} .selected=${this.selected} .unread=${this.unreadCounts()} .missed=${this.missedCounts()}
            @contact-select=${this.select}></jg-contacts>
        </aside>
        <main class=${inCall ? 'in-call' : ''} @click=${this.userAction}>
          ${this.selected || inCall ? nothing : html`<p class="hint">Choose a contact to chat or call.</p>`}
          <jg-call .controller=${this.call} .link=${this.connection} .roster=${this.roster} .peer=${this.selected}
            .nameOf=${(jid: string) => this.nameOf(jid)} .reachability=${(jid: string) => this.roster.reachability(jid)}></jg-call>
          ${inCall ? nothing : html`<jg-notices .chat=${this.chat} .roster=${this.roster} .nameOf=${(jid: string) => this.nameOf(jid)} @contact-select=${this.select}></jg-notices>`}
          ${inCall && this.selected ? html`
            <button type="button" class="chat-toggle" aria-expanded=${this.chatShown ? 'true' : 'false'} aria-controls="chat"
              @click=${() => { this.chatShown = !this.chatShown; }}>
              ${this.chatShown ? 'Hide chat' : `Show chat${unread > 0 ? ` (${unread} new)` : ''}`}</button>` : nothing}
          <jg-chat id="chat" ?hidden=${inCall && !this.chatShown} .controller=${this.chat} .link=${this.connection}
            .roster=${this.roster} .peer=${this.selected}></jg-chat>
        </main>
      </div>`;
  }

  private unreadCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const contact of this.chat.contacts) counts[contact] = this.chat.view(contact).unread;
    return counts;
  }

  private missedCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const m of this.chat.missedCalls) counts[m.contact] = (counts[m.contact] ?? 0) + 1;
    return counts;
  }

  private login(event: CustomEvent<LoginDetail>): void {
    const { jid, password, service } = event.detail;
    this.alerts.askPermission(); // a user's action: the only moment a browser lets us ask
    // The error is kept in connection.error and shown by the login form.
    this.connection.login({ jid, password, service: service || this.service || undefined }).catch(() => undefined);
  }

  /** A click in the main area (e.g. a call button) may ask for notification permission, if not asked yet. */
  private userAction(): void {
    this.alerts.askPermission();
  }

  /** Strangers' calls ring only while this is on (off by default: they could learn we are online). */
  private setAllowAnyone(event: Event): void {
    const allow = (event.target as HTMLInputElement).checked ? 'anyone' : 'contacts';
    this.call.allowCallsFrom = allow;
    this.preferences.allowCallsFrom = allow;
  }

  private select(event: CustomEvent<{ jid: string }>): void {
    this.selected = event.detail.jid;
  }
}

if (!customElements.get('jg-app')) customElements.define('jg-app', JgApp);

declare global {
  interface HTMLElementTagNameMap {
    'jg-app': JgApp;
  }
}
