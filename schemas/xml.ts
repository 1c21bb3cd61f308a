/**
 * Small, fast helpers over ltx elements. Namespaces are tracked while walking down the tree rather than
 * looked up through parents each time (ltx's getNS), which keeps parsing linear.
 */
import { Element } from 'ltx';
import { TranslateError } from './errors.ts';
import { parseInteger } from './sdp/numbers.ts';

export { elementNs, localName, nsOf, prefixNs } from './xml-ns.ts';

export type Attrs = Record<string, string | number | undefined>;

/** Creates an element; undefined attributes are left out when serialised. */
export function el(name: string, attrs: Attrs, children?: readonly Element[]): Element {
  // The attrs object is ours and fresh: hand it over instead of letting ltx copy it key by key.
  const e = new Element(name);
  e.attrs = attrs as Record<string, string>;
  if (children) {
    for (const c of children) {
      c.parent = e;
      e.children.push(c);
    }
  }
  return e;
}

/** Children are elements or text; parsers loop over `children` and skip the text with this. */
export function isElement(c: unknown): c is Element {
  return typeof c === 'object' && c !== null;
}

export function textOf(e: Element): string {
  let s = '';
  for (const c of e.children) if (typeof c === 'string') s += c;
  return s;
}

/** An attribute value, at most MAX_ATTRIBUTE_LENGTH long. */
export function optAttr(e: Element, name: string): string | undefined {
  return attrValue(e, name, e.attrs[name]);
}

/*
 * The *Value functions check a value the caller read itself, as `e.attrs.type`. V8 remembers at each
 * property read which object shapes it saw: the read inside optAttr, shared by every caller, sees all
 * kinds of element and takes the slow generic path, while `e.attrs.type` written in parseRtcpFb sees
 * <rtcp-fb>s only and stays fast. The parsers of the elements a session is made of read this way.
 */

/** optAttr's checks, for the value of attribute `name` of `e`. */
export function attrValue(e: Element, name: string, v: unknown): string | undefined {
  if (typeof v === 'string') return v.length <= MAX_ATTRIBUTE_LENGTH ? v : tooLong(e, name);
  return v === undefined || v === null ? undefined : String(v);
}

// As long as an SDP line may be (limits.ts), so whatever an SDP line held fits.
const MAX_ATTRIBUTE_LENGTH = 4096;
// Tab is allowed: SDP values may hold one (RFC 8866 byte-string), and it is no line break.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

function tooLong(e: Element, name: string): never {
  throw new TranslateError('too-large', `attribute '${name}' is longer than ${MAX_ATTRIBUTE_LENGTH} characters`, { element: e.name });
}

/**
 * Free text that ends up inside an SDP line (parameter values): a line break there would start a line
 * of the peer's choosing. Every other attribute that reaches SDP is checked by a token grammar that
 * has no room for one (schemas/sdp/tokens.ts), or is a number.
 */
export function lineSafe(value: string, what: string, element: string): string {
  if (CONTROL.test(value)) throw new TranslateError('invalid-value', `${what} holds a line break or a control character`, { element });
  return value;
}

export function reqAttr(e: Element, name: string, path: string): string {
  return reqValue(e, name, e.attrs[name], path);
}

export function reqValue(e: Element, name: string, raw: unknown, path: string): string {
  const v = attrValue(e, name, raw);
  if (v === undefined || v === '') throw new TranslateError('missing', `missing attribute '${name}'`, { element: path });
  return v;
}

export function intAttr(e: Element, name: string, min: number, max: number, path: string): number | undefined {
  return intValue(e, name, e.attrs[name], min, max, path);
}

export function intValue(e: Element, name: string, raw: unknown, min: number, max: number, path: string): number | undefined {
  const v = attrValue(e, name, raw);
  return v === undefined ? undefined : parseInteger(v.trim(), min, max, `attribute '${name}'`, undefined, path);
}

export function reqIntAttr(e: Element, name: string, min: number, max: number, path: string): number {
  return reqIntValue(e, name, e.attrs[name], min, max, path);
}

export function reqIntValue(e: Element, name: string, raw: unknown, min: number, max: number, path: string): number {
  return parseInteger(reqValue(e, name, raw, path).trim(), min, max, `attribute '${name}'`, undefined, path);
}

/** Attribute values that must be one of a fixed set (`as const` unions). */
export function enumAttr<T extends string>(e: Element, name: string, allowed: readonly T[], path: string): T | undefined {
  return enumValue(e, name, e.attrs[name], allowed, path);
}

export function enumValue<T extends string>(e: Element, name: string, raw: unknown, allowed: readonly T[], path: string): T | undefined {
  const v = attrValue(e, name, raw);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new TranslateError('invalid-value', `attribute '${name}' must be one of ${allowed.join(', ')}`, { element: path });
  }
  return v as T;
}

export function boolAttr(e: Element, name: string): boolean | undefined {
  const v = optAttr(e, name);
  return v === undefined ? undefined : v === 'true' || v === '1';
}
