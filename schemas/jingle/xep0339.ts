/**
 * XEP-0339: Source-Specific Media Attributes in Jingle, https://xmpp.org/extensions/xep-0339.html
 * (text of v0.2; its schema section is empty). `a=ssrc:1 cname:x` is <source ssrc='1'><parameter name='cname' value='x'/></source>;
 * `a=ssrc-group:FID 1 2` is <ssrc-group semantics='FID'> with a <source ssrc/> per member.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { SEMANTICS, SSRC_ATTRIBUTE } from '../sdp/tokens.ts';
import { attrValue, el, isElement, lineSafe, localName, nsOf, prefixNs, reqAttr, reqIntValue, reqValue } from '../xml.ts';

export interface SourceParameter {
  name: string;
  value?: string;
  /**
   * An msid we copied here from the m-line's a=msid, for stacks that read stream ids only from
   * XEP-0339 (Conversations, Movim, Jitsi): marked gw:derived so our own reader drops it again and
   * the SDP round trip stays exact (the a=msid itself travels in our <line>).
   */
  derived?: true;
  /**
   * An msid the SDP had only in `a=ssrc:N msid:`, with no a=msid for its m-line (gw:ssrc-only):
   * our reader then makes no a=msid from it, so that SDP comes back as it was. Another stack's
   * msid parameter has no mark, and gives the m-line its a=msid (schemas/translate/msid.ts).
   */
  ssrcOnly?: true;
}

export interface RtpSource {
  ssrc: number;
  parameters: SourceParameter[];
}

export interface RtpSsrcGroup {
  semantics: string;
  sources: number[];
}

const SSRC_MAX = 0xffffffff;

export function parseSource(e: Element, path: string, maxList: number): RtpSource {
  const s: RtpSource = { ssrc: reqIntValue(e, 'ssrc', e.attrs.ssrc, 0, SSRC_MAX, path), parameters: [] };
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.ssma);
    if (localName(c) !== 'parameter' || ns !== NS.ssma) continue;
    if (s.parameters.length >= maxList) throw new TranslateError('too-large', `more than ${maxList} parameters`, { element: path, limit: 'maxListLength' });
    const a = c.attrs; // read here, where they are parameters' attributes only (xml.ts, attrValue)
    const name = reqValue(c, 'name', a.name, `${path}/parameter`);
    if (!SSRC_ATTRIBUTE.test(name)) throw new TranslateError('invalid-value', 'bad parameter name', { element: `${path}/parameter` });
    const raw = attrValue(c, 'value', a.value);
    const value = raw === undefined ? undefined : lineSafe(raw, 'parameter value', `${path}/parameter`);
    const p: SourceParameter = value === undefined ? { name } : { name, value };
    if (a['gw:derived'] !== undefined && prefixNs(c, 'gw') === NS.sdp) p.derived = true;
    if (a['gw:ssrc-only'] !== undefined && prefixNs(c, 'gw') === NS.sdp) p.ssrcOnly = true;
    s.parameters.push(p);
  }
  return s;
}

export function parseSsrcGroup(e: Element, path: string): RtpSsrcGroup {
  const g: RtpSsrcGroup = { semantics: reqAttr(e, 'semantics', path), sources: [] };
  if (!SEMANTICS.test(g.semantics)) throw new TranslateError('invalid-value', 'bad semantics', { element: path });
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.ssma);
    if (localName(c) === 'source' && ns === NS.ssma) g.sources.push(reqIntValue(c, 'ssrc', c.attrs.ssrc, 0, SSRC_MAX, `${path}/source`));
  }
  if (g.sources.length === 0) throw new TranslateError('missing', 'an ssrc-group needs at least one source', { element: path });
  return g;
}

export function buildSource(s: RtpSource): Element {
  return el(
    'source',
    { xmlns: NS.ssma, ssrc: String(s.ssrc) },
    s.parameters.map((p) => el('parameter', p.derived || p.ssrcOnly
      ? { name: p.name, value: p.value, 'xmlns:gw': NS.sdp, 'gw:derived': p.derived ? 'true' : undefined, 'gw:ssrc-only': p.ssrcOnly ? 'true' : undefined }
      : { name: p.name, value: p.value })),
  );
}

export function buildSsrcGroup(g: RtpSsrcGroup): Element {
  return el('ssrc-group', { xmlns: NS.ssma, semantics: g.semantics }, g.sources.map((ssrc) => el('source', { ssrc: String(ssrc) })));
}
