// Builds the web client (client/index.html + client/main.ts) into static files in dist/client that
// Prosody's http_files, nginx or any web server can serve under any path (relative asset URLs).
import { defineConfig, type Plugin } from 'vite';

/**
 * @xmpp/resolve's package.json maps "./lib/dns" away for browsers, but it imports "./lib/dns.js", so
 * node:dns would reach the bundle. Its browser behaviour (no DNS SRV lookups) is an empty module.
 */
function xmppResolveWithoutDns(): Plugin {
  const stub = '\0xmpp-resolve-dns-stub';
  return {
    name: 'xmpp-resolve-without-dns',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === './lib/dns.js' && importer?.includes('/@xmpp/resolve/') ? stub : undefined;
    },
    load(id) {
      return id === stub ? 'export const resolve = undefined;' : undefined;
    },
  };
}

export default defineConfig({
  root: 'client',
  base: './',
  publicDir: false,
  plugins: [xmppResolveWithoutDns()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    reportCompressedSize: false,
  },
});
