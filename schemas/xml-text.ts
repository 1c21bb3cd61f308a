/**
 * XML text -> ltx elements for the restricted XML that XMPP allows (RFC 6120 section 11): no DTD, no
 * comments, no processing instructions, only the predefined and numeric character references; and
 * well-formed as XML 1.0 and Namespaces in XML 1.0 require (names: xml-names.ts, prefixes: xml-scope.ts).
 * Stricter than ltx's own parser (which accepts mismatched end tags) and several times faster, because
 * the translator's text round trip (CLI, translate service, benchmark) runs through it. The way back,
 * serializeXml, is in xml-serialize.ts.
 */
import { Element } from 'ltx';
import { TranslateError } from './errors.ts';
import { findNonXmlCharacter, overByteLimit } from './xml-chars.ts';
import { NOT_A_QNAME, isXmlSpace as isSpace, qnameColon, trimXmlSpaceEnd } from './xml-names.ts';
import { defaultDeclarationProblem, namespaceProblem } from './xml-scope.ts';

export { serializeXml } from './xml-serialize.ts';

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
}

const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 512 * 1024, maxDepth: 32 };
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Fails unless `name` is a QName (xml-names.ts); returns the index of its colon, or -1. */
function checkName(name: string, what: string, at: number): number {
  const colon = qnameColon(name);
  if (colon === NOT_A_QNAME) fail(`bad ${what} name '${name.slice(0, 40)}'`, at);
  return colon;
}

function fail(message: string, at: number): never {
  throw new TranslateError('malformed', `XML: ${message} at offset ${at}`, { element: 'xml' });
}

function unescape(s: string, at: number): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&([^;&]{0,10});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) fail('unterminated character reference', at);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const ok = code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!ok || !/^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(ref)) fail(`bad character reference &${ref};`, at);
      return String.fromCodePoint(code);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) fail(`unknown entity &${ref};`, at);
    return v;
  });
}

/**
 * An element name already seen in this document, with the attribute names of its last occurrence,
 * in order (all checked, none twice). Siblings and cousins repeat a few names (runs of <candidate>s,
 * <payload-type>s with <parameter>s and <rtcp-fb>s between them): a name found here costs a comparison
 * in place instead of a copy, a name check and, as a property key, a string-table lookup.
 */
interface KnownElement {
  name: string;
  /** Whether the name has a prefix, whose binding is checked where each occurrence stands. */
  prefixed: boolean;
  attrNames: string[];
  /**
   * The index in attrNames of the first name with a ':' (a prefixed attribute or a prefix
   * declaration, for xml-scope.ts), and of `xmlns` (whose value must not be a reserved namespace);
   * NONE if there is none. Kept per list, not per attribute, so the usual element, whose names all
   * repeat the list, pays two comparisons for them, not a lookup per attribute.
   */
  colonAt: number;
  xmlnsAt: number;
}

/** Beyond any attribute count, and a small integer (Smi) for V8, as the indices it stands beside. */
const NONE = 0x3fffffff;

/**
 * The XML declaration, if the document has one: only at the very start (after a BOM), with a version,
 * then optionally an encoding and `standalone` (XML 1.0 productions [23]-[32]). Sticky: tried at one place.
 */
const XML_DECLARATION = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/y;

/** Per document, so input can neither grow it past this nor see another document's names. */
const MAX_KNOWN_ELEMENTS = 32;

/**
 * The known element whose name stands at `start`, ended as a start tag's name ends (whitespace, '/'
 * or '>'): found without scanning for that end. The previous element's name is tried first.
 */
function knownAt(known: readonly KnownElement[], last: KnownElement | undefined, text: string, start: number): KnownElement | undefined {
  if (last !== undefined && namedAt(last.name, text, start)) return last;
  const first = text.charCodeAt(start);
  for (let k = 0; k < known.length; k++) {
    const entry = known[k] as KnownElement;
    if (entry.name.charCodeAt(0) === first && entry !== last && namedAt(entry.name, text, start)) return entry;
  }
  return undefined;
}

function namedAt(name: string, text: string, start: number): boolean {
  const end = text.charCodeAt(start + name.length);
  return (isSpace(end) || end === 47 || end === 62) && isAt(name, text, start);
}

/**
 * Whether `name` stands at `start`. Cutting the few characters out and comparing is faster in V8 than
 * startsWith with a position, a generic builtin call; this runs for every name in a document.
 */
function isAt(name: string, text: string, start: number): boolean {
  return text.slice(start, start + name.length) === name;
}

/** Parses one element (an optional XML declaration before it, whitespace around it). */
export function parseXml(text: string, limits: Partial<XmlLimits> = {}): Element {
  const { maxBytes, maxDepth } = { ...DEFAULT_XML_LIMITS, ...limits };
  if (overByteLimit(text, maxBytes)) throw new TranslateError('too-large', `XML is larger than ${maxBytes} bytes`, { element: 'xml' });
  const bad = findNonXmlCharacter(text);
  if (bad >= 0) fail(`character U+${text.charCodeAt(bad).toString(16).padStart(4, '0')} is not allowed`, bad);
  let pos = 0;
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  if (text.startsWith('<?xml', pos) && isSpace(text.charCodeAt(pos + 5))) {
    XML_DECLARATION.lastIndex = pos;
    if (!XML_DECLARATION.test(text)) fail('bad XML declaration', pos);
    pos = XML_DECLARATION.lastIndex;
  }
  const stack: Element[] = [];
  const known: KnownElement[] = [];
  let last: KnownElement | undefined;
  /** The next '&' at or after the current point, so clean values skip unescape altogether. */
  let amp = text.indexOf('&');
  /**
   * The first '<' after the start tag just read, or -2 when not known. A start tag that parsed holds
   * no '<' (names are checked, values are searched for one), so this is also the next '<' after it.
   */
  let afterTag = -2;
  let root: Element | undefined;
  const len = text.length;
  while (pos < len) {
    const lt = afterTag !== -2 ? afterTag : text.indexOf('<', pos);
    afterTag = -2;
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) {
      const top = stack[stack.length - 1];
      if (top) {
        const chunk = text.slice(pos, textEnd);
        if (chunk.indexOf('>') >= 0 && chunk.indexOf(']]>') >= 0) fail("']]>' in text", pos);
        top.children.push(unescape(chunk, pos));
      } else {
        for (let i = pos; i < textEnd; i++) if (!isSpace(text.charCodeAt(i))) fail('text outside the root element', i);
      }
    }
    if (lt < 0) break;
    pos = lt;
    const next = text.charCodeAt(pos + 1);
    if (next === 47 /* / */) {
      const open = stack[stack.length - 1];
      // The usual end tag, `</name>` of the open element exactly, is compared in place, not cut out.
      if (open && text.charCodeAt(pos + 2 + open.name.length) === 62 && isAt(open.name, text, pos + 2)) {
        stack.pop();
        pos += open.name.length + 3;
        continue;
      }
      const gt = text.indexOf('>', pos);
      if (gt < 0) fail('unterminated end tag', pos);
      const name = trimXmlSpaceEnd(text.slice(pos + 2, gt));
      const top = stack.pop();
      if (!top || top.name !== name) fail(`end tag </${name}> does not match <${top ? top.name : ''}>`, pos);
      pos = gt + 1;
      continue;
    }
    if (next === 33 /* ! */) {
      if (!text.startsWith('<![CDATA[', pos) || stack.length === 0) fail('comments, DTDs and CDATA outside elements are not allowed in XMPP', pos);
      const end = text.indexOf(']]>', pos);
      if (end < 0) fail('unterminated CDATA section', pos);
      (stack[stack.length - 1] as Element).children.push(text.slice(pos + 9, end));
      pos = end + 3;
      continue;
    }
    if (next === 63 /* ? */) fail('processing instructions are not allowed in XMPP', pos);
    if (root && stack.length === 0) fail('more than one root element', pos);
    // Start tag: name, then attributes, then '>' or '/>'.
    let kind = knownAt(known, last, text, pos + 1);
    let i = pos + 1;
    if (kind !== undefined) i += kind.name.length;
    else {
      while (i < len) {
        const c = text.charCodeAt(i);
        if (isSpace(c) || c === 47 || c === 62) break;
        i++;
      }
      const name = text.slice(pos + 1, i);
      const colon = checkName(name, 'element', pos);
      kind = { name, prefixed: colon >= 0, attrNames: [], colonAt: NONE, xmlnsAt: NONE };
      if (known.length < MAX_KNOWN_ELEMENTS) known.push(kind);
    }
    last = kind;
    if (stack.length >= maxDepth) throw new TranslateError('too-large', `XML: nesting deeper than ${maxDepth} at offset ${pos}`, { element: 'xml' });
    const e = new Element(kind.name);
    const attrs = e.attrs as Record<string, string>; // the empty object ltx made: filled, not replaced
    const attrNames = kind.attrNames;
    // One search per tag instead of one per attribute: a '<' before the tag's end would be inside a value.
    const nextLt = text.indexOf('<', pos + 1);
    let selfClosing = false;
    let assigned = 0;
    let fresh = false;
    let xmlnsAt = kind.xmlnsAt;
    for (;;) {
      while (i < len && isSpace(text.charCodeAt(i))) i++;
      if (i >= len) fail('unterminated start tag', pos);
      const c = text.charCodeAt(i);
      if (c === 62) { i++; break; }
      if (c === 47) {
        if (text.charCodeAt(i + 1) !== 62) fail("expected '/>'", i);
        i += 2;
        selfClosing = true;
        break;
      }
      // The name this element's last namesake had here, directly followed by '=' (no '=' in a name,
      // so that is the '=' a search would find): no search, no copy, no check.
      const cached = attrNames[assigned];
      let attrName: string;
      let eq: number;
      if (cached !== undefined && text.charCodeAt(i + cached.length) === 61 && isAt(cached, text, i)) {
        attrName = cached;
        eq = i + cached.length;
      } else {
        eq = text.indexOf('=', i);
        if (eq < 0) fail('attribute without a value', i);
        attrName = trimXmlSpaceEnd(text.slice(i, eq));
        const colon = checkName(attrName, 'attribute', i);
        // It is a valid XML name, but as a key of the attrs object it would set the prototype.
        if (attrName === '__proto__') fail("attribute '__proto__' is not supported", i);
        // The list only ever holds the names of one element that passed the duplicate check below.
        attrNames.length = assigned;
        attrNames.push(attrName);
        if (kind.colonAt >= assigned) kind.colonAt = colon >= 0 ? assigned : NONE;
        if (kind.xmlnsAt >= assigned) kind.xmlnsAt = xmlnsAt = attrName === 'xmlns' ? assigned : NONE;
        fresh = true;
      }
      let q = eq + 1;
      while (q < len && isSpace(text.charCodeAt(q))) q++;
      const quote = text.charCodeAt(q);
      if (quote !== 34 && quote !== 39) fail('attribute value must be quoted', q);
      const close = text.indexOf(quote === 34 ? '"' : "'", q + 1);
      if (close < 0) fail('unterminated attribute value', q);
      if (nextLt >= 0 && nextLt < close) fail("'<' in an attribute value", q);
      const raw = text.slice(q + 1, close);
      if (amp >= 0 && amp <= q) amp = text.indexOf('&', q + 1);
      const value = amp >= 0 && amp < close ? unescape(raw, q) : raw;
      attrs[attrName] = value;
      // Here, not by a lookup of attrs.xmlns later: that load would see every element's attributes.
      if (assigned === xmlnsAt) {
        const problem = defaultDeclarationProblem(value);
        if (problem !== undefined) fail(problem, i);
      }
      assigned++;
      i = close + 1;
      const after = text.charCodeAt(i);
      if (!isSpace(after) && after !== 47 && after !== 62) fail('expected whitespace between attributes', i);
    }
    // A repeated attribute overwrote an earlier one: fewer keys than assignments. Counting once per
    // element is much cheaper than a property lookup per attribute, and an element whose names all
    // repeat an earlier, checked element's needs no count at all.
    if (fresh && assigned > 1 && Object.keys(attrs).length !== assigned) fail('duplicate attribute', pos);
    if (kind.prefixed || kind.colonAt < assigned) {
      const problem = namespaceProblem(e, stack);
      if (problem !== undefined) fail(problem, pos);
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      e.parent = parent;
      parent.children.push(e);
    } else root = e;
    if (!selfClosing) stack.push(e);
    pos = i;
    afterTag = nextLt;
  }
  if (stack.length > 0) fail(`unclosed <${(stack[stack.length - 1] as Element).name}>`, len);
  if (!root) fail('no element', 0);
  return root;
}
