/**
 * Incoming stanzas to handlers. IQ handlers follow xmpp.js's callee convention: what a handler returns
 * is the reply (an element for a result with payload, `true` for an empty result, a StanzaError for an
 * error); a throw is logged and answered internal-server-error (a TranslateError: bad-request);
 * nothing returned, or no handler, is service-unavailable. Every reply goes back to the sender only.
 */
import type { Element } from 'ltx';
import { isTranslateError } from '../schemas/index.ts';
import { translateErrorText } from './translate-limits.ts';
import { el, isElement, localName, nsOf } from '../schemas/xml.ts';
import type { Logger } from './logger.ts';
import { RateLimiter } from './rate-limit.ts';
import { buildError, isStanzaError, stanzaError, type StanzaError } from './stanza-error.ts';

export interface IqRequest {
  stanza: Element;
  payload: Element;
  from: string;
  to: string;
  id: string;
  type: 'get' | 'set';
}

export type IqReply = Element | true | StanzaError | undefined;
export type IqHandler = (req: IqRequest) => IqReply | Promise<IqReply>;
export type StanzaHandler = (stanza: Element) => void | Promise<void>;

export interface RouterLimits {
  /** Stanzas larger than this (estimated from the parsed tree) are refused with policy-violation. */
  maxStanzaBytes: number;
  /** Stanzas one sender (bare JID) may send a minute; more are refused with resource-constraint. */
  stanzasPerMinute: number;
}

export class Router {
  private readonly iqHandlers = new Map<string, IqHandler>();
  private readonly messageHandlers: StanzaHandler[] = [];
  private readonly presenceHandlers: StanzaHandler[] = [];
  private readonly limiter: RateLimiter;
  /** Per-stanza debug lines are not built when the level is off (it is fixed for the process). */
  private readonly debug: boolean;

  constructor(
    private readonly log: Logger,
    private readonly limits: RouterLimits = { maxStanzaBytes: 65536, stanzasPerMinute: 1200 },
    private readonly now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(limits.stanzasPerMinute);
    this.debug = log.isLevelEnabled('debug');
  }

  iq(type: 'get' | 'set', ns: string, name: string, handler: IqHandler): void {
    this.iqHandlers.set(`${type} ${ns} ${name}`, handler);
  }

  message(handler: StanzaHandler): void {
    this.messageHandlers.push(handler);
  }

  presence(handler: StanzaHandler): void {
    this.presenceHandlers.push(handler);
  }

  /**
   * Handles one stanza; returns the reply to send, if any. IQ results and errors are not ours
   * (they answer our own requests): they return `undefined` and `passed` so the caller hands them on.
   */
  async handle(stanza: Element): Promise<{ reply?: Element; passed?: true }> {
    const { from, to } = stanza.attrs as Record<string, string | undefined>;
    if (!from || !to) {
      if (this.debug) this.log.debug({ name: stanza.name }, 'dropped a stanza without from/to');
      return {};
    }
    const refusal = this.overLimit(stanza, from);
    if (refusal) {
      this.log.info({ from, name: stanza.name, condition: refusal.condition, text: refusal.text }, 'stanza refused');
      const answerable = stanza.name === 'iq' && (stanza.attrs.type === 'get' || stanza.attrs.type === 'set') && stanza.attrs.id;
      return answerable ? { reply: this.errorReply(stanza, refusal) } : {};
    }
    if (stanza.name === 'iq') return this.handleIq(stanza, from, to);
    const handlers = stanza.name === 'message' ? this.messageHandlers : stanza.name === 'presence' ? this.presenceHandlers : [];
    for (const h of handlers) {
      try {
        await h(stanza);
      } catch (err) {
        this.log.error({ err: (err as Error).message, from, name: stanza.name }, 'stanza handler failed');
      }
    }
    return {};
  }

  private async handleIq(stanza: Element, from: string, to: string): Promise<{ reply?: Element; passed?: true }> {
    const { type, id } = stanza.attrs as Record<string, string | undefined>;
    if (type === 'result' || type === 'error') return { passed: true };
    if (!id || (type !== 'get' && type !== 'set')) return id ? { reply: this.errorReply(stanza, stanzaError('modify', 'bad-request', 'an iq needs type get or set')) } : {};
    let payload: Element | undefined;
    let elements = 0;
    for (const c of stanza.children) {
      if (isElement(c)) {
        payload = c;
        elements++;
      }
    }
    if (elements !== 1 || !payload) {
      return { reply: this.errorReply(stanza, stanzaError('modify', 'bad-request', 'an iq get or set holds exactly one element')) };
    }
    // Known by namespace, never by prefix: some stacks write <j:jingle xmlns:j='urn:xmpp:jingle:1'>.
    let ns: string | undefined;
    try {
      ns = nsOf(payload, undefined);
    } catch (err) {
      if (!isTranslateError(err)) throw err;
      return { reply: this.errorReply(stanza, stanzaError('modify', 'bad-request', translateErrorText(err))) };
    }
    const handler = this.iqHandlers.get(`${type} ${ns ?? ''} ${localName(payload)}`);
    let result: IqReply;
    try {
      result = handler ? await handler({ stanza, payload, from, to, id, type }) : undefined;
    } catch (err) {
      if (isTranslateError(err)) result = stanzaError('modify', 'bad-request', translateErrorText(err));
      else {
        this.log.error({ err: (err as Error).message, stack: (err as Error).stack, from, id }, 'iq handler failed');
        result = stanzaError('cancel', 'internal-server-error');
      }
    }
    if (result === undefined) result = stanzaError('cancel', 'service-unavailable');
    if (isStanzaError(result)) {
      this.log.info({ from, id, ns, condition: result.condition, app: result.app?.name, text: result.text }, 'iq error');
      return { reply: this.errorReply(stanza, result) };
    }
    if (this.debug) this.log.debug({ from, id, ns, name: payload.name }, 'iq handled');
    const reply = el('iq', { type: 'result', id, to: from, from: to });
    if (result !== true) reply.cnode(result);
    return { reply };
  }

  /** A flood or an oversized stanza is refused before any handler sees it. */
  private overLimit(stanza: Element, from: string): StanzaError | undefined {
    if (estimateSize(stanza, this.limits.maxStanzaBytes) > this.limits.maxStanzaBytes) {
      return stanzaError('modify', 'policy-violation', `stanza larger than max-stanza-bytes (${this.limits.maxStanzaBytes})`);
    }
    const slash = from.indexOf('/');
    if (!this.limiter.take((slash < 0 ? from : from.slice(0, slash)).toLowerCase(), this.now())) {
      return stanzaError('wait', 'resource-constraint', `more than stanzas-per-minute (${this.limits.stanzasPerMinute})`);
    }
    return undefined;
  }

  /** The error reply carries no copy of the request: it could be large, and the sender has it. */
  private errorReply(stanza: Element, error: StanzaError): Element {
    return el('iq', { type: 'error', id: stanza.attrs.id as string, to: stanza.attrs.from as string, from: stanza.attrs.to as string }, [buildError(error)]);
  }
}

/**
 * Roughly the serialised size of an element, from its parsed tree (names, attributes, text, markup),
 * counting only until `stop` is passed: a huge stanza costs no more than a small one to refuse.
 */
export function estimateSize(root: Element, stop: number): number {
  // A loop with its own stack, not recursion: a stanza nested thousands deep must not overflow ours.
  let n = 0;
  const todo: Element[] = [root];
  while (todo.length > 0 && n <= stop) {
    const e = todo.pop() as Element;
    n += 2 * e.name.length + 5;
    for (const k in e.attrs) {
      const v = e.attrs[k] as unknown;
      if (typeof v === 'string') n += k.length + v.length + 4;
      else if (v !== undefined && v !== null) n += k.length + String(v).length + 4;
    }
    for (const c of e.children) {
      if (typeof c === 'string') n += c.length;
      else if (isElement(c)) todo.push(c);
    }
  }
  return n;
}
