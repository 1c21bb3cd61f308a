// A build for the e2e tests (the web client, the StanzaJS peer page) is made again only when one of its
// inputs is newer than its output. Test files running in parallel take turns through a lock directory,
// so only one of them builds and the others reuse its output.
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sleep } from './ports.ts';

export interface FreshBuild {
  /** Used in the error message when the lock is held too long. */
  name: string;
  /** A file the build writes last, whose time says when it was built. */
  output: string;
  /** Files and directories whose change makes the output stale. */
  inputs: readonly string[];
  /** The lock directory. */
  lock: string;
  build(): Promise<void>;
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

async function isFresh(b: FreshBuild): Promise<boolean> {
  const built = (await stat(b.output).catch(() => undefined))?.mtimeMs ?? 0;
  if (built === 0) return false;
  const inputs = await Promise.all(b.inputs.map(newestMtime));
  return Math.max(...inputs) < built;
}

/** Runs `b.build()` unless its output is fresh, holding the lock meanwhile. */
export async function buildIfStale(b: FreshBuild): Promise<void> {
  await mkdir(dirname(b.lock), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try { await mkdir(b.lock); break; } catch { /* someone else builds */ }
    const age = Date.now() - ((await stat(b.lock).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > 120_000) await rmdir(b.lock).catch(() => undefined); // left over by a killed run
    if (Date.now() > deadline) throw new Error(`${b.name}: ${b.lock} held for too long`);
    await sleep(200);
  }
  try {
    if (!(await isFresh(b))) await b.build();
  } finally {
    await rmdir(b.lock).catch(() => undefined);
  }
}
