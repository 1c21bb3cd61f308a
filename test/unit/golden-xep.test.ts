// Golden fixtures: every example in test/fixtures/xep/*.xml (copied from the XEPs) beside the model it
// must parse to (golden-xep.expect.ts). For each: the XEP module parses it to that model; building
// the model and parsing the result gives the same model again; and both the example and what we
// rebuild validate against schemas/xsd (all documents in one xmllint run).
import { readdirSync, readFileSync } from 'node:fs';
import type { Element } from 'ltx';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS, TranslateError, buildDescription, buildJingle, buildJmi, buildServices, buildSource,
  findJmi, iceServersFromServices, parseDescription, parseJingle, parseJmi, parseRtpInfo, parseServices,
  parseSource, parseXml, serializeXml, type ExtdiscoQuery, type Jingle,
} from '../../schemas/index.ts';
import { validateJingleXmlBatch, type XmllintResult } from '../harness/xmllint.ts';
import { GOLDEN, type Golden } from './golden-xep.expect.ts';

const DIR = new URL('../fixtures/xep/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.xml')).sort();
const raw = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');

/** XMPP forbids comments, so parseXml rejects them: drop the fixtures' provenance notes first. */
const stripComments = (xml: string): string => xml.replace(/<!--[\s\S]*?-->/g, '');

/** The <content/> fragment of XEP-0339 is parsed inside a <jingle/>, as it would arrive. */
const wrapContent = (xml: string): string =>
  `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='golden'>${xml}</jingle>`;

const LIST = DEFAULT_LIMITS.maxListLength;

/** session-info payloads stay ltx elements in the model; compare them as text. */
function comparable(j: Jingle): object {
  return { ...j, info: j.info.map((e) => serializeXml(e)) };
}

/** parse(root) -> model in a form toEqual can compare, and build(model) -> element. */
interface Codec {
  parse(root: Element): object;
  build(root: Element): Element;
}

function codecOf(file: string, g: Golden): Codec {
  switch (g.kind) {
    case 'jingle':
    case 'content':
      return { parse: (e) => comparable(parseJingle(e)), build: (e) => buildJingle(parseJingle(e)) };
    case 'description':
      return { parse: (e) => parseDescription(e, 'description', LIST), build: (e) => buildDescription(parseDescription(e, 'description', LIST)) };
    case 'source':
      return { parse: (e) => parseSource(e, 'source', LIST), build: (e) => buildSource(parseSource(e, 'source', LIST)) };
    case 'jmi':
      return { parse: (e) => parseJmi(e), build: (e) => buildJmi(parseJmi(e)) };
    case 'services':
      return { parse: (e) => parseServices(e), build: (e) => buildServices(e.name as ExtdiscoQuery, parseServices(e)) };
    default:
      throw new Error(`${file}: unknown kind`);
  }
}

function rootOf(file: string, g: Golden): Element {
  const text = stripComments(raw(file));
  return parseXml(g.kind === 'content' ? wrapContent(text) : text);
}

/** The model a fixture parses to, as the expectations see it (the content itself for 'content'). */
function modelOf(file: string, g: Golden): unknown {
  const root = rootOf(file, g);
  if (g.kind === 'content') return parseJingle(root).contents[0];
  if (g.kind === 'jingle') return parseJingle(root);
  return codecOf(file, g).parse(root);
}

/**
 * toMatchObject, except that `undefined` in the expectation asserts the field is absent (vitest's
 * toMatchObject wants the key present). Arrays must have exactly the expected entries.
 */
function expectMatch(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const list = actual as unknown[];
    expect(list.length, `${path}.length`).toBe(expected.length);
    expected.forEach((x, i) => expectMatch(list[i], x, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual, path).toBeTypeOf('object');
    for (const [k, v] of Object.entries(expected)) expectMatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

function goldenOf(file: string): Golden {
  const g = GOLDEN[file];
  if (!g) throw new Error(`${file} has no entry in golden-xep.expect.ts`);
  return g;
}

const validity = new Map<string, XmllintResult>();

beforeAll(async () => {
  const names: string[] = [];
  const docs: string[] = [];
  for (const file of FILES) {
    const g = GOLDEN[file];
    names.push(`${file} as published`);
    docs.push(raw(file)); // xmllint takes comments; only our XMPP parser refuses them
    if (!g || g.throws) continue;
    names.push(`${file} rebuilt`);
    docs.push(serializeXml(codecOf(file, g).build(rootOf(file, g))));
  }
  const results = await validateJingleXmlBatch(docs);
  names.forEach((n, i) => validity.set(n, results[i] as XmllintResult));
});

describe('golden XEP fixtures', () => {
  it('every fixture has expectations and every expectation a fixture', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(29);
    expect(Object.keys(GOLDEN).sort()).toEqual(FILES);
  });

  describe.each(FILES)('%s', (file) => {
    const g = goldenOf(file);

    it('validates against schemas/xsd as published', () => {
      const r = validity.get(`${file} as published`);
      expect(r?.ok, r?.errors).toBe(true);
    });

    if (g.throws) {
      it(`is refused with a TranslateError '${g.throws}'`, () => {
        let error: unknown;
        try {
          modelOf(file, g);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TranslateError);
        expect((error as TranslateError).condition).toBe(g.throws);
      });
      return;
    }

    it('parses to the model of the example', () => {
      const model = modelOf(file, g);
      if (g.model) expectMatch(model, g.model, 'model');
      if (g.services) expect(model).toEqual(g.services);
    });

    it('build(parse(x)) parses to the same model (idempotent)', () => {
      const codec = codecOf(file, g);
      const root = rootOf(file, g);
      const first = codec.parse(root);
      const again = codec.parse(parseXml(serializeXml(codec.build(root))));
      expect(again).toEqual(first);
    });

    it('what we rebuild validates against schemas/xsd', () => {
      const r = validity.get(`${file} rebuilt`);
      expect(r?.ok, r?.errors).toBe(true);
    });

    if (g.info) {
      const info = g.info;
      it('its session-info payloads parse with parseRtpInfo', () => {
        const j = parseJingle(rootOf(file, g));
        expect(j.info.map((e) => parseRtpInfo(e))).toEqual(info);
      });
    }

    if (g.kind === 'jmi') {
      it('findJmi finds it in a <message/> and agrees with parseJmi', () => {
        const text = stripComments(raw(file));
        const message = parseXml(`<message xmlns='jabber:client' type='chat' to='juliet@capulet.example'>${text}<store xmlns='urn:xmpp:hints'/></message>`);
        expect(findJmi(message)).toEqual(parseJmi(parseXml(text)));
      });
    }

    if (g.iceServers) {
      const servers = g.iceServers;
      it('iceServersFromServices gives the STUN/TURN URIs, credentials for TURN only', () => {
        expect(iceServersFromServices(parseServices(rootOf(file, g)))).toEqual(servers);
      });
    }
  });
});
