/**
 * Answers incoming iq get/set (RFC 6120 section 8.2.3), with xmpp.js's callee convention: controllers
 * register a handler per (type, namespace, element name); what it returns becomes the reply:
 *   an Element            -> a result iq with that payload (or, if it is an `<error/>`, an error reply)
 *   true                  -> an empty result iq
 *   undefined             -> service-unavailable (no one answers this)
 *   throw StanzaError     -> that error; any other throw -> internal-server-error (and `onError`).
 * Exactly one router answers per link: get it with iqRouter(link).
 */
import type { Element } from 'ltx';
import { localName, nsOf } from '../../schemas/xml.ts';
import type { XmppLink } from './link.ts';
import { CLIENT_NS } from './ns.ts';
import { attr, elements, x } from './xml.ts';

export type ErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

/** A stanza error a handler throws to refuse a request (bad-request, item-not-found, ...). */
export class StanzaError extends Error {
  override readonly name = 'StanzaError';
  constructor(readonly condition: string, readonly type: ErrorType = 'cancel', readonly text?: string, readonly extra?: Element) {
    super(text ?? condition);
  }

  toElement(): Element {
    return stanzaError(this.condition, this.type, this.text, this.extra);
  }
}

/** `<error type='...'><condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>[<text/>][extra]</error>` */
export function stanzaError(condition: string, type: ErrorType = 'cancel', text?: string, extra?: Element): Element {
  return x('error', { type },
    x(condition, { xmlns: CLIENT_NS.stanzas }),
    text === undefined ? undefined : x('text', { xmlns: CLIENT_NS.stanzas }, text),
    extra);
}

export interface IqContext {
  /** The whole iq. */
  stanza: Element;
  /** Its one child, the query. */
  element: Element;
  /** The sender, as stamped by the server (absent = our own account). */
  from: string | undefined;
}

export type IqResult = Element | true | undefined | void;
export type IqHandler = (ctx: IqContext) => IqResult | Promise<IqResult>;

export class IqRouter {
  private readonly handlers = new Map<string, IqHandler>();

  /** Called with what a handler threw (other than a StanzaError). */
  onError: (err: unknown, stanza: Element) => void = (err) => { console.error('iq handler failed', err); };

  /** Registers the handler of iq get `<name xmlns=ns>`; returns the function that unregisters it. */
  get(ns: string, name: string, handler: IqHandler): () => void {
    return this.register('get', ns, name, handler);
  }

  /** Registers the handler of iq set `<name xmlns=ns>`; returns the function that unregisters it. */
  set(ns: string, name: string, handler: IqHandler): () => void {
    return this.register('set', ns, name, handler);
  }

  private register(type: 'get' | 'set', ns: string, name: string, handler: IqHandler): () => void {
    const key = `${type} ${ns} ${name}`;
    if (this.handlers.has(key)) throw new Error(`iq router: ${key} has a handler already`);
    this.handlers.set(key, handler);
    return () => { if (this.handlers.get(key) === handler) this.handlers.delete(key); };
  }

  /**
   * What a handler makes of an iq get/set: a payload (or true) for a result, or an `<error/>` element.
   * Used by links that have their own reply path (xmpp.js's callee); others use reply().
   */
  async dispatch(stanza: Element): Promise<Element | true> {
    const type = attr(stanza, 'type');
    const children = elements(stanza);
    const element = children[0];
    if ((type !== 'get' && type !== 'set') || children.length !== 1 || element === undefined) {
      return stanzaError('bad-request', 'modify');
    }
    // By namespace, not prefix: some stacks send <j:jingle xmlns:j='urn:xmpp:jingle:1'>.
    let ns: string | undefined;
    try {
      ns = nsOf(element, undefined);
    } catch {
      return stanzaError('bad-request', 'modify', 'undeclared namespace prefix');
    }
    const handler = this.handlers.get(`${type} ${ns ?? ''} ${localName(element)}`);
    if (handler === undefined) return stanzaError('service-unavailable');
    try {
      const result = await handler({ stanza, element, from: attr(stanza, 'from') });
      return result ?? stanzaError('service-unavailable');
    } catch (err) {
      if (err instanceof StanzaError) return err.toElement();
      this.onError(err, stanza);
      return stanzaError('internal-server-error');
    }
  }

  /** The whole reply iq (result or error) to an incoming iq get/set. */
  async reply(stanza: Element): Promise<Element> {
    const outcome = await this.dispatch(stanza);
    const isError = outcome !== true && outcome.name === 'error';
    return x('iq', { type: isError ? 'error' : 'result', id: attr(stanza, 'id'), to: attr(stanza, 'from') },
      outcome === true ? undefined : outcome);
  }
}

/** A link that routes iq get/set itself (the connection controller) exposes its router here. */
export interface RoutedLink extends XmppLink {
  readonly iq: IqRouter;
}

const routers = new WeakMap<XmppLink, IqRouter>();

function isRouted(link: XmppLink): link is RoutedLink {
  return 'iq' in link && (link as { iq: unknown }).iq instanceof IqRouter;
}

/**
 * The one router of `link`. For a link without its own (FakeLink), the first call creates one that
 * answers every iq get/set arriving on the link, through link.send.
 */
export function iqRouter(link: XmppLink): IqRouter {
  if (isRouted(link)) return link.iq;
  let router = routers.get(link);
  if (router === undefined) {
    const r = new IqRouter();
    routers.set(link, r);
    link.onStanza((stanza) => {
      const type = attr(stanza, 'type');
      if (stanza.name !== 'iq' || (type !== 'get' && type !== 'set')) return;
      void r.reply(stanza).then((reply) => link.send(reply)).catch((err: unknown) => r.onError(err, stanza));
    });
    router = r;
  }
  return router;
}
