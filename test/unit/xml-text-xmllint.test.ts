// Differential check of parseXml (schemas/xml-text.ts) against libxml2's xmllint, an independent XML
// 1.0 + Namespaces parser: whatever xmllint finds not well-formed or not namespace-well-formed,
// parseXml refuses too. The other way round parseXml may refuse more (XMPP forbids comments, processing
// instructions, DTDs; we refuse DEL and the C1 controls), so that direction is checked on the curated
// well-formed cases only. xmllint exits 0 after a namespace error: its messages decide, not its status.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslateError, parseXml } from '../../schemas/index.ts';
import { XMLLINT_PATH } from '../harness/xmllint.ts';
import { NOT_WELL_FORMED, WELL_FORMED } from './xml-text.cases.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'jg-xmllint-wf-')); });
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

/** For each document, xmllint's first error (a parser or namespace error), or undefined: one xmllint run. */
async function xmllintErrors(docs: readonly string[]): Promise<(string | undefined)[]> {
  const files = docs.map((_, i) => join(dir, `doc-${i}.xml`));
  await Promise.all(docs.map((d, i) => writeFile(files[i] as string, d, 'utf8')));
  const stderr = await new Promise<string>((resolve, reject) => {
    execFile(XMLLINT_PATH, ['--noout', '--nonet', ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, _out, err) => {
      if (error !== null && typeof (error as { code?: unknown }).code !== 'number') reject(error);
      else resolve(err);
    });
  });
  const errors = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    const m = /^(.*?):\d+: (?:\w+ )?error : (.*)$/.exec(line);
    // A namespace name that is no URI reference: Namespaces in XML 1.0 section 7 leaves URI syntax
    // out of namespace-well-formedness, and we compare namespace names as strings.
    if (!m || / is not a valid URI$/.test(m[2] as string)) continue;
    if (!errors.has(m[1] as string)) errors.set(m[1] as string, m[2] as string);
  }
  return files.map((f) => errors.get(f));
}

function parseXmlError(doc: string): string | undefined {
  try {
    parseXml(doc);
    return undefined;
  } catch (e) {
    if (!(e instanceof TranslateError)) throw e;
    return e.message;
  }
}

const BASES = [
  `<jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='s1'><mute xmlns='urn:xmpp:jingle:apps:rtp:info:1' creator='initiator' name='a'/></jingle>`,
  `<j:jingle xmlns:j='urn:xmpp:jingle:1' j:sid='s1' sid='s2'><rtp:description xmlns:rtp='urn:xmpp:jingle:apps:rtp:1' media='audio'><rtp:payload-type id='111' name='opus'/></rtp:description></j:jingle>`,
  `<?xml version='1.0'?><a xmlns:p='urn:u' xml:lang='en'><p:b p:x='1' x='2'>t&amp;</p:b><c/></a>`,
];
/** Pieces that touch what item 8 is about: names, prefixes, declarations, whitespace. */
const PIECES = [':', 'p:', 'q:', 'xmlns:', '\u00a0', '\u2028', ' ', 'xmlns:q="urn:u" ', 'xmlns:p="" ', ' p:x="3"', ' q:x="4"',
  'xmlns="http://www.w3.org/2000/xmlns/" ', 'xmlns:xml="urn:x" ', '=', '"', "'", '<', '>', '/', 'é', '\u037e', '\u0300', '\u00b7',
  '-', '.', '1', '&', ';', 'xmlns:xmlns="urn:x" ', '</a>', '<p:z/>', '<:z/>'];
const mutated = fc.tuple(fc.constantFrom(...BASES), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 3 }))
  .map(([base, edits]) => edits.reduce((doc, [at, cut, piece]) => {
    const i = at % (doc.length + 1);
    return doc.slice(0, i) + piece + doc.slice(i + cut);
  }, base));

describe('parseXml and xmllint', () => {
  it('agree on the curated cases: xmllint refuses every refused one, accepts every accepted one', async () => {
    const bad = NOT_WELL_FORMED.map(([, doc]) => doc);
    const verdicts = await xmllintErrors([...bad, ...WELL_FORMED]);
    bad.forEach((doc, i) => expect(verdicts[i], `xmllint accepts ${JSON.stringify(doc)}`).toBeDefined());
    WELL_FORMED.forEach((doc, i) => expect(verdicts[bad.length + i], JSON.stringify(doc)).toBeUndefined());
  });

  it('parseXml accepts nothing that xmllint refuses, over mutated namespaced documents', async () => {
    const docs = fc.sample(mutated, { seed: 12, numRuns: 400 });
    const verdicts = await xmllintErrors(docs);
    const missed = docs.flatMap((doc, i) => (verdicts[i] !== undefined && parseXmlError(doc) === undefined ? [`${JSON.stringify(doc)}: ${verdicts[i]}`] : []));
    expect(missed).toEqual([]);
    // Most mutations break the document: the check above compared refusals, not a set of easy cases.
    expect(verdicts.filter((v) => v !== undefined).length).toBeGreaterThan(200);
  });
});
