/**
 * `<jg-login>`: the login form. A thin view: it collects the JID, the password and (under "Advanced")
 * the WebSocket URL, and dispatches them; the app does the logging in. After a reload it offers to log
 * back in as the address remembered (`remembered`, never a password), prefilled.
 *
 * @fires login-submit - `CustomEvent<LoginDetail>` when the form is submitted.
 * @fires login-forget - the user wants another address than the remembered one.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';

export interface LoginDetail {
  jid: string;
  password: string;
  /** Empty when not given: the app then uses its configured URL or host-meta. */
  service: string;
}

export class JgLogin extends LitElement {
  static override properties = {
    error: { type: String },
    errorDetail: { type: String },
    busy: { type: Boolean },
    service: { type: String },
    remembered: { type: String },
  };

  /** A message in the user's words (e.g. "Wrong address or password."). */
  declare error: string;
  /** The condition behind it, for debugging: shown under "Technical details" and as a tooltip. */
  declare errorDetail: string;
  /** A login is under way: the button says so and is disabled. */
  declare busy: boolean;
  /** Pre-filled WebSocket URL (e.g. from the deployment's config). */
  declare service: string;
  /** The bare JID of the last login on this browser ('' for none). */
  declare remembered: string;

  constructor() {
    super();
    this.error = '';
    this.errorDetail = '';
    this.busy = false;
    this.service = '';
    this.remembered = '';
  }

  static override styles = css`
    form { display: grid; gap: 0.75rem; max-width: 22rem; margin: 3rem auto; padding: 1.5rem;
      border: 1px solid #8884; border-radius: 0.5rem; }
    label { display: grid; gap: 0.25rem; }
    input { font: inherit; padding: 0.4rem; }
    button { font: inherit; padding: 0.5rem; }
    button.link { padding: 0; background: none; border: none; text-decoration: underline; cursor: pointer; justify-self: start; color: inherit; }
    input:focus-visible, button:focus-visible, summary:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
    .error { color: #c62828; margin: 0; }
    .welcome { margin: 0; }
    .tech { font-size: 0.8em; opacity: 0.87; }
    h1 { font-size: 1.3rem; margin: 0; }
  `;

  protected override firstUpdated(changed: PropertyValues<this>): void {
    super.firstUpdated(changed);
    // Back after a reload: the address is there, the password is what is missing.
    if (this.remembered) this.renderRoot.querySelector<HTMLInputElement>('input[name="password"]')?.focus();
  }

  override render() {
    return html`
      <form @submit=${this.submit} aria-busy=${this.busy ? 'true' : 'false'} aria-labelledby="title">
        <h1 id="title">Jingle Gateway</h1>
        ${this.remembered ? html`
          <p class="welcome" data-test="welcome-back">Log back in as <strong>${this.remembered}</strong></p>
          <button type="button" class="link" @click=${this.forget}>Use another address</button>` : nothing}
        <label>Address <input name="jid" type="text" autocomplete="username" placeholder="you@example.com" required
          .value=${this.remembered}></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <details>
          <summary>Advanced</summary>
          <label>WebSocket URL <input name="service" type="text" inputmode="url" spellcheck="false" placeholder="wss://example.com/xmpp-websocket" .value=${this.service}></label>
        </details>
        ${this.error ? html`
          <p class="error" role="alert" title=${this.errorDetail || nothing}>${this.error}</p>
          ${this.errorDetail ? html`<details class="tech"><summary>Technical details</summary><code data-test="error-detail">${this.errorDetail}</code></details>` : nothing}`
          : nothing}
        <button type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
      </form>`;
  }

  private forget(): void {
    const jid = this.renderRoot.querySelector<HTMLInputElement>('input[name="jid"]');
    if (jid) { jid.value = ''; jid.focus(); }
    this.dispatchEvent(new CustomEvent('login-forget', { bubbles: true, composed: true }));
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    const detail: LoginDetail = { jid: value('jid').trim(), password: value('password'), service: value('service').trim() };
    this.dispatchEvent(new CustomEvent<LoginDetail>('login-submit', { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get('jg-login')) customElements.define('jg-login', JgLogin);

declare global {
  interface HTMLElementTagNameMap {
    'jg-login': JgLogin;
  }
  interface HTMLElementEventMap {
    'login-submit': CustomEvent<LoginDetail>;
    'login-forget': CustomEvent;
  }
}
