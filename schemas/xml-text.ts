/**
 * XML text <-> ltx elements for the restricted XML that XMPP allows (RFC 6120 section 11): no DTD, no
 * comments, no processing instructions, only the predefined and numeric character references.
 * Stricter than ltx's own parser (which accepts mismatched end tags) and several times faster, because
 * the translator's text round trip (CLI, translate service, benchmark) runs through it.
 */
import { Element } from 'ltx';
import { TranslateError } from './errors.ts';
import { findNonXmlCharacter, overByteLimit } from './xml-chars.ts';

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
}

const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 512 * 1024, maxDepth: 32 };
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML names as XMPP uses them (ASCII letters, digits, `_.:-`); a loop, since it runs per attribute. */
function checkName(name: string, what: string, at: number): void {
  const len = name.length;
  let ok = len > 0 && len <= 128;
  for (let i = 0; ok && i < len; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    ok = letter || (i > 0 && ((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 58));
  }
  if (!ok) fail(`bad ${what} name '${name.slice(0, 40)}'`, at);
}

function fail(message: string, at: number): never {
  throw new TranslateError('malformed', `XML: ${message} at offset ${at}`, { element: 'xml' });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
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

/** Parses one element (an optional XML declaration before it, whitespace around it). */
export function parseXml(text: string, limits: Partial<XmlLimits> = {}): Element {
  const { maxBytes, maxDepth } = { ...DEFAULT_XML_LIMITS, ...limits };
  if (overByteLimit(text, maxBytes)) throw new TranslateError('too-large', `XML is larger than ${maxBytes} bytes`, { element: 'xml' });
  const bad = findNonXmlCharacter(text);
  if (bad >= 0) fail(`character U+${text.charCodeAt(bad).toString(16).padStart(4, '0')} is not allowed`, bad);
  let pos = 0;
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  if (text.startsWith('<?xml', pos) && isSpace(text.charCodeAt(pos + 5))) {
    const end = text.indexOf('?>', pos);
    if (end < 0) fail('unterminated XML declaration', pos);
    pos = end + 2;
  }
  const stack: Element[] = [];
  let prevName = '';
  /** The next '&' at or after the current point, so clean values skip unescape altogether. */
  let amp = text.indexOf('&');
  let prevAttrNames: string[] = [];
  let root: Element | undefined;
  const len = text.length;
  while (pos < len) {
    const lt = text.indexOf('<', pos);
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
      const gt = text.indexOf('>', pos);
      if (gt < 0) fail('unterminated end tag', pos);
      const name = text.slice(pos + 2, gt).trimEnd();
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
    let i = pos + 1;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (isSpace(c) || c === 47 || c === 62) break;
      i++;
    }
    // Siblings usually repeat the previous element's name and attribute names (a run of <candidate>s,
    // of <rtcp-fb>s): reusing those strings spares a copy and a string-table lookup per name.
    let name: string;
    if (i - pos - 1 === prevName.length && text.startsWith(prevName, pos + 1)) name = prevName;
    else {
      name = text.slice(pos + 1, i);
      checkName(name, 'element', pos);
      prevName = name;
      prevAttrNames = [];
    }
    if (stack.length >= maxDepth) throw new TranslateError('too-large', `XML: nesting deeper than ${maxDepth} at offset ${pos}`, { element: 'xml' });
    const e = new Element(name);
    const attrs: Record<string, string> = {};
    // One search per tag instead of one per attribute: a '<' before the tag's end would be inside a value.
    const nextLt = text.indexOf('<', pos + 1);
    let selfClosing = false;
    let assigned = 0;
    let fresh = false;
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
      const eq = text.indexOf('=', i);
      if (eq < 0) fail('attribute without a value', i);
      const known = prevAttrNames[assigned];
      let attrName: string;
      if (known !== undefined && eq - i === known.length && text.startsWith(known, i)) attrName = known;
      else {
        attrName = text.slice(i, eq).trimEnd();
        checkName(attrName, 'attribute', i);
        // It is a valid XML name, but as a key of the attrs object it would set the prototype.
        if (attrName === '__proto__') fail("attribute '__proto__' is not supported", i);
        // The cache is only ever the name list of one element that passed the duplicate check below.
        prevAttrNames.length = assigned;
        prevAttrNames.push(attrName);
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
      attrs[attrName] = amp >= 0 && amp < close ? unescape(raw, q) : raw;
      assigned++;
      i = close + 1;
      const after = text.charCodeAt(i);
      if (!isSpace(after) && after !== 47 && after !== 62) fail('expected whitespace between attributes', i);
    }
    // A repeated attribute overwrote an earlier one: fewer keys than assignments. Counting once per
    // element is much cheaper than a property lookup per attribute, and an element whose names all
    // repeat an earlier, checked element's needs no count at all.
    if (fresh && assigned > 1 && Object.keys(attrs).length !== assigned) fail('duplicate attribute', pos);
    e.attrs = attrs;
    const parent = stack[stack.length - 1];
    if (parent) {
      e.parent = parent;
      parent.children.push(e);
    } else root = e;
    if (!selfClosing) stack.push(e);
    pos = i;
  }
  if (stack.length > 0) fail(`unclosed <${(stack[stack.length - 1] as Element).name}>`, len);
  if (!root) fail('no element', 0);
  return root;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

function escapeChar(c: string): string {
  return ESCAPES[c] as string;
}

/**
 * Attribute values: markup characters, and tab/LF/CR too, which a receiving parser would otherwise
 * normalise to spaces. Most values are short and clean: a char loop decides faster than a regex call.
 */
function escapeAttr(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 38 || c === 60 || c === 62 || c === 34 || c === 39 || c === 9 || c === 10 || c === 13) {
      return s.replace(/[&<>"'\t\n\r]/g, escapeChar);
    }
  }
  return s;
}

/** Text: markup characters, and CR, which a parser would fold into LF. */
function escapeText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 38 || c === 60 || c === 62 || c === 13) return s.replace(/[&<>\r]/g, escapeChar);
  }
  return s;
}

/** Serialises an element; the same output as ltx's toString, built with plain string concatenation. */
export function serializeXml(e: Element): string {
  let s = `<${e.name}`;
  const attrs = e.attrs as Record<string, unknown>;
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    s += ` ${k}="${escapeAttr(typeof v === 'string' ? v : String(v))}"`;
  }
  const children = e.children;
  if (children.length === 0) return `${s}/>`;
  s += '>';
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (typeof c === 'string') s += escapeText(c);
    else if (typeof c === 'object' && c !== null) s += serializeXml(c as Element);
    else if (c !== undefined && c !== null) s += escapeText(String(c));
  }
  return `${s}</${e.name}>`;
}
