// Property tests of the translator (DESIGN.md, "The translator"): the round-trip contract over generated
// SDPs, the Jingle model round trip, and robustness against arbitrary and mutated SDP and Jingle input.
import fc from 'fast-check';
import { Element, clone } from 'ltx';
import { describe, expect, it } from 'vitest';
import { buildJingle, parseJingle } from '../../schemas/jingle/xep0166.ts';
import type { Role } from '../../schemas/jingle/xep0166-types.ts';
import type { Session } from '../../schemas/sdp/model.ts';
import { isRtp, parseSdp } from '../../schemas/sdp/parse.ts';
import { writeSdp } from '../../schemas/sdp/write.ts';
import { jingleToSdp, sdpToJingle, sdpToJingleModel } from '../../schemas/translate.ts';
import { parseXml, serializeXml } from '../../schemas/xml-text.ts';
import { session } from './translator.arbitraries.ts';
import { attempt, expectCleanSdp, expectLineNamed, expectNoControl, expectWholeLines, viaJingle, type Outcome } from './translator.checks.ts';
import { arbitraryText, elementsOf, mutatedJingle, mutatedSdp } from './translator.mutations.ts';

const RUNS = 200;
const ROLES: Role[] = ['initiator', 'responder'];
const role = fc.constantFrom(...ROLES);
/** The time limit bounds shrinking too: a failing property reports its best counterexample within it. */
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, interruptAfterTimeLimit: 3000 });

/**
 * What "semantically equal" means here. Session-level defaults resolved per m-line (direction absent =
 * sendrecv; ICE, fingerprint, setup, extmap-allow-mixed), candidate protocol lowercased, generation
 * absent = 0, an extmap's sendrecv = no direction; o=, s=, t=, c= and a=rtcp ignored, port as 0 or not.
 */
function canonical(s: Session): unknown {
  return {
    groups: s.groups, msidSemantic: s.msidSemantic, bandwidths: s.bandwidths, other: s.other,
    media: s.media.map((m) => ({
      ...m,
      port: m.port === 0 ? 0 : 'non-zero',
      connection: undefined,
      rtcp: undefined,
      direction: m.direction ?? s.direction ?? 'sendrecv',
      iceUfrag: m.iceUfrag ?? s.iceUfrag,
      icePwd: m.icePwd ?? s.icePwd,
      iceOptions: m.iceOptions ?? s.iceOptions,
      iceLite: m.iceLite || s.iceLite || undefined,
      fingerprints: m.fingerprints.length > 0 ? m.fingerprints : s.fingerprints,
      setup: m.setup ?? s.setup,
      extmapAllowMixed: (isRtp(m.protocol) && (m.extmapAllowMixed || s.extmapAllowMixed)) || undefined,
      extmaps: m.extmaps.map((e) => (e.direction === 'sendrecv' ? { ...e, direction: undefined } : e)),
      candidates: m.candidates.map((c) => ({ ...c, protocol: c.protocol.toLowerCase(), generation: c.generation ?? 0 })),
    })),
  };
}

/** Key order and undefined members do not matter; JSON first, because toEqual is slow on big models. */
const stable = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v);
function expectSame(actual: unknown, expected: unknown): void {
  if (stable(actual) !== stable(expected)) expect(actual).toEqual(expected);
}

describe('round trip over generated SDPs', () => {
  it('the generator makes models that writeSdp/parseSdp keep unchanged', () => {
    fc.assert(fc.property(session, (s) => { expectSame(parseSdp(writeSdp(s)), s); }), runs(RUNS));
  });

  it('SDP -> Jingle XML text -> SDP is semantically equal, for both roles (a, d)', () => {
    fc.assert(fc.property(session, role, (s, r) => {
      const sdp = writeSdp(s);
      const out = viaJingle(sdp, r);
      expectCleanSdp(out);
      expectSame(canonical(parseSdp(out)), canonical(parseSdp(sdp)));
    }), runs(RUNS));
  });

  it('Jingle model -> build -> XML text -> parseJingle gives the same model (b)', () => {
    fc.assert(fc.property(session, role, (s, r) => {
      const model = sdpToJingleModel(writeSdp(s), { role: r, sid: 'prop' });
      expectSame(parseJingle(parseXml(serializeXml(buildJingle(model)))), model);
    }), runs(RUNS));
  });

  it('no silent drop: an unknown a=x-foo:<token> in a random m-line survives (c)', () => {
    const token = fc.string({ unit: fc.constantFrom(..."!#$%&'*+-.^_`{|}~0123456789AZaz".split('')), minLength: 1, maxLength: 16 });
    fc.assert(fc.property(session, fc.nat(), token, role, (s, i, t, r) => {
      const index = i % s.media.length;
      s.media[index]!.other.push(`a=x-foo:${t}`);
      const out = viaJingle(writeSdp(s), r);
      expectCleanSdp(out);
      expect(parseSdp(out).media[index]!.other).toContain(`a=x-foo:${t}`);
    }), runs(RUNS));
  });
});

// ---- Robustness (c): the only outcomes are a result or a TranslateError, quickly. ----

describe('robustness of sdpToJingle', () => {
  it('(i) arbitrary strings: a result or a TranslateError', () => {
    fc.assert(fc.property(arbitraryText, role, (text, r) => { attempt(() => sdpToJingle(text, { role: r })); }), runs(500));
  });

  it('(ii) mutated valid SDPs: a result or a TranslateError', () => {
    fc.assert(fc.property(mutatedSdp, role, (sdp, r) => { attempt(() => sdpToJingle(sdp, { role: r })); }), runs(300));
  });

  it('(ii) mutated valid SDPs: an error names the offending line, numbered from 1', () => {
    fc.assert(fc.property(mutatedSdp, role, (sdp, r) => {
      const o = attempt(() => sdpToJingle(sdp, { role: r }));
      if (!o.ok) expectLineNamed(o.error, sdp);
    }), runs(300));
  });

  it('(ii, d) what sdpToJingle accepts, jingleToSdp reads back into whole lines that parseSdp accepts', () => {
    fc.assert(fc.property(mutatedSdp, role, (sdp, r) => {
      const o = attempt(() => serializeXml(sdpToJingle(sdp, { role: r })));
      if (!o.ok) return;
      // A mutation may have taken the fingerprint: then, and only then, jingleToSdp refuses.
      const back = attempt(() => jingleToSdp(parseXml(o.value), { role: r }));
      if (!back.ok) {
        expect(back.error.condition, back.error.message).toBe('security-error');
        return;
      }
      expectWholeLines(back.value, false);
      parseSdp(back.value);
    }), runs(300));
  });

  it('(ii, d) what sdpToJingle accepts comes back without control characters', () => {
    fc.assert(fc.property(mutatedSdp, role, (sdp, r) => {
      const o = attempt(() => viaJingle(sdp, r));
      if (o.ok) expectNoControl(o.value);
    }), runs(300));
  });
});

// ---- Mutated Jingle XML fed to parseXml + jingleToSdp ----

describe('robustness of jingleToSdp', () => {
  const translate = ({ role: r, xml }: { role: Role; xml: string }): Outcome<string> => attempt(() => jingleToSdp(parseXml(xml), { role: r }));

  it('mutated Jingle XML: a result or a TranslateError naming the element', () => {
    fc.assert(fc.property(mutatedJingle, (j) => {
      const o = translate(j);
      if (!o.ok) expect(o.error.element, o.error.message).toBeTruthy();
    }), runs(200));
  });

  it('mutated Jingle XML: the SDP out is whole `<type>=` lines (nothing injected) that parseSdp accepts (d)', () => {
    fc.assert(fc.property(mutatedJingle, (j) => {
      const o = translate(j);
      if (!o.ok) return;
      expectWholeLines(o.value);
      parseSdp(o.value);
    }), runs(200));
  });

  it('mutated Jingle XML: the SDP out holds no control character (d)', () => {
    fc.assert(fc.property(mutatedJingle, (j) => {
      const o = translate(j);
      if (o.ok) expectNoControl(o.value);
    }), runs(200));
  });

  it('10,000 candidates in one transport: too-large, from XML text and from an element', () => {
    const jingle = sdpToJingle(writeSdp(fc.sample(session, { numRuns: 1, seed: 42 })[0]!), { role: 'initiator', sid: 'big' });
    const transport = elementsOf(jingle).find((e) => e.name === 'transport')!;
    const candidate = new Element('candidate', { component: '1', foundation: '1', generation: '0', id: 'c', ip: '192.0.2.1',
      port: '9', priority: '1', protocol: 'udp', type: 'host' });
    for (let i = 0; i < 10_000; i++) transport.cnode(clone(candidate));
    const text = attempt(() => jingleToSdp(parseXml(serializeXml(jingle)), { role: 'initiator' }));
    const element = attempt(() => jingleToSdp(jingle, { role: 'initiator' }));
    expect([text.ok, element.ok]).toEqual([false, false]);
    if (!text.ok && !element.ok) expect([text.error.condition, element.error.condition]).toEqual(['too-large', 'too-large']);
  });
});
