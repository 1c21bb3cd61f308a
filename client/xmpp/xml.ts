/** Building and reading stanzas in the client: a small element factory over ltx, no string templates. */
import { Element } from 'ltx';

export type Child = Element | string | undefined | false;

/** Creates an element; undefined attributes are left out, falsy children skipped. */
export function x(name: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): Element {
  const e = new Element(name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.attrs[k] = v;
  for (const c of children) if (c !== undefined && c !== false && c !== '') e.append(c);
  return e;
}

/** The element children (text skipped). */
export function elements(e: Element): Element[] {
  return e.children.filter((c): c is Element => typeof c === 'object' && c !== null);
}

/** The first element child named `name` in namespace `ns` (the xmlns attribute, not inherited). */
export function childNs(e: Element, name: string, ns: string): Element | undefined {
  return elements(e).find((c) => c.name === name && c.attrs.xmlns === ns);
}

/** An attribute as a string, or undefined. */
export function attr(e: Element, name: string): string | undefined {
  const v: unknown = e.attrs[name];
  return typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v);
}

let counter = 0;
const prefix = Math.random().toString(36).slice(2, 8);
/** A fresh stanza id. */
export function nextId(): string {
  return `jg-${prefix}-${++counter}`;
}
