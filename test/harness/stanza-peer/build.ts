// Builds the StanzaJS peer page (index.html + main.ts here) with vite's JS API into dist/stanza-peer,
// unless that build is newer than its inputs. Test files running in parallel take turns through a lock
// directory, as the client build does (test/harness/client-e2e.ts), so only one builds.
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from '../ports.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
export const STANZA_PEER_DIST = join(ROOT, 'dist/stanza-peer');
const INPUTS = [HERE, join(ROOT, 'package-lock.json')];
const LOCK = join(ROOT, 'dist/.stanza-peer-build.lock');

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = (await stat(join(STANZA_PEER_DIST, 'index.html')).catch(() => undefined))?.mtimeMs ?? 0;
  if (built === 0) return false;
  const inputs = await Promise.all(INPUTS.map(newestMtime));
  return Math.max(...inputs) < built;
}

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
  await mkdir(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try { await mkdir(LOCK); break; } catch { /* someone else builds */ }
    const age = Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > 120_000) await rmdir(LOCK).catch(() => undefined); // left over by a killed run
    if (Date.now() > deadline) throw new Error(`buildStanzaPeer: ${LOCK} held for too long`);
    await sleep(200);
  }
  try {
    if (!(await isFresh())) await viteBuild();
  } finally {
    await rmdir(LOCK).catch(() => undefined);
  }
  return STANZA_PEER_DIST;
}
