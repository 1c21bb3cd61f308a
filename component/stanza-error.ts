/**
 * Stanza errors as values (RFC 6120 section 8.3), with the optional application-specific condition
 * XEP-0166 adds (<unknown-session/>, <out-of-order/>, ...). Handlers return these; the router writes them.
 */
import type { Element } from 'ltx';
import { NS } from '../schemas/index.ts';
import { el } from '../schemas/xml.ts';

export type ErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';
export type ErrorCondition =
  | 'bad-request' | 'conflict' | 'feature-not-implemented' | 'forbidden' | 'internal-server-error'
  | 'item-not-found' | 'not-acceptable' | 'not-allowed' | 'not-authorized' | 'policy-violation'
  | 'resource-constraint' | 'service-unavailable' | 'unexpected-request';

export interface StanzaError {
  readonly kind: 'stanza-error';
  type: ErrorType;
  condition: ErrorCondition;
  text?: string;
  /** The application condition element's name and namespace. */
  app?: { name: string; ns: string; attrs?: Record<string, string> };
}

export function stanzaError(type: ErrorType, condition: ErrorCondition, text?: string, app?: StanzaError['app']): StanzaError {
  const e: StanzaError = { kind: 'stanza-error', type, condition };
  if (text !== undefined) e.text = text;
  if (app !== undefined) e.app = app;
  return e;
}

export function isStanzaError(x: unknown): x is StanzaError {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'stanza-error';
}

export function buildError(e: StanzaError): Element {
  const error = el('error', { type: e.type }, [el(e.condition, { xmlns: NS.stanzas })]);
  if (e.text !== undefined) {
    const t = el('text', { xmlns: NS.stanzas, 'xml:lang': 'en' });
    const cut = e.text.length > 500 && (e.text.charCodeAt(499) & 0xfc00) === 0xd800 ? 499 : 500;
    t.children.push(e.text.slice(0, cut));
    error.cnode(t);
  }
  if (e.app) error.cnode(el(e.app.name, { xmlns: e.app.ns, ...e.app.attrs }));
  return error;
}
