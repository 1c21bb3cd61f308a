// The corpus of real Jingle in test/fixtures/jingle/: reading a fixture as each of our XML parsers
// sees it, and the pieces of an SDP the corpus tests look at. Shared by the unit and Chromium tests.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as ltxParse, type Element } from 'ltx';
import { parseXml } from '../../schemas/index.ts';
import type { Role } from '../../schemas/jingle/xep0166-types.ts';

const DIR = new URL('../fixtures/jingle/', import.meta.url);
const JINGLE_NS = 'urn:xmpp:jingle:1';

/** Fixture names without `.xml`, sorted. */
export const corpusFixtures: readonly string[] = readdirSync(fileURLToPath(DIR))
  .filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -4)).sort();

export function readFixture(name: string): string {
  return readFileSync(new URL(`${name}.xml`, DIR), 'utf8');
}

/** Both parsers the project uses: ours (translate service, CLI) and ltx (client and component links). */
export const PARSERS = {
  'xml-text': (text: string): Element => parseXml(text),
  ltx: (text: string): Element => ltxParse(text) as Element,
} as const;
export type ParserName = keyof typeof PARSERS;

/** The <jingle> of a fixture: the whole <iq> where the source had it, else the element itself. */
export function jingleOf(root: Element): Element {
  if (root.name === 'jingle' && root.attrs.xmlns === JINGLE_NS) return root;
  const jingle = root.getChild('jingle', JINGLE_NS);
  if (!jingle) throw new Error(`no <jingle xmlns='${JINGLE_NS}'> in <${root.name}>`);
  return jingle;
}

/** Who wrote the description: the initiator sends session-initiate, the responder session-accept. */
export function senderRole(action: string): Role {
  if (action === 'session-initiate') return 'initiator';
  if (action === 'session-accept') return 'responder';
  throw new Error(`no description role for ${action}`);
}

export interface MediaSection {
  kind: string;
  port: number;
  formats: string[];
  lines: string[];
}

/** Session-level lines and the m-sections of an SDP, each with its own lines (m= line excluded). */
export function splitSdp(sdp: string): { session: string[]; media: MediaSection[] } {
  const session: string[] = [];
  const media: MediaSection[] = [];
  for (const line of sdp.split('\r\n').filter((l) => l !== '')) {
    const m = /^m=(\w+) (\d+) \S+ (.*)$/.exec(line);
    if (m) media.push({ kind: m[1]!, port: Number(m[2]), formats: m[3]!.split(' '), lines: [] });
    else (media.at(-1)?.lines ?? session).push(line);
  }
  return { session, media };
}
