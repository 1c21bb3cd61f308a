/**
 * The one seam between the client's controllers and XMPP: a logged-in stream that sends stanzas,
 * makes iq requests and hands incoming stanzas to whoever listens. The connection controller
 * implements it over @xmpp/client; tests use FakeLink (two of them wired together act as two users).
 */
import type { Element } from 'ltx';

export type LinkStatus = 'offline' | 'connecting' | 'online' | 'reconnecting';

export interface XmppLink {
  /** Our full JID while online. */
  readonly jid: string | undefined;
  readonly status: LinkStatus;
  send(stanza: Element): Promise<void>;
  /** Sends an iq get/set; resolves with the result iq, rejects with IqFailure (the error iq) or on timeout. */
  request(iq: Element, timeoutMs?: number): Promise<Element>;
  /** Every incoming stanza (message, presence, iq get/set); returns the function that unsubscribes. */
  onStanza(handler: (stanza: Element) => void): () => void;
  onStatus(handler: (status: LinkStatus) => void): () => void;
}

export class IqFailure extends Error {
  override readonly name = 'IqFailure';
  /** The stanza error condition (item-not-found, ...), if the reply had one. */
  readonly condition: string | undefined;
  constructor(readonly reply: Element | undefined, message?: string) {
    const error = reply?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name === 'error');
    const cond = error?.children.find((c): c is Element => typeof c === 'object' && c !== null && c.name !== 'text');
    super(message ?? `iq failed: ${cond?.name ?? 'no reply'}`);
    this.condition = cond?.name;
  }
}
