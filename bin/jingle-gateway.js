#!/usr/bin/env node
// Entry point for `npx jingle-gateway`. A development install (tsx installed) runs the TypeScript
// sources, so a change is never hidden behind an old build; a production install
// (`npm ci --omit=dev`, no tsx) runs the JavaScript that `npm run build` wrote to dist/server.
// Either way bin/run.ts is what runs; systemd runs dist/server/jingle-gateway.js directly.
const built = new URL('../dist/server/jingle-gateway.js', import.meta.url);

async function tsxRegister() {
  try {
    return (await import('tsx/esm/api')).register;
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

const register = await tsxRegister();
if (register) {
  register();
  await import('./run.ts');
} else {
  try {
    await import(built.href);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(built.pathname)) throw err;
    process.stderr.write('jingle-gateway: no build in dist/server and no tsx to run the sources: run `npm run build` (or `npm ci` with dev dependencies)\n');
    process.exitCode = 1;
  }
}
