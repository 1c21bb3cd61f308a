// Robustness inputs for the translator properties: arbitrary text, and valid SDPs and Jingle XML from
// translator.arbitraries.ts broken by small, shrinkable mutations (each picks its place by `a` and `b`).
import fc, { type Arbitrary } from 'fast-check';
import { Element, clone } from 'ltx';
import type { Role } from '../../schemas/jingle/xep0166-types.ts';
import { writeSdp } from '../../schemas/sdp/write.ts';
import { sdpToJingle } from '../../schemas/translate.ts';
import { TranslateError } from '../../schemas/errors.ts';
import { serializeXml } from '../../schemas/xml-text.ts';
import { elementNs } from '../../schemas/xml.ts';
import { session } from './translator.arbitraries.ts';

const WEIRD = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }), fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.integer({ min: 0x20, max: 0xffff }), fc.constantFrom(0x0a, 0x0d, 0xfffe, 0xfeff),
).map((c) => String.fromCharCode(c));
const weirdString = fc.oneof(fc.string({ unit: WEIRD, minLength: 1, maxLength: 6 }), fc.constantFrom('\u{1F600}', '\uD83D', '\uDE00x'));
const GARBAGE = ['-1', '99999999999', 'x', '', ' ', '0x10', '1e3', '00000000000000001', 'a b', 'x\r\na=injected', 'x\ny',
  '&<>"\'', '\u00e9', '\u0085', ';', '=', 'a'.repeat(5000)];

type Mutation = { kind: string; a: number; b: number; value: string };
const mutation = (kinds: string[]): Arbitrary<Mutation> =>
  fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat(), b: fc.nat(), value: fc.oneof(fc.constantFrom(...GARBAGE), weirdString) });

const SDP_MUTATIONS = ['truncate', 'delete', 'duplicate', 'swap', 'number', 'insert', 'huge'];
function mutateSdp(sdp: string, ms: readonly Mutation[]): string {
  let lines = sdp.split('\r\n');
  for (const { kind, a, b, value } of ms) {
    if (lines.length === 0) break; // truncated or deleted down to nothing: nothing left to mutate
    const i = a % lines.length;
    const line = lines[i]!;
    if (kind === 'truncate') lines = lines.join('\r\n').slice(0, a % (sdp.length + 1)).split('\r\n');
    else if (kind === 'delete') lines.splice(i, 1);
    else if (kind === 'duplicate') lines.splice(i, 0, line);
    else if (kind === 'swap') [lines[i], lines[b % lines.length]] = [lines[b % lines.length]!, line];
    else if (kind === 'number') {
      const numbers = [...line.matchAll(/\d+/g)];
      const n = numbers[b % Math.max(1, numbers.length)];
      const replacement = ['-1', '99999999999', 'x', ''][a % 4]!;
      if (n) lines[i] = line.slice(0, n.index) + replacement + line.slice(n.index + n[0].length);
    } else if (kind === 'insert') lines[i] = line.slice(0, b % (line.length + 1)) + value + line.slice(b % (line.length + 1));
    else if (kind === 'huge') lines.splice(i, 0, `a=x-huge:${'x'.repeat(b % 2 ? 300 * 1024 : 5000)}`);
  }
  return lines.join('\r\n');
}

export const mutatedSdp = fc.tuple(session, fc.array(mutation(SDP_MUTATIONS), { minLength: 1, maxLength: 3 }))
  .map(([s, ms]) => mutateSdp(writeSdp(s), ms));
const SDP_PIECES = ['\r\n', '\n', '\r', '=', ' ', ':', 'v=0', 'o=- 1 2 IN IP4 0.0.0.0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=', 'a=candidate:', 'a=rtpmap:111 ', 'a=mid:', 'a=ssrc:', '4294967296'];
export const arbitraryText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.oneof(fc.constantFrom(...SDP_PIECES), WEIRD, fc.string({ maxLength: 8 })), { maxLength: 60 }).map((p) => p.join('')),
  fc.array(fc.oneof(fc.constantFrom(...SDP_PIECES), fc.string({ maxLength: 8 })), { maxLength: 40 })
    .map((p) => `v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n${p.join('')}`),
);

// 'prefix' names an element by a prefix bound to its own namespace (same meaning); 'unbound-prefix' by
// one bound nowhere (not namespace-well-formed: a TranslateError).
const JINGLE_MUTATIONS = ['remove', 'duplicate', 'drop-attribute', 'garbage-attribute', 'garbage-text', 'nest', 'prefix', 'unbound-prefix'];
const ATTRIBUTE_NAMES = ['id', 'name', 'type', 'senders', 'creator', 'port', 'ip', 'protocol', 'clockrate', 'ssrc', 'setup', 'value'];

export function elementsOf(e: Element): Element[] {
  return [e, ...e.children.flatMap((c) => (typeof c === 'string' ? [] : elementsOf(c as Element)))];
}

function mutateJingle(root: Element, ms: readonly Mutation[]): Element {
  for (const { kind, a, b, value } of ms) {
    const all = elementsOf(root);
    const e = all[a % all.length]!;
    const parent = e.parent as Element | null;
    const keys = Object.keys(e.attrs);
    if (kind === 'remove' && parent) parent.children.splice(parent.children.indexOf(e), 1);
    else if (kind === 'duplicate' && parent) parent.children.splice(parent.children.indexOf(e), 0, clone(e));
    else if (kind === 'drop-attribute' && keys.length > 0) delete e.attrs[keys[b % keys.length]!];
    else if (kind === 'garbage-attribute') e.attrs[b % 2 && keys.length > 0 ? keys[b % keys.length]! : ATTRIBUTE_NAMES[b % ATTRIBUTE_NAMES.length]!] = value;
    else if (kind === 'garbage-text') e.children = e.children.some((c) => typeof c === 'string') ? [value] : e.children;
    else if (kind === 'prefix' && !e.name.includes(':')) {
      const ns = elementNs(e);
      if (ns !== undefined) {
        e.attrs[`xmlns:p${b % 3}`] = ns;
        e.name = `p${b % 3}:${e.name}`;
      }
    } else if (kind === 'unbound-prefix' && !e.name.includes(':')) e.name = `u${b % 3}:${e.name}`;
    else if (kind === 'nest') {
      let inner = new Element('x', { xmlns: 'urn:example:nest' });
      for (let d = b % 60; d > 0; d--) {
        const outer = new Element('x');
        outer.cnode(inner);
        inner = outer;
      }
      e.cnode(inner);
    }
  }
  return root;
}

/**
 * serializeXml refuses what XML cannot carry (a garbage value's lone surrogate, say); such a tree is
 * written as ltx writes anything, so that text still reaches the parser under test, which must refuse it.
 */
function xmlText(e: Element): string {
  try {
    return serializeXml(e);
  } catch (err) {
    if (!(err instanceof TranslateError)) throw err;
    return e.toString();
  }
}

export const mutatedJingle = fc.tuple(session, fc.constantFrom<Role>('initiator', 'responder'), fc.array(mutation(JINGLE_MUTATIONS), { minLength: 1, maxLength: 3 }))
  .map(([s, r, ms]) => ({ role: r, xml: xmlText(mutateJingle(sdpToJingle(writeSdp(s), { role: r, sid: 'prop' }), ms)) }));

