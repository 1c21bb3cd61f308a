// The production build (tools/build-server.ts): the CLI and the component compile to JavaScript, and
// package.json's runtime "dependencies" are exactly the packages that JavaScript imports, so
// `npm ci --omit=dev` installs all it needs and nothing a build, a test or the web client needs.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { importedPackages, serverBuildOptions } from '../../tools/build-server.ts';

const ROOT = new URL('../..', import.meta.url);

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
}

async function packageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile(new URL('package.json', ROOT), 'utf8')) as PackageJson;
}

describe('the server build', () => {
  it('imports exactly the runtime dependencies, and each of them', async () => {
    const { metafile } = await build({ ...serverBuildOptions('/nonexistent/jg-build'), write: false });
    const pkg = await packageJson();
    expect(importedPackages(metafile)).toEqual(Object.keys(pkg.dependencies).sort());
  });

  it('keeps the component lazily loaded: the process entry imports no werift or pino itself', async () => {
    const { metafile } = await build({ ...serverBuildOptions('/nonexistent/jg-build'), write: false });
    const entry = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint === 'bin/run.ts');
    const statics = (entry?.[1].imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => i.path);
    expect(statics.some((p) => p.startsWith('werift') || p.startsWith('pino'))).toBe(false);
  });

  it('leaves build, test and web client packages to devDependencies; npm run build builds both sides', async () => {
    const pkg = await packageJson();
    for (const name of ['tsx', 'lit', 'esbuild', 'vite', 'typescript', '@xmpp/client']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
    expect(pkg.scripts.build).toMatch(/vite build/);
    expect(pkg.scripts.build).toMatch(/build:server/);
    expect(pkg.scripts['build:server']).toMatch(/tools\/build-server\.ts/);
  });
});
