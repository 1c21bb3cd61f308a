// Fuzzing at CI size (test/fuzz/; `npm run fuzz` runs the same targets for longer): generated and mutated
// stanzas through the in-process component with every service, and SDP and Jingle through the translator.
// Every input ends in a well-formed error or a correct result, no throw escapes, no other user's
// session moves, nothing is left after close and the heap returns to its baseline. Then the bugs the
// fuzzers found, each as its minimal input and the behaviour it should have (failing until fixed).
// FUZZ_SEED=<n> replays a run; fast-check prints the seed and the shrunk counterexample on a failure.
import type { Element } from 'ltx';
import { describe, expect, it } from 'vitest';
import {
  NS, TranslateError, jingleToSdp, parseJingle, parseSdp, parseXml, sdpToJingle, serializeXml,
} from '../../schemas/index.ts';
import { el } from '../../schemas/xml.ts';
import { gcHeap } from '../../bench/report.ts';
import { errorCondition, expectRoundTrip } from '../fuzz/check.ts';
import { fuzzComponent, soakComponent } from '../fuzz/component.ts';
import { startFuzzComponent } from '../fuzz/harness.ts';
import { nested } from '../fuzz/mutate.ts';
import { DOMAIN, OFFERS, OWNER } from '../fuzz/stanzas.ts';
import { newStats, summary } from '../fuzz/stats.ts';
import { fuzzTranslator, jingleToSdpProperty, sdpToJingleProperty } from '../fuzz/translator.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const seeded = SEED === undefined ? {} : { seed: SEED };
/** Small limits, so floods meet them within a short sequence. */
const TIGHT = ['--stanzas-per-minute', '10', '--echo-calls-per-minute', '2', '--echo-max-sessions', '3'];
const MIB = 1024 * 1024;

describe('fuzzing the component in-process, every service registered', () => {
  it('every stanza gets a well-formed reply or none, no other session moves, nothing leaks', async () => {
    await fuzzComponent(newStats('warm-up'), { numRuns: 30, ...seeded });
    const baseline = gcHeap();
    const runs = newStats('component');
    const tight = newStats('component, tight limits');
    const soak = newStats('component, one long session');
    await fuzzComponent(runs, { numRuns: 450, seconds: 7, ...seeded });
    // No time limit here: under load a timed run could end before any flood met the limits.
    await fuzzComponent(tight, { numRuns: 150, argv: TIGHT, ...seeded });
    const growth = await soakComponent(soak, 1500, SEED ?? Math.floor(Math.random() * 2 ** 31));
    const after = gcHeap();
    const tried = runs.inputs + tight.inputs + soak.inputs;
    console.log([runs, tight, soak].map(summary).join('\n'));
    console.log(`component fuzz: ${tried} inputs tried; heap ${((after - baseline) / MIB).toFixed(2)} MiB over its baseline after close, `
      + `${(growth / MIB).toFixed(2)} MiB growth over the last 1,000 generated inputs (with their repeats) to one component`);
    expect(tried).toBeGreaterThan(1500);
    expect(tight.errors.get('resource-constraint') ?? 0).toBeGreaterThan(0);
    expect(growth).toBeLessThan(4 * MIB);
    expect(after - baseline).toBeLessThan(4 * MIB);
  });
});

// A fixed count, not a time budget: a count of inputs reached in N seconds fails on a loaded machine.
const RUNS = 800;

describe('fuzzing the translator', () => {
  it('sdpToJingle: arbitrary, mutated generated and mutated real SDPs end in a result it reads back, or a TranslateError', () => {
    const s = newStats('sdpToJingle');
    fuzzTranslator(sdpToJingleProperty(s), { numRuns: RUNS, ...seeded });
    console.log(summary(s));
    expect(s.inputs).toBeGreaterThanOrEqual(RUNS);
  });

  it('jingleToSdp: mutated generated and real Jingle ends in SDP that parseSdp reads, or a TranslateError', () => {
    const s = newStats('jingleToSdp');
    fuzzTranslator(jingleToSdpProperty(s), { numRuns: RUNS, ...seeded });
    console.log(summary(s));
    expect(s.inputs).toBeGreaterThanOrEqual(RUNS);
  });
});

// ---- Bugs the fuzzers found (test/fuzz/known-bugs.ts): minimal inputs, correct behaviour. ----

const FP = Array(32).fill('5A').join(':');
const SDP = (session: string[] = [], media: string[] = [], rtpmap = 'a=rtpmap:111 opus/48000/2'): string => [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...session,
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', rtpmap, ...media, `a=fingerprint:sha-256 ${FP}`, '',
].join('\r\n');
const JINGLE = (session = '', payload = ''): Element => parseXml(`<jingle xmlns='${NS.jingle}' action='session-initiate' sid='s'>${session}`
  + `<content creator='initiator' name='0'><description xmlns='${NS.rtp}' media='audio'>`
  + `<payload-type id='111' name='opus' clockrate='48000' channels='2'>${payload}</payload-type></description>`
  // A fingerprint, or every case would end in security-error before reaching what it tests.
  + `<transport xmlns='${NS.iceUdp}'><fingerprint xmlns='${NS.dtls}' hash='sha-256' setup='actpass'>${FP}</fingerprint></transport></content></jingle>`);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `f` refuses its input with a TranslateError, or what it writes its other half reads. */
function refusedOrReadable(f: () => Element | string): void {
  let out: Element | string;
  try {
    out = f();
  } catch (e) {
    expect(e).toBeInstanceOf(TranslateError);
    return;
  }
  if (typeof out === 'string') {
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\p{Cc}/u);
    expect(() => parseSdp(out as string)).not.toThrow();
  } else expect(() => parseJingle(parseXml(serializeXml(out as Element)))).not.toThrow();
}

describe('bugs the fuzzers found', () => {
  it('deep-nesting: a stanza nested 6,000 deep (42 KB, under max-stanza-bytes) is answered; Router.handle does not reject', async () => {
    const h = await startFuzzComponent();
    try {
      const iq = el('iq', { type: 'get', id: 'deep', from: OWNER, to: DOMAIN }, [el('query', { xmlns: 'urn:example:deep' }, [nested(6_000)])]);
      const { reply } = await h.handle(iq);
      expect(reply && errorCondition(reply)).toMatch(/^(service-unavailable|policy-violation|bad-request)$/);
      await expect(h.handle(el('message', { from: OWNER, to: `echo@${DOMAIN}` }, [nested(6_000)]))).resolves.toEqual({});
    } finally {
      await h.close();
    }
  });

  it.each([
    ["sid ''", () => sdpToJingle(SDP(), { role: 'initiator', sid: '' })],
    ['a sid of 257 characters', () => sdpToJingle(SDP(), { role: 'initiator', sid: 'x'.repeat(257) })],
    ['a=group semantics that is not a token', () => sdpToJingle(SDP(['a=group:B@D 0']), { role: 'initiator' })],
    ['a=group mid that is not a token', () => sdpToJingle(SDP(['a=group:BUNDLE !']), { role: 'initiator' })],
    ['257 lines for one content', () => sdpToJingle(SDP([], [...Array.from({ length: 256 }, (_, i) => `a=x-foo:${i}`), 'a=rtcp-rsize']), { role: 'initiator' })],
    ['an x= line in a media section', () => sdpToJingle(SDP([], ['x=1']), { role: 'initiator' })],
    ['a z= line in a media section', () => sdpToJingle(SDP([], ['z=1 2']), { role: 'initiator' })],
  ])('jingle-unreadable: sdpToJingle with %s refuses it or writes Jingle that parseJingle reads', (_what, f) => {
    refusedOrReadable(f);
  });

  it.each([
    ['U+0085 in a <line>', () => {
      const j = JINGLE(`<line xmlns='${NS.sdp}'>a=x-foo:ab</line>`);
      j.getChild('line', NS.sdp)!.children.splice(0, 1, 'a=x-foo:a\u0085b');
      return jingleToSdp(j, { role: 'initiator' });
    }],
    ['U+007F in a parameter value', () => {
      const j = JINGLE('', `<parameter name='x' value='ab'/>`);
      j.getChild('content')!.getChild('description')!.getChild('payload-type')!.getChild('parameter')!.attrs.value = 'a\u007fb';
      return jingleToSdp(j, { role: 'initiator' });
    }],
    ["a bare <parameter value='='/>", () => jingleToSdp(JINGLE('', `<parameter value='='/>`), { role: 'initiator' })],
    ['a BUNDLE group of 200 long names', () => jingleToSdp(JINGLE(`<group xmlns='${NS.grouping}' semantics='BUNDLE'>${`<content name='${'m'.repeat(30)}'/>`.repeat(200)}</group>`), { role: 'initiator' })],
    ['200 long fmtp parameters', () => jingleToSdp(JINGLE('', Array.from({ length: 200 }, (_, i) => `<parameter name='p${i}' value='${'v'.repeat(20)}'/>`).join('')), { role: 'initiator' })],
  ])('sdp-unreadable: jingleToSdp with %s refuses it or writes SDP that parseSdp reads', (_what, f) => {
    refusedOrReadable(f);
  });

  it('line-separator: U+2028 and U+2029 in values SDP allows (ssrc, rid) survive both ways', () => {
    // JavaScript's `.` stops at them; SDP's byte-string does not (found by the fuzzer, seed 1414802667).
    const media = ['a=ssrc:1 msid:a\u2028b c\u2029d', 'a=rid:r send max-width=1\u2028'];
    const back = parseSdp(jingleToSdp(parseXml(serializeXml(sdpToJingle(SDP([], media), { role: 'initiator' }))), { role: 'initiator' }));
    const m = back.media[0]!;
    expect(m.sources[0]?.attributes).toEqual([{ name: 'msid', value: 'a\u2028b c\u2029d' }]);
    expect(m.rids[0]?.params).toBe('max-width=1\u2028');
  });

  it('split-surrogate: an error text that quotes an SDP line never ends in half a surrogate pair', async () => {
    const sdp = SDP([], [], `a=rtpmap:111 ${'x'.repeat(103)}\u{1F600}${'z'.repeat(20)}`);
    expect(() => sdpToJingle(sdp, { role: 'initiator' })).toThrow(TranslateError);
    try {
      sdpToJingle(sdp, { role: 'initiator' });
    } catch (e) {
      expect((e as Error).message).not.toMatch(LONE_SURROGATE);
    }
    // Through the translate service: its bad-request goes out as well-formed XML.
    const h = await startFuzzComponent();
    try {
      const sdpEl = el('sdp', {});
      sdpEl.children.push(sdp);
      const { reply } = await h.handle(el('iq', { type: 'get', id: 't', from: OWNER, to: DOMAIN }, [el('translate', { xmlns: NS.translate, role: 'initiator' }, [sdpEl])]));
      expect(errorCondition(reply!)).toBe('bad-request');
      expectRoundTrip(reply!, 'the bad-request');
    } finally {
      await h.close();
    }
  });

  it('a sid the translate service cannot carry gets bad-request, not a result it cannot read back', async () => {
    const h = await startFuzzComponent();
    try {
      const sdpEl = el('sdp', {});
      sdpEl.children.push(OFFERS[0]!);
      const { reply } = await h.handle(el('iq', { type: 'get', id: 't', from: OWNER, to: DOMAIN }, [el('translate', { xmlns: NS.translate, role: 'initiator', sid: '' }, [sdpEl])]));
      if (reply?.attrs.type === 'result') expect(() => parseJingle(reply.getChild('translate')!.getChild('jingle')!)).not.toThrow();
      else expect(errorCondition(reply!)).toBe('bad-request');
    } finally {
      await h.close();
    }
  });
});
