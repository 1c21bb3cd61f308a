/**
 * `<jg-contacts>`: the roster with presence dots, pending subscription requests (Accept / Refuse), an
 * "Add contact" form and a remove button per contact. Actions go straight to the RosterController it is
 * given; choosing a contact is an event for the app.
 *
 * @fires contact-select - `CustomEvent<{ jid: string }>` with the bare JID of the clicked contact.
 * @csspart contact - each contact's row.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { RosterController, Show } from '../controllers/roster.ts';

const SHOW_LABEL: Record<Show | 'offline', string> = {
  chat: 'free to chat', available: 'online', away: 'away', xa: 'away for long', dnd: 'busy', offline: 'offline',
};

export class JgContacts extends LitElement {
  static override properties = {
    roster: { attribute: false },
    selected: { type: String },
  };

  declare roster: RosterController | undefined;
  /** Bare JID of the selected contact ('' for none). */
  declare selected: string;
  private unwatch: (() => void) | undefined;

  constructor() {
    super();
    this.roster = undefined;
    this.selected = '';
  }

  static override styles = css`
    :host { display: block; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { display: flex; align-items: center; gap: 0.4rem; padding: 0.2rem 0; }
    .pick { flex: 1; display: flex; align-items: center; gap: 0.5rem; text-align: start; font: inherit;
      background: none; border: 1px solid transparent; border-radius: 0.3rem; padding: 0.3rem; cursor: pointer; }
    .pick[aria-current='true'] { border-color: currentColor; }
    .dot { inline-size: 0.6rem; block-size: 0.6rem; border-radius: 50%; background: #9e9e9e; flex: none; }
    .dot.available, .dot.chat { background: #2e7d32; }
    .dot.away, .dot.xa { background: #f9a825; }
    .dot.dnd { background: #c62828; }
    .jid, .note { font-size: 0.8em; opacity: 0.75; }
    .error { color: #c62828; }
    form { display: flex; gap: 0.4rem; margin-block: 0.5rem; }
    input { font: inherit; min-inline-size: 0; flex: 1; padding: 0.3rem; }
    h2 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.watch();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch?.();
    this.unwatch = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('roster')) this.watch();
  }

  /** The roster object stays the same while its contents change: re-render on its change events. */
  private watch(): void {
    this.unwatch?.();
    this.unwatch = this.roster?.onChange(() => this.requestUpdate());
  }

  override render() {
    const roster = this.roster;
    if (roster === undefined) return nothing;
    return html`
      ${roster.requests.length > 0 ? html`
        <section aria-label="Subscription requests">
          <h2>Requests</h2>
          <ul>${roster.requests.map((jid) => html`
            <li data-request=${jid}>
              <span class="pick">${jid} wants to see when you are online</span>
              <button type="button" @click=${() => this.run(() => roster.accept(jid))}>Accept</button>
              <button type="button" @click=${() => this.run(() => roster.refuse(jid))}>Refuse</button>
            </li>`)}
          </ul>
        </section>` : nothing}
      <section aria-label="Contacts">
        <h2>Contacts</h2>
        <ul>${roster.contacts.map((c) => {
          const show = roster.show(c.jid);
          return html`
            <li part="contact" data-jid=${c.jid} data-show=${show} data-online=${show === 'offline' ? 'false' : 'true'}>
              <button type="button" class="pick" aria-current=${this.selected === c.jid ? 'true' : 'false'}
                @click=${() => this.select(c.jid)}>
                <span class="dot ${show}" role="img" aria-label=${SHOW_LABEL[show]}></span>
                <span>${c.name ?? c.jid}${c.name ? html` <span class="jid">${c.jid}</span>` : nothing}</span>
                ${c.pending ? html`<span class="note">(awaiting approval)</span>` : nothing}
              </button>
              <button type="button" aria-label="Remove ${c.jid}" title="Remove" @click=${() => this.run(() => roster.remove(c.jid))}>Remove</button>
            </li>`;
        })}
        </ul>
        ${roster.contacts.length === 0 ? html`<p class="note">No contacts yet.</p>` : nothing}
      </section>
      <form @submit=${this.add} aria-label="Add contact">
        <input name="contact" type="text" placeholder="friend@example.com" aria-label="Contact address" required>
        <button type="submit">Add contact</button>
      </form>
      ${roster.error ? html`<p class="error" role="alert">${roster.error}</p>` : nothing}`;
  }

  private select(jid: string): void {
    this.dispatchEvent(new CustomEvent('contact-select', { detail: { jid }, bubbles: true, composed: true }));
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('contact') as HTMLInputElement;
    const jid = input.value.trim();
    if (!jid || this.roster === undefined) return;
    const roster = this.roster;
    this.run(async () => { await roster.add(jid); input.value = ''; });
  }

  /** Errors end up in roster.error (shown above); a RosterError from validation is shown the same way. */
  private run(action: () => Promise<void>): void {
    action().catch((err: unknown) => {
      if (this.roster !== undefined && this.roster.error === undefined) this.roster.error = (err as Error).message;
      this.requestUpdate();
    });
  }
}

if (!customElements.get('jg-contacts')) customElements.define('jg-contacts', JgContacts);

declare global {
  interface HTMLElementTagNameMap {
    'jg-contacts': JgContacts;
  }
  interface HTMLElementEventMap {
    'contact-select': CustomEvent<{ jid: string }>;
  }
}
