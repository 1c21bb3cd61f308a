/**
 * `<jg-app>`: the app shell. Logged out it shows `<jg-login>`; online, the contact list beside a main
 * area holding the chat view and the call view of the selected contact. It owns the connection and
 * roster controllers and hands them down:
 *
 *   <jg-chat .link=${connection} .roster=${roster} .peer=${selected}>
 *   <jg-call .link=${connection} .roster=${roster} .peer=${selected}>
 *
 * (`link` is the XmppLink of the session, `peer` the selected contact's bare JID or '' for none.)
 *
 * @attr status - reflects the connection status: offline | connecting | online | reconnecting.
 * @attr service - the WebSocket URL to use when the user gives none (else XEP-0156 host-meta).
 */
import { LitElement, css, html, nothing } from 'lit';
import { ConnectionController } from '../controllers/connection.ts';
import { RosterController } from '../controllers/roster.ts';
import type { LinkStatus } from '../xmpp/link.ts';
import { bareJid } from '../xmpp/jid.ts';
import type { LoginDetail } from './login.ts';
import './login.ts';
import './contacts.ts';

export class JgApp extends LitElement {
  static override properties = {
    status: { type: String, reflect: true },
    service: { type: String },
    selected: { type: String },
  };

  declare status: LinkStatus;
  declare service: string;
  /** The selected contact's bare JID ('' for none): what the chat and call views show. */
  declare selected: string;

  readonly connection = new ConnectionController(this);
  readonly roster = new RosterController(this, this.connection);

  constructor() {
    super();
    this.status = 'offline';
    this.service = '';
    this.selected = '';
    this.connection.onStatus((s) => {
      this.status = s;
      if (s === 'offline') this.selected = '';
    });
  }

  static override styles = css`
    :host { display: block; min-block-size: 100vh; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1rem; border-block-end: 1px solid #8884; }
    header .me { flex: 1; }
    .banner { padding: 0.3rem 1rem; background: #fff3e0; color: #6d4c00; }
    .layout { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; min-block-size: calc(100vh - 3rem); }
    aside { padding: 0.5rem 1rem; border-inline-end: 1px solid #8884; }
    main { padding: 0.5rem 1rem; display: grid; gap: 1rem; align-content: start; }
    .hint { opacity: 0.7; }
    @media (max-width: 40rem) { .layout { grid-template-columns: 1fr; } aside { border: none; } }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    // The chat and call views come from other modules: render them once they are defined.
    for (const tag of ['jg-chat', 'jg-call']) void customElements.whenDefined(tag).then(() => this.requestUpdate());
  }

  override render() {
    const { status } = this.connection;
    if (status === 'offline' || status === 'connecting') {
      return html`<jg-login .error=${this.connection.error?.message ?? ''} .busy=${status === 'connecting'}
        .service=${this.service} @login-submit=${this.login}></jg-login>`;
    }
    return html`
      <header>
        <span class="me">${this.connection.jid ? bareJid(this.connection.jid) : ''}</span>
        <button type="button" @click=${() => { void this.connection.logout(); }}>Log out</button>
      </header>
      ${status === 'reconnecting' ? html`<p class="banner" role="status">Connection lost, reconnecting…</p>` : nothing}
      <div class="layout">
        <aside>
          <jg-contacts .roster=${this.roster} .selected=${this.selected} @contact-select=${this.select}></jg-contacts>
        </aside>
        <main>
          ${this.selected ? nothing : html`<p class="hint">Choose a contact to chat or call.</p>`}
          <!-- chat view -->
          ${customElements.get('jg-chat') ? html`<jg-chat .link=${this.connection} .roster=${this.roster} .peer=${this.selected}></jg-chat>` : nothing}
          <!-- call view -->
          ${customElements.get('jg-call') ? html`<jg-call .link=${this.connection} .roster=${this.roster} .peer=${this.selected}></jg-call>` : nothing}
        </main>
      </div>`;
  }

  private login(event: CustomEvent<LoginDetail>): void {
    const { jid, password, service } = event.detail;
    // The error is kept in connection.error and shown by the login form.
    this.connection.login({ jid, password, service: service || this.service || undefined }).catch(() => undefined);
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
