/**
 * `<jg-login>`: the login form. A thin view: it collects the JID, the password and (under "Advanced")
 * the WebSocket URL, and dispatches them; the app does the logging in.
 *
 * @fires login-submit - `CustomEvent<LoginDetail>` when the form is submitted.
 */
import { LitElement, css, html, nothing } from 'lit';

export interface LoginDetail {
  jid: string;
  password: string;
  /** Empty when not given: the app then uses its configured URL or host-meta. */
  service: string;
}

export class JgLogin extends LitElement {
  static override properties = {
    error: { type: String },
    busy: { type: Boolean },
    service: { type: String },
  };

  /** A message to show (e.g. "Wrong address or password."). */
  declare error: string;
  /** A login is under way: the button is disabled. */
  declare busy: boolean;
  /** Pre-filled WebSocket URL (e.g. from the deployment's config). */
  declare service: string;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
    this.service = '';
  }

  static override styles = css`
    form { display: grid; gap: 0.75rem; max-width: 22rem; margin: 3rem auto; padding: 1.5rem;
      border: 1px solid #8884; border-radius: 0.5rem; }
    label { display: grid; gap: 0.25rem; }
    input { font: inherit; padding: 0.4rem; }
    button { font: inherit; padding: 0.5rem; }
    .error { color: #c62828; margin: 0; }
    h1 { font-size: 1.3rem; margin: 0; }
  `;

  override render() {
    return html`
      <form @submit=${this.submit} aria-busy=${this.busy ? 'true' : 'false'}>
        <h1>Jingle Gateway</h1>
        <label>Address <input name="jid" type="text" autocomplete="username" placeholder="you@example.com" required></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        <details>
          <summary>Advanced</summary>
          <label>WebSocket URL <input name="service" type="text" inputmode="url" spellcheck="false" placeholder="wss://example.com/xmpp-websocket" .value=${this.service}></label>
        </details>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <button type="submit" ?disabled=${this.busy}>Log in</button>
      </form>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
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
  }
}
