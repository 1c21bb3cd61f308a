/** One message of the chat view as a Lit template: text with clickable links, time, receipt mark. */
import { html, nothing } from 'lit';
import type { ChatMessage, MessageState } from '../controllers/chat.ts';
import { linkify } from './linkify.ts';

const RECEIPT_TEXT: Record<MessageState, string> = { received: '', sent: 'sent', delivered: '✓ delivered', failed: '✗ not delivered' };

/** The body as text nodes and `<a>` elements, both from text bindings only. */
export function bodyWithLinks(body: string) {
  return linkify(body).map((p) => (p.href === undefined
    ? p.text
    : html`<a href=${p.href} rel="noopener noreferrer" target="_blank">${p.text}</a>`));
}

export function renderMessage(m: ChatMessage, maxLength: number) {
  const time = new Date(m.time);
  return html`
    <li part="message" data-direction=${m.direction} data-state=${m.state}>
      <p class="body">${bodyWithLinks(m.body)}${m.truncated
        ? html`<span class="cut" data-test="cut">… (shortened: longer than ${maxLength.toLocaleString('en')} characters)</span>` : nothing}</p>
      <span class="meta">
        <time datetime=${time.toISOString()}>${time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
        ${m.direction === 'out' ? html`<span class="receipt" part="receipt" data-state=${m.state}>${RECEIPT_TEXT[m.state]}</span>` : nothing}
      </span>
    </li>`;
}
