// Jingle as other clients really send it (test/fixtures/jingle/, sources in its README): every fixture
// is read by both XML parsers the project uses and translated as its sender meant it, and the result
// keeps what the XML says (table in jingle-corpus.expect.ts, read off the XML, not off our output).
import { describe, expect, it } from 'vitest';
import { jingleToSdp, transportInfoToCandidates } from '../../schemas/index.ts';
import { PARSERS, corpusFixtures, jingleOf, readFixture, senderRole, splitSdp, type ParserName } from '../harness/jingle-corpus.ts';
import { CORPUS, type SessionFacts, type TransportInfoFacts } from './jingle-corpus.expect.ts';

const parserNames = Object.keys(PARSERS) as ParserName[];

it('has a table entry for every fixture and a fixture for every entry', () => {
  expect(corpusFixtures).toEqual(Object.keys(CORPUS).sort());
});

it('holds session-initiate, session-accept and transport-info from each required client', () => {
  for (const client of ['conversations', 'dino', 'movim', 'stanzajs', 'jitsi']) {
    expect(corpusFixtures.some((f) => f.startsWith(`${client}-`)), client).toBe(true);
  }
  for (const action of ['session-initiate', 'session-accept', 'transport-info']) {
    expect(Object.values(CORPUS).some((f) => f.action === action), action).toBe(true);
  }
});

it('translates candidates without id or generation (StanzaJS) and without id (Movim)', () => {
  const stanzajs = readFixture('stanzajs-audio-transport-info-0');
  const movim = readFixture('movim-audio-transport-info');
  expect(stanzajs).not.toMatch(/<candidate [^>]*\s(id|generation)=/);
  expect(movim).not.toMatch(/<candidate [^>]*\sid=/);
  for (const text of [stanzajs, movim]) {
    for (const parser of parserNames) expect(transportInfoToCandidates(jingleOf(PARSERS[parser](text)))).toHaveLength(1);
  }
});

function translateSession(name: string, parser: ParserName, facts: SessionFacts): string {
  const jingle = jingleOf(PARSERS[parser](readFixture(name)));
  expect(jingle.attrs.action).toBe(facts.action);
  return jingleToSdp(jingle, { role: senderRole(facts.action) });
}

function checkSession(sdp: string, facts: SessionFacts): void {
  const { session, media } = splitSdp(sdp);
  expect(media.map((m) => m.kind)).toEqual(facts.media.map((m) => m.kind));
  facts.media.forEach((want, i) => {
    const got = media[i]!;
    const at = `m-line ${i} (${want.mid})`;
    const count = (prefix: string): number => got.lines.filter((l) => l.startsWith(prefix)).length;
    expect(got.lines, at).toContain(`a=mid:${want.mid}`);
    const bundle = session.find((l) => l.startsWith('a=group:BUNDLE '))?.split(' ').slice(1) ?? [];
    if (want.rejected) {
      expect(got.port, at).toBe(0);
      expect(bundle, at).not.toContain(want.mid);
      return;
    }
    expect(got.port, at).not.toBe(0);
    if (want.kind !== 'application') expect(got.formats, at).toEqual(want.pts.map(String));
    // Never an SDP without DTLS: every m-line that can carry media names the sender's fingerprint.
    expect(got.lines, at).toContain(`a=fingerprint:${facts.fingerprint}`);
    expect(count('a=rtcp-fb:'), `${at} rtcp-fb`).toBe(want.rtcpFb);
    expect(got.lines.filter((l) => l.startsWith('a=extmap:')).map((l) => Number(/^a=extmap:(\d+)/.exec(l)?.[1])).sort((a, b) => a - b), `${at} extmap`)
      .toEqual([...want.extmap].sort((a, b) => a - b));
    expect(count('a=candidate:'), `${at} candidates`).toBe(want.candidates);
    for (const ssrc of want.ssrcs ?? []) expect(count(`a=ssrc:${ssrc} `), `${at} ssrc ${ssrc}`).toBeGreaterThan(0);
    for (const group of want.groups ?? []) expect(got.lines, at).toContain(`a=ssrc-group:${group}`);
  });
  const all = sdp.split('\r\n');
  for (const line of facts.lines ?? []) expect(all, line).toContain(line);
}

function checkTransportInfo(name: string, parser: ParserName, facts: TransportInfoFacts): void {
  const jingle = jingleOf(PARSERS[parser](readFixture(name)));
  expect(jingle.attrs.action).toBe('transport-info');
  const got = transportInfoToCandidates(jingle);
  expect(got).toHaveLength(facts.candidates.length);
  facts.candidates.forEach((want, i) => {
    expect(got[i]!.sdpMid).toBe(want.mid);
    expect(got[i]!.usernameFragment).toBe(want.ufrag);
    expect(got[i]!.candidate.startsWith(`${want.starts} `) || got[i]!.candidate === want.starts, got[i]!.candidate).toBe(true);
  });
}

describe.each(corpusFixtures)('%s', (name) => {
  const facts = CORPUS[name];
  if (facts === undefined) return; // reported by the table test above
  if (facts.action === 'transport-info') {
    it.each(parserNames)('translates to candidates (%s parser)', (parser) => { checkTransportInfo(name, parser, facts); });
    return;
  }
  it.each(parserNames)('translates to an SDP that keeps what the XML says (%s parser)', (parser) => {
    checkSession(translateSession(name, parser, facts), facts);
  });
  it('reads the same through both parsers', () => {
    expect(translateSession(name, 'ltx', facts)).toBe(translateSession(name, 'xml-text', facts));
  });
});
