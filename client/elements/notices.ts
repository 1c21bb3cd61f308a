/**
 * `<jg-notices>`: what happened while the user was away, above the conversation: missed calls ("Missed
 * video call from Bob at 14:02", from this session and from the archive since the last visit) and
 * messages from people not in the contacts (shown apart, not mixed into the contact list). A thin view
 * over the ChatController the app gives it.
 *
 * @fires contact-select - `CustomEvent<{ jid: string }>`: open that conversation.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { ChatController } from '../controllers/chat.ts';

export class JgNotices extends LitElement {
  static override properties = {
    chat: { attribute: false },
    roster: { attribute: false },
    nameOf: { attribute: false },
  };

  declare chat: ChatController | undefined;
  /** Missed calls count for contacts only: a contact added later makes theirs show (re-render on its changes). */
  declare roster: { onChange(listener: () => void): () => void } | undefined;
  declare nameOf: ((jid: string) => string) | undefined;
  private unsubscribe: (() => void)[] = [];

  constructor() {
    super();
    this.chat = undefined;
    this.roster = undefined;
    this.nameOf = undefined;
  }

  static override styles = css`
    :host { display: block; }
    section { display: grid; gap: 0.3rem; padding: 0.5rem 0.75rem; border: 1px solid #8884; border-radius: 0.4rem; }
    h2 { font-size: 0.95rem; margin: 0; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; }
    li { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
    .missed { color: #b71c1c; }
    button { font: inherit; }
    button:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.unsubscribe.splice(0)) off();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('chat') || changed.has('roster')) this.follow();
  }

  private follow(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (!this.isConnected) return;
    const update = (): void => this.requestUpdate();
    if (this.chat) this.unsubscribe.push(this.chat.subscribe(update));
    if (this.roster) this.unsubscribe.push(this.roster.onChange(update));
  }

  private name(jid: string): string {
    return this.nameOf?.(jid) || jid;
  }

  override render() {
    const chat = this.chat;
    if (!chat) return nothing;
    const missed = chat.missedCalls;
    const requests = chat.requests;
    if (missed.length === 0 && requests.length === 0) return nothing;
    return html`
      ${missed.length > 0 ? html`
        <section aria-label="Missed calls" data-test="missed-calls">
          <h2>Missed calls</h2>
          <ul>${missed.map((m) => html`
            <li class="missed" data-sid=${m.sid}>
              <span>Missed ${m.media === 'video' ? 'video call' : 'call'} from ${this.name(m.contact)} at
                <time datetime=${new Date(m.at).toISOString()}>${new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time></span>
              <button type="button" @click=${() => this.open(m.contact)}>Open chat</button>
            </li>`)}
          </ul>
          <button type="button" @click=${() => chat.dismissMissedCalls()}>Dismiss</button>
        </section>` : nothing}
      ${requests.length > 0 ? html`
        <section aria-label="Messages from people not in your contacts" data-test="requests">
          <h2>Not in your contacts</h2>
          <ul>${requests.map((jid) => html`
            <li data-jid=${jid}><span>${jid}</span>
              <button type="button" aria-label=${`Read messages from ${jid}`} @click=${() => this.open(jid)}>Read</button></li>`)}
          </ul>
        </section>` : nothing}`;
  }

  private open(jid: string): void {
    this.dispatchEvent(new CustomEvent('contact-select', { detail: { jid }, bubbles: true, composed: true }));
  }
}

if (!customElements.get('jg-notices')) customElements.define('jg-notices', JgNotices);

declare global {
  interface HTMLElementTagNameMap {
    'jg-notices': JgNotices;
  }
}
