/**
 * Builds the server side (the CLI, the component it loads on demand, and the schemas both import)
 * into plain JavaScript for node 20, so production runs `node` without tsx or esbuild installed.
 * Packages stay imports (resolved from node_modules at run time), not inlined: what the build needs
 * from node_modules is exactly package.json's "dependencies" (test/unit/build-server.test.ts).
 *
 *   tsx tools/build-server.ts [OUTDIR]     (default dist/server; `npm run build` runs it)
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { builtinModules } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_OUTDIR = `${ROOT}dist/server`;
/** The process entry; `component` is a chunk it imports on demand, as cli/main.ts does. */
export const SERVER_ENTRY = 'jingle-gateway.js';

export function serverBuildOptions(outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: ROOT,
    entryPoints: { 'jingle-gateway': 'bin/run.ts' },
    outdir,
    bundle: true,
    // Keeps cli/main.ts's dynamic import of the component a separate file: `translate` loads no
    // werift or pino.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  };
}

export async function buildServer(outdir: string = SERVER_OUTDIR): Promise<Metafile> {
  const result = await build(serverBuildOptions(outdir));
  return result.metafile;
}

/** The packages the built files import (by package name, node builtins left out), sorted. */
export function importedPackages(metafile: Metafile): string[] {
  const builtins = new Set(builtinModules);
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || builtins.has(imp.path)) continue;
      const parts = imp.path.split('/');
      names.add(imp.path.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
    }
  }
  return [...names].sort();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2] ?? SERVER_OUTDIR;
  await buildServer(outdir);
  process.stdout.write(`built ${outdir}/${SERVER_ENTRY}\n`);
}
