// Builds the StanzaJS peer page (index.html + main.ts here) with vite's JS API into dist/stanza-peer,
// unless that build is newer than its inputs. Test files running in parallel take turns through a lock
// directory (test/harness/fresh-build.ts), as the client build does, so only one builds.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../fresh-build.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
export const STANZA_PEER_DIST = join(ROOT, 'dist/stanza-peer');
const INPUTS = [HERE, join(ROOT, 'package-lock.json')];
const LOCK = join(ROOT, 'dist/.stanza-peer-build.lock');

async function viteBuild(): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: HERE,
    base: './',
    publicDir: false,
    logLevel: 'warn',
    build: { outDir: STANZA_PEER_DIST, emptyOutDir: true, sourcemap: true, reportCompressedSize: false },
  });
}

/** The directory of the built page (index.html and its assets). */
export async function buildStanzaPeer(): Promise<string> {
  await buildIfStale({ name: 'buildStanzaPeer', output: join(STANZA_PEER_DIST, 'index.html'), inputs: INPUTS, lock: LOCK, build: viteBuild });
  return STANZA_PEER_DIST;
}
