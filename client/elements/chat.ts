/**
 * `<jg-chat>`: the conversation with one contact: messages (plain text, through Lit text bindings
 * only), a receipt mark on ours, the contact's chat state, older history on request, and a form to
 * write. A thin view over a ChatController:
 *
 *   <jg-chat contact="bob@example.com" .controller=${chat}>            the app owns the controller
 *   <jg-chat .link=${connection} .roster=${roster} .peer=${selected}>   the element makes its own
 *
 * With `.link` and no `.controller`, the element creates a ChatController on that link, hosted by the
 * element (so it lives while the element is connected), answering receipts only to contacts who may see
 * our presence according to `.roster` (XEP-0184 section 7).
 *
 * The limit of a message shows as you type ("9,950 / 10,000"); longer text stays in the box with a
 * message saying so, and Send is disabled (never a silent cut). Without a connection Send is disabled
 * with the reason, and a "not connected" error goes away when the connection is back. Links in bodies
 * (http/https) are `<a rel="noopener noreferrer">`, made from text.
 *
 * @csspart message - each message (`data-direction` in|out, `data-state` received|sent|delivered|failed)
 * @csspart receipt - the receipt mark of our messages (`data-state` as the message)
 * @csspart state - the contact's chat state (`data-state` composing|paused|inactive|gone or empty)
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { ChatController, ChatError, type ChatState } from '../controllers/chat.ts';
import type { RosterController } from '../controllers/roster.ts';
import type { XmppLink } from '../xmpp/link.ts';
import { bareJid } from '../xmpp/jid.ts';
import { renderMessage } from './chat-message.ts';

const count = (n: number): string => n.toLocaleString('en');
const capitalize = (s: string | undefined): string => (s ? s[0]!.toUpperCase() + s.slice(1) : '');
const STATE_TEXT: Record<ChatState, string> = { active: '', composing: 'typing…', paused: 'stopped typing', inactive: 'away from the chat', gone: 'left the chat' };

export class JgChat extends LitElement {
  static override properties = {
    contact: { type: String },
    peer: { type: String },
    controller: { attribute: false },
    link: { attribute: false },
    roster: { attribute: false },
    draft: { state: true },
    error: { state: true },
  };
  /** The condition of `error` when it came from the controller (an 'offline' one clears itself). */
  private errorCondition = '';

  /** Bare JID of the contact shown ('' for none). */
  declare contact: string;
  /** The same as `contact`, under the name the app shell passes to its views. */
  declare peer: string;
  /** The chat controller to show; when absent, one is made on `link`. */
  declare controller: ChatController | undefined;
  declare link: XmppLink | undefined;
  declare roster: RosterController | undefined;
  private declare draft: string;
  private declare error: string;

  private own: { link: XmppLink; chat: ChatController } | undefined;
  private unsubscribe: (() => void) | undefined;
  private subscribed: ChatController | undefined;
  private readonly drafts = new Map<string, string>();
  /** The contact whose draft is in `draft`. */
  private showing = '';
  private lastKey: string | undefined;

  constructor() {
    super();
    this.contact = '';
    this.peer = '';
    this.controller = undefined;
    this.link = undefined;
    this.roster = undefined;
    this.draft = '';
    this.error = '';
  }

  static override styles = css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    section { display: grid; grid-template-rows: auto auto 1fr auto; gap: 0.5rem; max-block-size: 70vh; }
    header { display: flex; align-items: baseline; gap: 0.75rem; }
    h2 { font-size: 1.1rem; margin: 0; }
    .state { font-size: 0.85em; opacity: 0.87; font-style: italic; }
    ol { list-style: none; margin: 0; padding: 0; overflow-y: auto; display: flex; flex-direction: column; gap: 0.35rem; min-block-size: 6rem; }
    li { max-inline-size: 80%; padding: 0.35rem 0.6rem; border-radius: 0.6rem; background: #8881; align-self: flex-start; }
    li[data-direction='out'] { align-self: flex-end; background: #1e88e522; }
    li.call { align-self: center; background: none; border: 1px solid #8884; font-size: 0.9em; }
    li.call[data-call='missed'] { color: #b71c1c; border-color: currentColor; }
    .body { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
    .meta { display: block; font-size: 0.75em; text-align: end; }
    .receipt[data-state='delivered'] { color: #1b5e20; }
    .receipt[data-state='failed'] { color: #b71c1c; }
    form { display: flex; gap: 0.5rem; align-items: flex-end; }
    textarea { flex: 1; font: inherit; padding: 0.4rem; resize: vertical; min-block-size: 2.5rem; }
    .older { justify-self: center; }
    .error { color: #c62828; margin: 0; }
    .limit { font-size: 0.8em; opacity: 0.87; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .limit[data-over='true'] { color: #c62828; opacity: 1; font-weight: 600; }
    .why { font-size: 0.85em; opacity: 0.87; margin: 0; }
    .cut { opacity: 0.87; font-style: italic; }
    a { color: #1565c0; }
    a:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid #1e88e5; outline-offset: 2px; }
    .send { display: grid; gap: 0.2rem; justify-items: end; }
  `;

  /** The controller in use: the one given, or the element's own. */
  get chat(): ChatController | undefined {
    return this.controller ?? this.own?.chat;
  }

  private get shown(): string {
    const jid = this.contact || this.peer;
    return jid ? bareJid(jid) : '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
    if (this.shown) this.chat?.open(this.shown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.chat?.openChat === this.shown) this.chat.open('');
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribed = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const adopted = changed.has('link') || changed.has('controller');
    if (adopted) this.adopt();
    const now = this.shown;
    if (now !== this.showing) {
      // Each contact keeps its own draft while another is shown.
      if (this.showing) this.drafts.set(this.showing, this.draft);
      this.draft = this.drafts.get(now) ?? '';
      this.drafts.delete(now);
      this.error = '';
      this.showing = now;
    } else if (!adopted) {
      this.clearOfflineError();
      return;
    }
    if (this.isConnected) this.chat?.open(now);
  }

  protected override updated(): void {
    // Follow the conversation: scroll down when a message is added at the end (not for older history).
    const last = this.shown ? this.chat?.view(this.shown).messages.at(-1)?.key : undefined;
    if (last !== this.lastKey) {
      this.lastKey = last;
      const list = this.renderRoot.querySelector('ol');
      if (list) list.scrollTop = list.scrollHeight;
    }
  }

  override render() {
    const chat = this.chat;
    const contact = this.shown;
    if (!chat || !contact) return nothing;
    const view = chat.view(contact);
    const name = this.roster?.contact(contact)?.name || contact;
    const state = view.theirState && view.theirState !== 'active' ? view.theirState : '';
    const over = Math.max(0, this.draft.length - chat.maxBodyLength);
    const blocked = this.blocked;
    const online = blocked === undefined;
    // The controller keeps its send error (cleared when it no longer holds); ours is for other failures.
    const error = chat.error?.message ?? this.error;
    return html`
      <section aria-label=${`Chat with ${name}`}>
        <header>
          <h2>${name}</h2>
          <span class="state" part="state" role="status" data-state=${state}>${state ? STATE_TEXT[state] : ''}</span>
        </header>
        ${view.canLoadOlder || view.historyLoading
          ? html`<button type="button" class="older" ?disabled=${view.historyLoading} @click=${this.loadOlder}>
              ${view.historyLoading ? 'Loading history…' : 'Load older messages'}</button>`
          : html`<span></span>`}
        <ol aria-live="polite" aria-label="Messages">${repeat(view.messages, (m) => m.key, (m) => renderMessage(m, chat.maxBodyLength))}</ol>
        <form @submit=${this.submit}>
          <textarea name="message" aria-label=${`Message to ${name}`} rows="2" placeholder="Write a message"
            aria-describedby="limit why" aria-invalid=${over > 0 ? 'true' : 'false'}
            .value=${live(this.draft)} @input=${this.input} @keydown=${this.keydown}></textarea>
          <span class="send">
            ${this.draft.length > 0 ? html`<span class="limit" id="limit" data-test="limit" data-over=${over > 0 ? 'true' : 'false'}
              >${count(this.draft.length)} / ${count(chat.maxBodyLength)}</span>` : nothing}
            <button type="submit" ?disabled=${this.draft.trim() === '' || over > 0 || !online}>Send</button>
          </span>
        </form>
        ${over > 0 ? html`<p class="error" role="alert" data-test="too-long">Too long by ${count(over)} characters: a message can have up to ${count(chat.maxBodyLength)}.</p>` : nothing}
        ${online ? nothing : html`<p class="why" id="why">${capitalize(blocked)}: messages can be sent again when the connection is back.</p>`}
        ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      </section>`;
  }

  /** Why nothing can be sent now ("not connected"), from the controller, or the link if given. */
  private get blocked(): string | undefined {
    return this.chat?.sendBlocked ?? ((this.link?.status ?? 'online') === 'online' ? undefined : 'not connected');
  }

  private get online(): boolean {
    return this.blocked === undefined;
  }

  /** An error that came from being offline goes once the connection is back. */
  private clearOfflineError(): void {
    if (this.error && this.errorCondition === 'offline' && this.online) {
      this.error = '';
      this.errorCondition = '';
    }
  }

  /** Uses the given controller, or makes one on `link` (hosted here), and follows its changes. */
  private adopt(): void {
    if (this.own && (this.controller || this.own.link !== this.link)) {
      this.removeController(this.own.chat);
      this.own.chat.stop();
      this.own = undefined;
    }
    if (!this.controller && this.link && !this.own) {
      const roster = (): RosterController | undefined => this.roster;
      const chat = new ChatController(this.link, {
        host: this,
        answerReceipts: (jid) => {
          const subscription = roster()?.contact(jid)?.subscription;
          return roster() === undefined || subscription === 'from' || subscription === 'both';
        },
      });
      this.own = { link: this.link, chat };
    }
    this.follow();
  }

  /** Re-renders on the controller's changes when it is not hosted by this element. */
  private follow(): void {
    const chat = this.controller;
    if (chat === this.subscribed || !this.isConnected) return;
    this.unsubscribe?.();
    this.subscribed = chat;
    this.unsubscribe = chat?.subscribe(() => this.requestUpdate());
  }

  private input(event: InputEvent): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.error = '';
    this.errorCondition = '';
    this.chat?.typing(this.shown, this.draft);
  }

  /** Enter sends, Shift+Enter starts a new line. */
  private keydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.renderRoot.querySelector('form')?.requestSubmit();
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const chat = this.chat;
    const contact = this.shown;
    const text = this.draft;
    if (!chat || !contact || text.trim() === '' || text.length > chat.maxBodyLength || !this.online) return;
    this.draft = '';
    try {
      await chat.send(contact, text);
    } catch (e) {
      if (e instanceof ChatError && this.draft === '' && this.shown === contact) this.draft = text;
      if (e instanceof ChatError && chat.error === e) return; // shown from the controller, which clears it
      this.error = e instanceof Error ? e.message : String(e);
      this.errorCondition = e instanceof ChatError ? e.condition : (e as { code?: string }).code ?? '';
    }
  }

  private loadOlder(): void {
    void this.chat?.loadOlder(this.shown);
  }
}

if (!customElements.get('jg-chat')) customElements.define('jg-chat', JgChat);

declare global {
  interface HTMLElementTagNameMap {
    'jg-chat': JgChat;
  }
}
