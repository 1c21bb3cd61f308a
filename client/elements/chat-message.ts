/**
 * One item of the chat view as a Lit template: a message (text with clickable links, time, receipt mark)
 * or a call's entry in the conversation ("Missed video call", "Outgoing call, 2:05").
 */
import { html, nothing } from 'lit';
import { describeCall, type CallEntry, type ChatMessage, type MessageState } from '../controllers/chat.ts';
import { linkify } from './linkify.ts';

const RECEIPT_TEXT: Record<MessageState, string> = { received: '', sent: 'sent', delivered: '✓ delivered', failed: '✗ not delivered' };

/** The body as text nodes and `<a>` elements, both from text bindings only. */
export function bodyWithLinks(body: string) {
  return linkify(body).map((p) => (p.href === undefined
    ? p.text
    : html`<a href=${p.href} rel="noopener noreferrer" target="_blank">${p.text}</a>`));
}

const CALL_ICON: Record<'incoming' | 'outgoing', string> = { incoming: '↙', outgoing: '↗' };

/** A call in the conversation: centred, with its outcome for styling (missed in red). */
function renderCall(m: ChatMessage, call: CallEntry, time: Date) {
  return html`
    <li part="message call" class="call" data-direction=${m.direction} data-state=${m.state} data-call=${call.outcome}>
      <p class="body"><span aria-hidden="true">${call.outcome === 'missed' ? '✆ ' : `${CALL_ICON[call.direction]} `}</span>${describeCall(call)}</p>
      <span class="meta"><time datetime=${time.toISOString()}>${time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time></span>
    </li>`;
}

export function renderMessage(m: ChatMessage, maxLength: number) {
  const time = new Date(m.time);
  if (m.call) return renderCall(m, m.call, time);
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
