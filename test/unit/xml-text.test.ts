// parseXml / serializeXml (schemas/xml-text.ts): the restricted XML of XMPP (RFC 6120 section 11).
// Round trips, escaping, character references, and every refusal: always a TranslateError with a
// condition, never another exception, never a silent acceptance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TranslateError, parseXml, serializeXml, type XmlLimits } from '../../schemas/index.ts';
import { NOT_WELL_FORMED, WELL_FORMED } from './xml-text.cases.ts';

type Condition = TranslateError['condition'];

function refusal(input: string, limits?: Partial<XmlLimits>): unknown {
  try {
    parseXml(input, limits);
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectRefused(input: string, condition: Condition = 'malformed', limits?: Partial<XmlLimits>): void {
  const error = refusal(input, limits);
  expect(error, `accepted ${JSON.stringify(input.slice(0, 80))}`).toBeInstanceOf(TranslateError);
  expect((error as TranslateError).condition, (error as Error).message).toBe(condition);
}

const roundTrip = (xml: string): string => serializeXml(parseXml(xml));

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: (Node | string)[];
}

/** Builds through parseXml('<a/>') so the test needs no Element constructor of its own. */
function toElement(n: Node): ReturnType<typeof parseXml> {
  const e = parseXml('<a/>');
  e.name = n.name;
  e.attrs = { ...n.attrs };
  let previousText = false;
  for (const c of n.children) {
    const isText = typeof c === 'string';
    // Two adjacent text children serialise as one text node: join them, as a parser would.
    if (isText && previousText) e.children[e.children.length - 1] += c;
    else e.children.push(isText ? c : toElement(c));
    previousText = isText;
  }
  return e;
}
const nested = (depth: number, leaf: string): string => '<a>'.repeat(depth) + leaf + '</a>'.repeat(depth);

describe('serializeXml(parseXml(x)) round trip', () => {
  it.each([
    '<a/>',
    '<a b="1" c="two"/>',
    '<a>text</a>',
    '<a><b/><c d="e">f</c>g</a>',
    '<jingle xmlns="urn:xmpp:jingle:1" action="session-info" sid="s1"><ringing xmlns="urn:xmpp:jingle:apps:rtp:info:1"/></jingle>',
    '<candidate xmlns:gw="urn:xmpp:jingle-gateway:sdp:0" gw:extensions="network-cost 10"/>',
    '<a>héllo wörld ✓ 😀</a>',
  ])('%s', (xml) => expect(roundTrip(xml)).toBe(xml));

  it('normalises what XML lets vary: quotes, an XML declaration, whitespace around the root, a BOM', () => {
    expect(roundTrip("\ufeff<?xml version='1.0' encoding='UTF-8'?>\n  <a b='1'></a >\n")).toBe('<a b="1"/>');
  });

  it('keeps whitespace text and CDATA content as text', () => {
    expect(roundTrip('<a> <b/>\n</a>')).toBe('<a> <b/>\n</a>');
    expect(roundTrip('<a><![CDATA[<x>&]]></a>')).toBe('<a>&lt;x&gt;&amp;</a>');
  });

  it('holds for generated trees (property)', () => {
    const name = fc.constantFrom('a', 'b', 'content', 'gw:x', 'x-y.z');
    // XML characters without tab, LF, CR (their own test is below) and U+007F (likewise).
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '"', "'", 'é', '✓', '😀', ']]>', ';', '#', '&amp;') });
    const attrs = fc.dictionary(fc.constantFrom('id', 'name', 'value', 'xmlns', 'gw:extensions'), text, { maxKeys: 3 });
    const { node } = fc.letrec<{ node: Node; child: Node | string }>((tie) => ({
      node: fc.record({ name, attrs, children: fc.array(tie('child'), { maxLength: 3, depthIdentifier: 'xml' }) }),
      child: fc.oneof({ depthIdentifier: 'xml', depthSize: 'small' }, text.filter((t) => t !== ''), tie('node')),
    }));
    fc.assert(fc.property(node, (tree) => {
      const root = toElement(tree);
      root.attrs['xmlns:gw'] = 'urn:xmpp:jingle-gateway:sdp:0'; // the prefix the names use, bound at the root
      const xml = serializeXml(root);
      return roundTrip(xml) === xml;
    }), { numRuns: 300 });
  });
});

describe('escaping', () => {
  it('escapes & < > " \' in attribute values', () => {
    const e = parseXml('<a/>');
    e.attrs.v = `&<>"'`;
    expect(serializeXml(e)).toBe('<a v="&amp;&lt;&gt;&quot;&apos;"/>');
    expect(parseXml(serializeXml(e)).attrs.v).toBe(`&<>"'`);
  });

  it('escapes & < > in text, and leaves quotes as ltx does', () => {
    const e = parseXml('<a/>');
    e.children.push(`a & b < c > d "e" 'f'`);
    expect(serializeXml(e)).toBe(`<a>a &amp; b &lt; c &gt; d "e" 'f'</a>`);
  });

  it('reads the five predefined entities in attributes and text', () => {
    const e = parseXml(`<a v="&amp;&lt;&gt;&quot;&apos;">&amp;&lt;&gt;&quot;&apos;</a>`);
    expect(e.attrs.v).toBe(`&<>"'`);
    expect(e.children).toEqual([`&<>"'`]);
    expect(parseXml("<a v='\"'>'</a>").attrs.v).toBe('"');
  });

  it('does not unescape twice', () => {
    expect(parseXml('<a>&amp;lt;</a>').children).toEqual(['&lt;']);
    expect(roundTrip('<a>&amp;lt;</a>')).toBe('<a>&amp;lt;</a>');
  });

  // XML 1.0 section 3.3.3: a parser replaces a literal tab, LF or CR in an attribute value by a
  // space, and (2.11) a CR in text by LF. The server and the peer use such parsers, so a value
  // holding them must go out as character references to arrive unchanged.
  it('writes tab, LF and CR in attribute values, and CR in text, as character references', () => {
    const e = parseXml('<a/>');
    e.attrs.v = 'x\ty\nz\r';
    e.children.push('p\rq');
    const out = serializeXml(e);
    expect(out).not.toMatch(/[\t\n\r]/);
    expect(parseXml(out).attrs.v).toBe('x\ty\nz\r');
    expect(parseXml(out).children).toEqual(['p\rq']);
  });
});

describe('numeric character references', () => {
  it('decimal and hexadecimal, in text and attributes, beyond the BMP too', () => {
    const e = parseXml('<a v="&#65;&#x42;&#x1F600;">&#67;&#x44;&#128512;&#x9;</a>');
    expect(e.attrs.v).toBe('AB😀');
    expect(e.children).toEqual(['CD😀\t']);
    expect(roundTrip('<a>&#x3C;&#62;</a>')).toBe('<a>&lt;&gt;</a>');
  });

  it.each(['&#0;', '&#1;', '&#x1;', '&#xD800;', '&#xDFFF;', '&#xFFFE;', '&#x110000;', '&#X41;', '&#x;', '&#;', '&#-1;', '&#1a;'])(
    'refuses %s',
    (ref) => {
      expectRefused(`<a>${ref}</a>`);
      expectRefused(`<a v="${ref}"/>`);
    },
  );

  it('whatever it accepts, serializeXml writes back something parseXml reads the same (U+007F)', () => {
    // U+007F is an XML 1.0 Char. parseXml takes it as &#127; but refused it literally, so its own
    // serialisation of that text could not be read back.
    for (const input of ['<a>&#127;</a>', '<a v="&#x7f;"/>']) {
      if (refusal(input) instanceof TranslateError) continue;
      const once = parseXml(input);
      expect(() => parseXml(serializeXml(once)), input).not.toThrow();
      expect(serializeXml(parseXml(serializeXml(once)))).toBe(serializeXml(once));
    }
  });
});

describe('refusals: a TranslateError with a condition, never anything else', () => {
  it.each([
    ['mismatched end tag', '<a><b></a></b>'],
    ['end tag of another element', '<a></b>'],
    ['unclosed element', '<a><b></b>'],
    ['unterminated start tag', '<a b="1"'],
    ['two roots', '<a/><b/>'],
    ['text before the root', 'x<a/>'],
    ['text after the root', '<a/>x'],
    ['no element at all', '   '],
    ['comment inside', '<a><!-- c --></a>'],
    ['comment before the root', '<!-- c --><a/>'],
    ['processing instruction inside', '<a><?pi data?></a>'],
    ['processing instruction after the root', '<a/><?pi data?>'],
    ['processing instruction whose target starts with "xml"', '<?xml-stylesheet href="s.xsl"?><a/>'],
    ['DOCTYPE', '<!DOCTYPE a><a/>'],
    ['DOCTYPE with an entity', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['bare ampersand', '<a>a & b</a>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['unquoted attribute', '<a b=1/>'],
    ['attribute without value', '<a b/>'],
    ['no space between attributes', '<a b="1"c="2"/>'],
    ["'<' in an attribute value", '<a b="<"/>'],
    ["']]>' in text", '<a>]]></a>'],
    ['bad element name', '<1a/>'],
    ['control character in text', '<a>x\x01y</a>'],
    ['control character in an attribute', '<a b="x\x01y"/>'],
    ['NUL', '<a>\x00</a>'],
    ['lone high surrogate', '<a>\uD800</a>'],
    ['lone low surrogate in an attribute', '<a b="\uDC00"/>'],
    ['U+FFFE', '<a>\uFFFE</a>'],
  ])('%s', (_what, input) => expectRefused(input));

  it('nesting deeper than the limit (32 by default)', () => {
    expect(parseXml(nested(32, '')).name).toBe('a');
    expectRefused(nested(33, ''), 'too-large');
    expectRefused(nested(3, ''), 'too-large', { maxDepth: 2 });
  });

  it('counts an empty-element tag like a start and end tag: <c/> nests as deep as <c></c>', () => {
    expectRefused(nested(2, '<c></c>'), 'too-large', { maxDepth: 2 });
    expectRefused(nested(2, '<c/>'), 'too-large', { maxDepth: 2 });
    expectRefused(nested(32, '<c/>'), 'too-large');
  });

  it('input over the byte limit (512 KiB by default)', () => {
    const filler = (n: number): string => `<a>${'x'.repeat(n - 7)}</a>`;
    expect(parseXml(filler(512 * 1024)).name).toBe('a');
    expectRefused(filler(512 * 1024 + 1), 'too-large');
    expectRefused(filler(100), 'too-large', { maxBytes: 99 });
  });

  it('counts the limit in UTF-8 bytes, not UTF-16 code units', () => {
    const text = `<a>${'é'.repeat(10)}</a>`; // 17 code units, 27 bytes
    expect(new TextEncoder().encode(text).length).toBe(27);
    expectRefused(text, 'too-large', { maxBytes: 20 });
    expectRefused(`<a>${'😀'.repeat(5)}</a>`, 'too-large', { maxBytes: 20 }); // 17 code units, 27 bytes
  });

  it('never drops an attribute silently (__proto__)', () => {
    const error = refusal('<a __proto__="x"/>');
    if (error !== undefined) expect(error).toBeInstanceOf(TranslateError);
    else expect(roundTrip('<a __proto__="x"/>')).toBe('<a __proto__="x"/>');
  });

  it('throws nothing but TranslateError on arbitrary and mangled input (property)', () => {
    const valid = '<jingle xmlns="urn:xmpp:jingle:1" action="session-info" sid="s1"><mute creator="initiator" name="a &amp; b"/>t&#x41;<![CDATA[x]]></jingle>';
    const mangled = fc.tuple(fc.nat(valid.length), fc.nat(8), fc.string({ maxLength: 4 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mangled), (input) => {
        const error = refusal(input, { maxBytes: 4096, maxDepth: 8 });
        return error === undefined || error instanceof TranslateError;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('namespace well-formedness and XML names', () => {
  it.each(NOT_WELL_FORMED)('refuses %s', (_what, input) => expectRefused(input));

  it.each(WELL_FORMED)('accepts %s', (input) => expect(refusal(input)).toBeUndefined());
});

describe('serializeXml refuses what XML cannot carry', () => {
  function written(build: (e: ReturnType<typeof parseXml>) => void): unknown {
    const e = parseXml('<a><b/></a>');
    build(e);
    try {
      return serializeXml(e);
    } catch (err) {
      return err;
    }
  }
  const refusedAs = (result: unknown, condition: Condition): void => {
    expect(result, String(result)).toBeInstanceOf(TranslateError);
    expect((result as TranslateError).condition).toBe(condition);
  };

  it.each(['', 'a b', '1a', 'a:', ':a', 'a:b:c', 'a>', 'a"', 'a\u00a0'])('an element or attribute named %j', (name) => {
    refusedAs(written((e) => { (e.children[0] as typeof e).name = name; }), 'malformed');
    refusedAs(written((e) => { e.attrs[name] = 'v'; }), 'malformed');
  });

  it.each(['\x00', '\x01', '\x1f', '\x0b', '\ufffe', '\uffff', '\ud800', '\udc00', 'x\ud800y'])('%j in text or an attribute value', (bad) => {
    refusedAs(written((e) => { e.children.push(`ok ${bad}`); }), 'invalid-value');
    refusedAs(written((e) => { e.attrs.v = `ok ${bad}`; }), 'invalid-value');
  });

  it('writes what XML can carry: surrogate pairs, tab/LF/CR, DEL and the C1 controls', () => {
    expect(written((e) => { e.attrs.v = '😀\t\x7f\x85'; e.children.push('😀\n\x85'); })).toBe('<a v="😀&#9;\x7f\x85"><b/>😀\n\x85</a>');
  });
});
