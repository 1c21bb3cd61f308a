/**
 * XEP-0338: Jingle Grouping Framework, https://xmpp.org/extensions/xep-0338.html (v1.0.0).
 * `a=group:BUNDLE 0 1` is <group semantics='BUNDLE'> with one <content name=.../> per mid.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { MID, SEMANTICS } from '../sdp/tokens.ts';
import { el, isElement, localName, nsOf, reqAttr } from '../xml.ts';

export interface ContentGroup {
  semantics: string;
  contents: string[];
}

export function parseGroup(e: Element, path: string): ContentGroup {
  const g: ContentGroup = { semantics: reqAttr(e, 'semantics', path), contents: [] };
  if (!SEMANTICS.test(g.semantics)) throw new TranslateError('invalid-value', 'bad semantics', { element: path });
  for (const c of e.children) {
    if (!isElement(c)) continue;
    const ns = nsOf(c, NS.grouping);
    if (localName(c) !== 'content' || ns !== NS.grouping) continue;
    const name = reqAttr(c, 'name', `${path}/content`);
    if (!MID.test(name)) throw new TranslateError('invalid-value', 'bad content name', { element: `${path}/content` });
    g.contents.push(name);
  }
  return g;
}

export function buildGroup(g: ContentGroup): Element {
  return el('group', { xmlns: NS.grouping, semantics: g.semantics }, g.contents.map((name) => el('content', { name })));
}
