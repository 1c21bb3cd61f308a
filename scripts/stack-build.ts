/**
 * The web client for `npm start`: built with vite into dist/client when any of its inputs is newer.
 * It takes the same lock as the e2e tests' build (test/harness/client-e2e.ts), so a test run and
 * `npm start` never write dist/client at the same time.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfStale } from '../test/harness/fresh-build.ts';

export async function buildClientIfStale(root: string, say: (line: string) => void): Promise<string> {
  const dist = join(root, 'dist', 'client');
  await buildIfStale({
    name: 'npm start', output: join(dist, 'index.html'), lock: join(root, 'dist', '.client-build.lock'),
    inputs: ['client', 'schemas', 'vite.config.ts', 'package-lock.json'].map((p) => join(root, p)),
    build: () => new Promise<void>((ok, fail) => {
      say('building the web client ...');
      const child = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
      child.once('error', fail);
      child.once('exit', (code) => (code === 0 ? ok() : fail(new Error('the web client did not build (npx vite build)'))));
    }),
  });
  return dist;
}
