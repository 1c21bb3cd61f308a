/**
 * `<jg-contacts>`: the roster with presence dots and unread counts, pending subscription requests
 * (Accept / Refuse), an "Add contact" form and a remove button per contact, which asks first (in the
 * row, keyboard reachable; Escape cancels). Actions go straight to the RosterController it is given;
 * choosing a contact is an event for the app.
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
    unread: { attribute: false },
    missed: { attribute: false },
    confirming: { state: true },
  };

  declare roster: RosterController | undefined;
  /** Bare JID of the selected contact ('' for none). */
  declare selected: string;
  /** Unread messages per bare JID (from the chat controller). */
  declare unread: Readonly<Record<string, number>>;
  /** Missed calls per bare JID, not yet seen. */
  declare missed: Readonly<Record<string, number>>;
  /** The contact whose removal waits for a yes ('' for none). */
  private declare confirming: string;
  private unwatch: (() => void) | undefined;

  constructor() {
    super();
    this.roster = undefined;
    this.selected = '';
    this.unread = {};
    this.missed = {};
    this.confirming = '';
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
    .jid, .note { font-size: 0.8em; opacity: 0.87; }
    .error { color: #c62828; }
    .sr-only { position: absolute; inline-size: 1px; block-size: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    form { display: flex; gap: 0.4rem; margin-block: 0.5rem; }
    input { font: inherit; min-inline-size: 0; flex: 1; padding: 0.3rem; }
    h2 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
    button:focus-visible, input:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
    .count { margin-inline-start: auto; min-inline-size: 1.4rem; padding: 0 0.4rem; border-radius: 1rem; background: #c62828;
      color: #fff; font-size: 0.8em; font-weight: 600; text-align: center; }
    .confirm { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; padding: 0.4rem; border: 1px solid #c62828;
      border-radius: 0.3rem; flex: 1; }
    .confirm p { margin: 0; flex-basis: 100%; }
    .danger { background: #c62828; color: #fff; border: 1px solid #8e0000; }
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
          const unread = this.unread[c.jid] ?? 0;
          const missed = this.missed[c.jid] ?? 0;
          const name = c.name ?? c.jid;
          if (this.confirming === c.jid) return this.confirmRow(c.jid, name);
          return html`
            <li part="contact" data-jid=${c.jid} data-show=${show} data-online=${show === 'offline' ? 'false' : 'true'} data-unread=${unread}>
              <button type="button" class="pick" aria-current=${this.selected === c.jid ? 'true' : 'false'}
                @click=${() => this.select(c.jid)}>
                <span class="dot ${show}" role="img" aria-label=${SHOW_LABEL[show]}></span>
                <span>${name}${c.name ? html` <span class="jid">${c.jid}</span>` : nothing}</span>
                ${c.pending ? html`<span class="note">(awaiting approval)</span>` : nothing}
                ${missed > 0 ? html`<span class="count missed" data-test="missed" title="Missed calls">✆ ${missed}<span class="sr-only"> missed ${missed === 1 ? 'call' : 'calls'}</span></span>` : nothing}
                ${unread > 0 ? html`<span class="count" data-test="unread">${unread}<span class="sr-only"> unread</span></span>` : nothing}
              </button>
              <button type="button" aria-label="Remove ${c.jid}" title="Remove" @click=${() => this.ask(c.jid)}>Remove</button>
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

  /** The row of a contact about to be removed: the question, Remove and Cancel (focused: the safe choice). */
  private confirmRow(jid: string, name: string) {
    const roster = this.roster;
    return html`
      <li part="contact" data-jid=${jid} data-confirming="true">
        <div class="confirm" role="alertdialog" aria-labelledby="confirm-text" @keydown=${this.escape}>
          <p id="confirm-text">Remove ${name} from your contacts? You will no longer see each other online.</p>
          <button type="button" class="danger" @click=${() => { this.confirming = ''; if (roster) this.run(() => roster.remove(jid)); }}>Remove ${name}</button>
          <button type="button" class="cancel" @click=${() => this.cancel()}>Cancel</button>
        </div>
      </li>`;
  }

  private async ask(jid: string): Promise<void> {
    this.confirming = jid;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.confirm .cancel')?.focus();
  }

  private escape(event: KeyboardEvent): void {
    if (event.key === 'Escape') this.cancel();
  }

  private async cancel(): Promise<void> {
    const jid = this.confirming;
    this.confirming = '';
    await this.updateComplete;
    const row = [...this.renderRoot.querySelectorAll<HTMLElement>('li[data-jid]')].find((li) => li.dataset.jid === jid);
    row?.querySelector<HTMLButtonElement>('button[title="Remove"]')?.focus();
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
