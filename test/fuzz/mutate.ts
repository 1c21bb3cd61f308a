// Mutations for the fuzzers, as plain data (so fast-check can shrink them) applied to a fresh copy of a
// valid input: XML trees (drop, duplicate, swap and move elements; drop, rename and garbage attributes;
// wrong namespaces; garbage and huge text; deep nesting; many copies) and SDP text (the same, by line).
import fc, { type Arbitrary } from 'fast-check';
import { Element } from 'ltx';
import { NS } from '../../schemas/index.ts';

export const XML_MUTATIONS = [
  'drop-element', 'duplicate-element', 'swap-elements', 'move-element', 'drop-attribute', 'rename-attribute',
  'garbage-attribute', 'wrong-namespace', 'garbage-text', 'huge-text', 'deep-nesting', 'many-copies',
] as const;
export const SDP_MUTATIONS = ['delete', 'duplicate', 'swap', 'number', 'insert', 'truncate', 'long-line', 'many-lines'] as const;

export interface Mutation {
  kind: string;
  /** Picks the place (element, line). */
  a: number;
  /** Picks the second place, the attribute, the size. */
  b: number;
  value: string;
}

/** Values that break parsers: empty, signs, overflow, exponent and hex, line breaks, controls, injection. */
export const GARBAGE = [
  '', ' ', '-1', '0', '4294967296', '99999999999999999999', 'x', '1e3', '0x10', 'a b', 'x\r\na=injected', 'x\ny', '\t',
  '\u007f', '\u0085', '\u2028', '\uFEFF', '&<>"\'', '\u00e9\u{1F600}', ';', '=', ':', 'initiator', 'responder', 'both',
  'session-initiate', 'udp', 'sha-256', 'NaN', 'a'.repeat(5000),
];
const ATTRIBUTES = [
  'xmlns', 'action', 'sid', 'initiator', 'responder', 'creator', 'name', 'senders', 'media', 'id', 'type', 'port', 'ip',
  'protocol', 'component', 'foundation', 'priority', 'generation', 'ufrag', 'pwd', 'hash', 'setup', 'clockrate',
  'channels', 'ssrc', 'semantics', 'value', 'uri', 'disposition', 'node', 'host', 'role', 'from', 'to',
];
const NAMESPACES = [...Object.values(NS), 'jabber:client', 'urn:example:wrong', '', 'urn:xmpp:jingle:0'];

/**
 * Any character an XML parser lets through (the server parsed every stanza we get: no C0 controls but
 * tab and line ends, no lone surrogates, no U+FFFE/U+FFFF); C1 controls, DEL and astral ones included.
 */
const xmlChar = fc.oneof(
  fc.constantFrom(0x09, 0x0a, 0x0d), fc.integer({ min: 0x20, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0xfffd }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
).map((c) => String.fromCodePoint(c));
export const garbageValue: Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...GARBAGE) },
  { weight: 1, arbitrary: fc.string({ unit: xmlChar, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

export const mutation = (kinds: readonly string[]): Arbitrary<Mutation> =>
  fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat(), b: fc.nat(), value: garbageValue });
export const mutations = (kinds: readonly string[], maxLength = 3): Arbitrary<Mutation[]> =>
  fc.array(mutation(kinds), { maxLength });

export function elementsOf(e: Element): Element[] {
  const out: Element[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    out.push(x);
    for (const c of x.children) if (typeof c === 'object' && c !== null) stack.push(c as Element);
  }
  return out;
}

/** Depths of the deep-nesting mutation: the last ones are within max-stanza-bytes, but deep. */
export const NESTING = [3, 40, 200, 2_000, 6_000, 9_000];

const childIndex = (e: Element): number => (e.parent ? (e.parent as Element).children.indexOf(e) : -1);

/** A deep copy without recursion (ltx's clone recurses, and the trees here may be thousands deep). */
export function copy(e: Element): Element {
  const root = new Element(e.name, e.attrs);
  const stack: [Element, Element][] = [[e, root]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    for (const c of from.children) {
      if (typeof c === 'string') to.children.push(c);
      else {
        const child = to.cnode(new Element((c as Element).name, (c as Element).attrs));
        stack.push([c as Element, child]);
      }
    }
  }
  return root;
}

/** About the serialized size of a tree, without recursion. */
export function approxSize(e: Element): number {
  let n = 0;
  for (const x of elementsOf(e)) {
    n += 2 * x.name.length + 5;
    for (const [k, v] of Object.entries(x.attrs)) n += k.length + String(v).length + 4;
    for (const c of x.children) if (typeof c === 'string') n += c.length;
  }
  return n;
}

/**
 * What a mutated stanza may grow to: past the router's max-stanza-bytes (64 KiB) and the server's own
 * limit (Prosody: 256 KiB), so both refusals are tried, but bounded (3,000 copies of a 9,000-deep chain
 * would be 27 million elements).
 */
export const MAX_MUTATED_SIZE = 400_000;

/** A chain of `depth` elements, built without recursion. */
export function nested(depth: number, ns = 'urn:example:nest'): Element {
  let inner = new Element('x', { xmlns: ns });
  for (let d = 1; d < depth; d++) {
    const outer = new Element('x');
    outer.cnode(inner);
    inner = outer;
  }
  return inner;
}

/** Applies the mutations to `root` in place (never to its own place in a parent: it has none). */
export function mutateXml(root: Element, ms: readonly Mutation[]): Element {
  for (const { kind, a, b, value } of ms) {
    const size = approxSize(root);
    const all = elementsOf(root);
    const e = all[a % all.length]!;
    const parent = e.parent as Element | null;
    const keys = Object.keys(e.attrs);
    const key = keys.length > 0 && b % 3 !== 0 ? keys[b % keys.length]! : ATTRIBUTES[b % ATTRIBUTES.length]!;
    if (kind === 'drop-element' && parent) parent.children.splice(childIndex(e), 1);
    else if (kind === 'duplicate-element' && parent && size + approxSize(e) <= MAX_MUTATED_SIZE) parent.children.splice(childIndex(e), 0, copy(e));
    else if (kind === 'swap-elements') {
      const other = all[b % all.length]!;
      const [p, q] = [e.parent as Element | null, other.parent as Element | null];
      if (p && q && other !== e && !elementsOf(e).includes(other) && !elementsOf(other).includes(e)) {
        const [i, j] = [childIndex(e), childIndex(other)];
        p.children[i] = other;
        q.children[j] = e;
        [e.parent, other.parent] = [q, p];
      }
    } else if (kind === 'move-element' && parent) {
      const target = all[b % all.length]!;
      if (!elementsOf(e).includes(target)) {
        parent.children.splice(childIndex(e), 1);
        target.cnode(e);
      }
    } else if (kind === 'drop-attribute' && keys.length > 0) delete e.attrs[keys[b % keys.length]!];
    else if (kind === 'rename-attribute' && keys.length > 0) {
      const from = keys[b % keys.length]!;
      e.attrs[ATTRIBUTES[a % ATTRIBUTES.length]!] = e.attrs[from];
      delete e.attrs[from];
    } else if (kind === 'garbage-attribute') e.attrs[key] = value;
    else if (kind === 'wrong-namespace') e.attrs.xmlns = NAMESPACES[b % NAMESPACES.length]!;
    else if (kind === 'garbage-text') e.children.splice(b % (e.children.length + 1), 0, value);
    else if (kind === 'huge-text' && size < MAX_MUTATED_SIZE) e.children.push((value || 'x').repeat(Math.ceil([2_000, 70_000, 300_000][b % 3]! / Math.max(1, value.length))));
    else if (kind === 'deep-nesting' && size < MAX_MUTATED_SIZE) e.cnode(nested(NESTING[b % NESTING.length]!));
    else if (kind === 'many-copies' && parent) {
      const n = Math.min([10, 300, 3_000][b % 3]!, Math.floor((MAX_MUTATED_SIZE - size) / approxSize(e)));
      for (let i = 0; i < n; i++) parent.cnode(copy(e));
    }
  }
  return root;
}

/** Applies the mutations to SDP text, line by line. */
export function mutateSdp(sdp: string, ms: readonly Mutation[]): string {
  let lines = sdp.split('\r\n');
  for (const { kind, a, b, value } of ms) {
    if (lines.length === 0) lines = [''];
    const i = a % lines.length;
    const line = lines[i]!;
    if (kind === 'delete') lines.splice(i, 1);
    else if (kind === 'duplicate') lines.splice(i, 0, line);
    else if (kind === 'swap') [lines[i], lines[b % lines.length]] = [lines[b % lines.length]!, line];
    else if (kind === 'number') {
      const numbers = [...line.matchAll(/\d+/g)];
      const n = numbers[b % Math.max(1, numbers.length)];
      if (n) lines[i] = line.slice(0, n.index) + value + line.slice(n.index + n[0].length);
    } else if (kind === 'insert') lines[i] = line.slice(0, b % (line.length + 1)) + value + line.slice(b % (line.length + 1));
    else if (kind === 'truncate') lines = lines.join('\r\n').slice(0, a % (sdp.length + 1)).split('\r\n');
    else if (kind === 'long-line') lines.splice(i, 0, `a=x-long:${'x'.repeat([4_100, 20_000][b % 2]!)}`);
    else if (kind === 'many-lines') {
      const n = [70, 300, 3_000][b % 3]!;
      lines.splice(i, 0, ...Array.from({ length: n }, () => line));
    }
  }
  return lines.join('\r\n');
}
