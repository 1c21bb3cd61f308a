// XML namespaces, not prefixes, identify elements, in every parser path. Every golden XEP example and
// the Jingle of every browser SDP fixture is rewritten with a prefix on every element (declared once
// on the root, or where the namespace first appears) and must parse to the same model, read by our
// text parser and by ltx's (which @xmpp/xml uses). Plus the forms seen in the wild: StanzaJS's
// `rtcpf:`/`rtph:` children (kept in matrix-bifrost's fixtures and H2's corpus), `<jingle:jingle>`.
import { readdirSync, readFileSync } from 'node:fs';
import { Element, parse as ltxParse } from 'ltx';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS, findJmi, jingleToSdp, parseDescription, parseJingle, parseJmi, parseRtpInfo, parseServices,
  parseSource, parseXml, sdpToJingle, serializeXml, transportInfoToCandidates, type Jingle,
} from '../../schemas/index.ts';
import { elementNs, localName } from '../../schemas/xml.ts';
import { GOLDEN } from './golden-xep.expect.ts';

const XEP_DIR = new URL('../fixtures/xep/', import.meta.url);
const SDP_DIR = new URL('../../../shared/fixtures/sdp/', import.meta.url);
const SDP_FILES = readdirSync(SDP_DIR).filter((f) => f.endsWith('.sdp')).sort();
const XEP_FILES = readdirSync(XEP_DIR).filter((f) => f.endsWith('.xml')).sort();
const LIST = DEFAULT_LIMITS.maxListLength;

/**
 * A copy of `e` where every element carries a prefix (`n0:`, `n1:`, ...) for its namespace and no
 * default namespace is declared; declarations go on the root (`where` = 'root') or on the element
 * where a namespace first appears under its parent ('local'). Attributes are kept as they are.
 */
function prefixify(e: Element, where: 'root' | 'local'): Element {
  const prefixes = new Map<string, string>();
  const rootAttrs: Record<string, string> = {};
  const walk = (x: Element, inheritedNs: string | undefined, declared: ReadonlySet<string>): Element => {
    const ns = (x.attrs.xmlns as string | undefined) ?? inheritedNs;
    if (ns === undefined) throw new Error(`no namespace for <${x.name}>`);
    let p = prefixes.get(ns);
    if (p === undefined) {
      p = `n${prefixes.size}`;
      prefixes.set(ns, p);
    }
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(x.attrs)) if (k !== 'xmlns' && v !== undefined) attrs[k] = String(v);
    const here = new Set(declared);
    if (!declared.has(p)) {
      if (where === 'local') attrs[`xmlns:${p}`] = ns;
      else rootAttrs[`xmlns:${p}`] = ns;
      if (where === 'local') here.add(p);
    }
    const out = new Element(`${p}:${x.name}`, attrs);
    for (const c of x.children) {
      if (typeof c === 'string') out.children.push(c);
      else out.cnode(walk(c as Element, ns, here));
    }
    return out;
  };
  const root = walk(e, undefined, new Set());
  Object.assign(root.attrs, rootAttrs);
  return root;
}

/** The same document read by both parsers a peer's stanza may come through. */
function bothParsers(e: Element): [string, Element][] {
  const text = serializeXml(e);
  return [['xml-text', parseXml(text)], ['ltx', ltxParse(text) as Element]];
}

/** Kept foreign elements (session-info payloads, file-transfer descriptions) compare by what they are. */
const what = (e: Element): string => `{${elementNs(e)}}${localName(e)}`;
const comparable = (j: Jingle): object => ({
  ...j,
  info: j.info.map(what),
  contents: j.contents.map((c) => ({
    ...c,
    otherDescription: c.otherDescription && what(c.otherDescription),
    otherTransport: c.otherTransport && what(c.otherTransport),
  })),
});

/** A parser's result, or the error it threw: a prefixed copy must fail the same way. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('prefixed elements parse as their namespace says', () => {
  it.each(SDP_FILES)('the Jingle of %s, prefixed everywhere', (file) => {
    const sdp = readFileSync(new URL(file, SDP_DIR), 'utf8');
    const role = file.endsWith('-offer.sdp') ? 'initiator' : 'responder';
    // Candidate extension attributes exercise our namespaced attribute under a prefix too.
    const jingle = sdpToJingle(sdp.replace(/^(a=candidate:.*)$/gm, '$1 network-cost 50'), { role, sid: 'p1' });
    const expected = jingleToSdp(jingle, { role });
    for (const where of ['root', 'local'] as const) {
      for (const [parser, e] of bothParsers(prefixify(jingle, where))) {
        expect(e.name, `${where}/${parser}`).toMatch(/^n0:jingle$/);
        expect(jingleToSdp(e, { role }), `${where}/${parser}`).toBe(expected);
      }
    }
  });

  it.each(XEP_FILES)('golden XEP example %s, prefixed everywhere', (file) => {
    const g = GOLDEN[file];
    if (!g) throw new Error(`${file} has no golden model`);
    let text = readFileSync(new URL(file, XEP_DIR), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    if (g.kind === 'content') text = `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='golden'>${text}</jingle>`;
    const original = parseXml(text);
    const read = (e: Element): unknown => outcome(() => {
      switch (g.kind) {
        case 'jingle': case 'content': {
          const j = parseJingle(e);
          return { j: comparable(j), info: j.info.map((i) => parseRtpInfo(i)) };
        }
        case 'description': return parseDescription(e, 'description', LIST);
        case 'source': return parseSource(e, 'source', LIST);
        case 'jmi': return { jmi: parseJmi(e), found: findJmi(new Element('message').cnode(e).root()) };
        case 'services': return parseServices(e);
        default: throw new Error(`${file}: unknown kind`);
      }
    });
    const expected = read(original);
    for (const where of ['root', 'local'] as const) {
      for (const [parser, e] of bothParsers(prefixify(original, where))) {
        expect(read(e), `${where}/${parser}`).toEqual(expected);
      }
    }
  });
});

describe('prefixes as other stacks write them', () => {
  const stanzajs = readFileSync(new URL('../fixtures/jingle/stanzajs-audio-video-session-accept.xml', import.meta.url), 'utf8');

  it("StanzaJS's rtcpf:rtcp-fb and rtph:rtp-hdrext are feedback and header extensions", () => {
    expect(stanzajs).toContain('<rtcpf:rtcp-fb ');
    const sdp = jingleToSdp(parseXml(stanzajs).getChild('jingle') as Element, { role: 'responder' });
    expect(sdp).toContain('a=rtcp-fb:111 transport-cc');
    expect(sdp).toContain('a=rtcp-fb:96 nack pli');
    expect(sdp).toContain('a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid');
  });

  it("<rtcpf:rtcp-fb xmlns:rtcpf='...'> declared on itself, as in matrix-bifrost's fixtures", () => {
    const xml = `<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='video'><payload-type id='96' name='VP8' clockrate='90000'>`
      + `<rtcpf:rtcp-fb xmlns:rtcpf='urn:xmpp:jingle:apps:rtp:rtcp-fb:0' type='nack'/></payload-type></description>`;
    for (const e of [parseXml(xml), ltxParse(xml) as Element]) {
      expect(parseDescription(e, 'description', LIST).payloadTypes[0]?.feedback).toEqual([{ type: 'nack' }]);
    }
  });

  it('<jingle:jingle> with prefixed contents', () => {
    const xml = `<iq xmlns='jabber:client' type='set'><jingle:jingle xmlns:jingle='urn:xmpp:jingle:1' action='transport-info' sid='s1'>`
      + `<jingle:content creator='initiator' name='0'><ice:transport xmlns:ice='urn:xmpp:jingle:transports:ice-udp:1' ufrag='abcd' pwd='abcdefghijklmnopqrstuvwx'>`
      + `<ice:candidate component='1' foundation='1' ip='192.0.2.1' port='5000' priority='1' protocol='udp' type='host'/></ice:transport></jingle:content></jingle:jingle></iq>`;
    const e = parseXml(xml).getChildByAttr('sid', 's1') as Element;
    expect(transportInfoToCandidates(e)).toEqual([{ candidate: 'candidate:1 1 udp 1 192.0.2.1 5000 typ host generation 0 ufrag abcd', sdpMid: '0', usernameFragment: 'abcd' }]);
  });

  it('an unprefixed child of a prefixed element is in the default namespace, not the prefix\'s', () => {
    // <content> here is in jabber:client (the iq's default namespace): no content of the session.
    const xml = `<iq xmlns='jabber:client'><j:jingle xmlns:j='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='0'/></j:jingle></iq>`;
    const j = parseJingle(parseXml(xml).getChildByAttr('sid', 's') as Element);
    expect(j.contents).toEqual([]);
  });

  it('an unbound prefix is refused (malformed: bad-request), not skipped', () => {
    const xml = `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='0'>`
      + `<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='0'><x:rtcp-fb type='nack'/></payload-type></description></content></jingle>`;
    expect(() => parseJingle(parseXml(xml))).toThrow(expect.objectContaining({ condition: 'malformed', message: expect.stringContaining("prefix 'x'") }));
  });

  it('a candidate extension attribute whose prefix is declared on <transport>', () => {
    const xml = `<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content name='0' creator='initiator'>`
      + `<transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' xmlns:g='urn:xmpp:jingle-gateway:sdp:0'>`
      + `<candidate component='1' foundation='1' ip='192.0.2.1' port='5000' priority='1' protocol='udp' type='host' g:extensions='network-cost 10'/></transport></content></jingle>`;
    expect(transportInfoToCandidates(parseXml(xml))[0]?.candidate).toContain('network-cost 10');
  });
});
