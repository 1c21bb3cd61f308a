/**
 * Namespace well-formedness (Namespaces in XML 1.0) of one parsed element, given its open ancestors:
 * every prefix bound, declarations that XML 1.0 allows, no attribute twice under one expanded name.
 * The parser calls this only for an element whose name or attributes hold a ':' (few do), so
 * unprefixed documents pay nothing; xml-ns.ts then resolves the namespaces that this let through.
 */
import type { Element } from 'ltx';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** What is wrong with a default namespace declaration `xmlns='value'`, if anything. */
export function defaultDeclarationProblem(value: string): string | undefined {
  return value === XML_NS || value === XMLNS_NS ? `xmlns='${value}' is reserved` : undefined;
}

function prefixDeclarationProblem(prefix: string, value: string): string | undefined {
  if (prefix === 'xmlns') return "the prefix 'xmlns' cannot be declared";
  // XML 1.0 namespaces have no way to undeclare a prefix; xmlns:p='' is XML 1.1 only.
  if (value === '') return `xmlns:${prefix}='' undeclares a prefix`;
  if ((prefix === 'xml') !== (value === XML_NS)) return `the prefix 'xml' and its namespace are bound only to each other`;
  if (value === XMLNS_NS) return `xmlns:${prefix} binds the reserved xmlns namespace`;
  return undefined;
}

/** The namespace bound to `prefix` at `e`, whose open ancestors are `stack` (outermost first). */
function boundNs(prefix: string, e: Element, stack: readonly Element[]): string | undefined {
  if (prefix === 'xml') return XML_NS;
  const key = `xmlns:${prefix}`;
  const own = e.attrs[key] as string | undefined;
  if (own !== undefined) return own;
  for (let i = stack.length - 1; i >= 0; i--) {
    const v = (stack[i] as Element).attrs[key] as string | undefined;
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Names are quoted in messages: a hostile one must not make the message large. */
const quote = (s: string): string => `'${s.slice(0, 40)}'`;

/**
 * What makes `e` not namespace-well-formed, or undefined. Names are already QNames (one ':' at most,
 * not first or last), and declarations on ancestors were checked when they were parsed.
 */
export function namespaceProblem(e: Element, stack: readonly Element[]): string | undefined {
  const attrs = e.attrs as Record<string, string>;
  let prefixed: string[] | undefined;
  for (const name in attrs) {
    const colon = name.indexOf(':');
    if (colon < 0) continue;
    if (colon === 5 && name.startsWith('xmlns')) {
      const problem = prefixDeclarationProblem(name.slice(6), attrs[name] as string);
      if (problem !== undefined) return problem;
    } else {
      (prefixed ??= []).push(name);
    }
  }
  const colon = e.name.indexOf(':');
  if (colon >= 0) {
    const prefix = e.name.slice(0, colon);
    if (prefix === 'xmlns') return `element ${quote(e.name)} has the prefix 'xmlns'`;
    if (boundNs(prefix, e, stack) === undefined) return `namespace prefix ${quote(prefix)} is not declared`;
  }
  if (prefixed === undefined) return undefined;
  const expanded = new Set<string>();
  for (const name of prefixed) {
    const at = name.indexOf(':');
    const ns = boundNs(name.slice(0, at), e, stack);
    if (ns === undefined) return `namespace prefix ${quote(name.slice(0, at))} is not declared`;
    // A space cannot occur in a name, so namespace and local name joined by one cannot collide.
    const key = `${ns} ${name.slice(at + 1)}`;
    if (expanded.has(key)) return `attribute ${quote(name)} repeats another through a second prefix of its namespace`;
    expanded.add(key);
  }
  return undefined;
}
