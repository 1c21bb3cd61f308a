/**
 * ltx elements -> XML text, the same text as ltx's toString, but refusing what XML cannot carry: a
 * name that is not a QName, a character in text or an attribute value that is not an XML Char (C0
 * controls but tab/LF/CR, U+FFFE, U+FFFF, lone surrogates): it throws a TranslateError. DEL and the C1
 * controls are XML Chars, written as they are, though our own parseXml refuses them (xml-chars.ts).
 */
import type { Element } from 'ltx';
import { TranslateError } from './errors.ts';
import { NOT_A_QNAME, qnameColon } from './xml-names.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};

function escapeChar(c: string): string {
  return ESCAPES[c] as string;
}

/** Not an XML 1.0 Char. */
const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Most values are short and clean: one test() (native code) decides faster than a charCodeAt loop,
// and only the values that need it pay for more. The test also matches every character that may not
// be sent (and, harmlessly, surrogate pairs), so clean values cost no second scan.
/** Attribute values: markup characters, and tab/LF/CR too, which a receiving parser would otherwise normalise to spaces. */
const ATTR_SPECIAL = /[&<>"'\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const ATTR_SPECIALS = /[&<>"'\t\n\r]/g;
/** Text: markup characters, and CR, which a parser would fold into LF. */
const TEXT_SPECIAL = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TEXT_SPECIALS = /[&<>\r]/g;

function refuseCharacters(s: string, where: string): void {
  const bad = NOT_XML_CHAR.exec(s);
  if (bad !== null) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new TranslateError('invalid-value', `XML cannot carry U+${code} (in ${where})`, { element: 'xml' });
  }
}

function escapeAttr(s: string, name: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  refuseCharacters(s, `attribute '${name.slice(0, 40)}'`);
  return s.replace(ATTR_SPECIALS, escapeChar);
}

function escapeText(s: string, parent: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  refuseCharacters(s, `the text of <${parent.slice(0, 40)}>`);
  return s.replace(TEXT_SPECIALS, escapeChar);
}

function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || qnameColon(name) === NOT_A_QNAME) {
    throw new TranslateError('malformed', `XML: cannot write ${what} name '${String(name).slice(0, 40)}'`, { element: 'xml' });
  }
  return name;
}

/** Serialises an element; the same output as ltx's toString for what XML can carry. */
export function serializeXml(e: Element): string {
  return appendElement('', e);
}

/** The constant pieces of an element's tags, made once per name and reused (see tagsOf). */
interface Tags {
  /** `<name` */
  open: string;
  /** `</name>` */
  close: string;
}

/**
 * Appending one ready piece instead of building it from three saves intermediate strings: these
 * caches hold the tags of each element name and ` name="` of each attribute name, checked once when
 * cached. Bounded in count and name length, as names may come from anywhere; other pieces are
 * checked and built each time.
 */
const PIECES_MAX = 512;
const PIECE_NAME_MAX = 64;
const tags = new Map<string, Tags>();
const attrOpeners = new Map<string, string>();

function tagsOf(name: string): Tags {
  let t = tags.get(name);
  if (t === undefined) {
    checkName(name, 'element');
    t = { open: `<${name}`, close: `</${name}>` };
    if (tags.size < PIECES_MAX && name.length <= PIECE_NAME_MAX) tags.set(name, t);
  }
  return t;
}

function attrOpener(name: string): string {
  let o = attrOpeners.get(name);
  if (o === undefined) {
    checkName(name, 'attribute');
    o = ` ${name}="`;
    if (attrOpeners.size < PIECES_MAX && name.length <= PIECE_NAME_MAX) attrOpeners.set(name, o);
  }
  return o;
}

/**
 * Appends `e` to `s` and returns the result. One string is threaded through the whole tree, rather
 * than each element returning its own string for its parent to append: fewer intermediate strings,
 * and a flatter rope for whoever reads the result first.
 */
function appendElement(s: string, e: Element): string {
  const name = e.name;
  const t = tagsOf(name);
  s += t.open;
  const attrs = e.attrs as Record<string, unknown>;
  for (const k in attrs) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    s += attrOpener(k) + escapeAttr(typeof v === 'string' ? v : String(v), k) + '"';
  }
  const children = e.children;
  if (children.length === 0) return `${s}/>`;
  s += '>';
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (typeof c === 'string') s += escapeText(c, name);
    else if (typeof c === 'object' && c !== null) s = appendElement(s, c as Element);
    else if (c !== undefined && c !== null) s += escapeText(String(c), name);
  }
  return s + t.close;
}
