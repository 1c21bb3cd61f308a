/**
 * XML namespaces, not prefixes, identify elements. ltx (and @xmpp/xml, and our own xml-text.ts)
 * keep an element's name as written, `rtcpf:rtcp-fb`, and its declarations as attributes,
 * `xmlns:rtcpf='urn:...'`. StanzaJS writes XEP-0293/0294 children that way and some stacks prefix
 * even <jingle:jingle>; a parser that compared names and `xmlns` alone dropped them without a word.
 *
 * Resolution is lazy: unprefixed elements (nearly all) cost one indexOf each; only a prefixed element,
 * or the child of one, walks up its ancestors for the declaration in scope.
 */
import type { Element } from 'ltx';
import { TranslateError } from './errors.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** The element's name without its prefix. */
export function localName(e: Element): string {
  const n = e.name;
  const colon = n.indexOf(':');
  return colon < 0 ? n : n.slice(colon + 1);
}

/**
 * The namespace of `child`, given `parentNs`, the namespace its parent is known (checked) to be in.
 * An unprefixed element without `xmlns` is in its parent's default namespace, which is the parent's
 * own namespace only when the parent is itself unprefixed; otherwise it is looked up.
 */
export function nsOf(child: Element, parentNs: string | undefined): string | undefined {
  // Small enough for V8 to inline into the parsers' child loops; the prefixed cases go out of line.
  if (child.name.indexOf(':') < 0) {
    const x = child.attrs.xmlns as string | undefined;
    if (x !== undefined) return x;
    const parent = child.parent;
    if (parent === null || parent === undefined || parent.name.indexOf(':') < 0) return parentNs;
  }
  return prefixedNs(child);
}

/** nsOf where `child` or its parent is prefixed. */
function prefixedNs(child: Element): string | undefined {
  const name = child.name;
  const colon = name.indexOf(':');
  return colon >= 0 ? prefixNs(child, name.slice(0, colon)) : defaultNs(child.parent as Element);
}

/** The namespace of an element found without context (a root handed to a parser). */
export function elementNs(e: Element): string | undefined {
  const name = e.name;
  const colon = name.indexOf(':');
  return colon >= 0 ? prefixNs(e, name.slice(0, colon)) : defaultNs(e);
}

/** The default namespace in scope at `e`: its own `xmlns`, else the nearest ancestor's. */
function defaultNs(e: Element): string | undefined {
  for (let at: Element | null | undefined = e; at; at = at.parent) {
    const x = at.attrs.xmlns as string | undefined;
    // xmlns='' undeclares the default namespace (XML Namespaces 1.0 section 6.2).
    if (x !== undefined) return x === '' ? undefined : x;
  }
  return undefined;
}

/** The namespace bound to `prefix` at `e`; an unbound prefix is not well-formed namespaced XML. */
export function prefixNs(e: Element, prefix: string): string {
  if (prefix === 'xml') return XML_NS;
  const key = `xmlns:${prefix}`;
  for (let at: Element | null | undefined = e; at; at = at.parent) {
    const v = at.attrs[key] as string | undefined;
    if (v !== undefined && v !== '') return v;
  }
  throw new TranslateError('malformed', `namespace prefix '${prefix.slice(0, 40)}' is not declared`, { element: e.name.slice(0, 80) });
}
