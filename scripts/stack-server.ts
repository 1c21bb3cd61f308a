/**
 * The demo stack's web server: the built client as static files, XEP-0156 host-meta naming the
 * WebSocket endpoint on this same origin, and that endpoint proxied to Prosody's. One origin means
 * the browser needs no CORS and no mixed content, however the stack is reached.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaders } from './stack-csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json',
};

export interface StackServerOptions {
  root: string;
  /** Prosody's HTTP port on 127.0.0.1, whose /xmpp-websocket we proxy. */
  prosodyHttpPort: number;
  port: number;
  /** The users' XMPP domains: the page may read their https host-meta (see stack-csp.ts). */
  xmppDomains?: readonly string[];
}

export function hostMeta(req: IncomingMessage): string {
  const host = req.headers.host ?? 'localhost';
  return JSON.stringify({ links: [{ rel: 'urn:xmpp:alt-connections:websocket', href: `ws://${host}/xmpp-websocket` }] });
}

export function startStackServer(opts: StackServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(securityHeaders({ host: req.headers.host, xmppDomains: opts.xmppDomains ?? [] }))) res.setHeader(name, value);
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    } catch {
      res.writeHead(400).end(); // a malformed %-escape must not throw in the server
      return;
    }
    if (path === '/.well-known/host-meta.json' || path === '/.well-known/host-meta') {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(hostMeta(req));
      return;
    }
    if (path.startsWith('/xmpp-websocket')) {
      // A plain GET (no upgrade) is passed on too: Prosody answers it with a short page.
      const proxied = request({ host: '127.0.0.1', port: opts.prosodyHttpPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      proxied.on('error', () => res.writeHead(502).end());
      req.pipe(proxied);
      return;
    }
    const file = normalize(join(opts.root, path === '/' ? 'index.html' : path));
    if (file !== join(opts.root, 'index.html') && !file.startsWith(opts.root + sep)) {
      res.writeHead(403).end();
      return;
    }
    let target = file;
    try {
      if (!statSync(target).isFile()) target = join(opts.root, 'index.html');
    } catch {
      target = join(opts.root, 'index.html'); // client-side routes fall back to the app
    }
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(target).on('error', () => res.end()).pipe(res);
  });
  // WebSocket upgrades: splice the browser's socket to Prosody's, replaying the request head.
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/xmpp-websocket')) {
      socket.destroy();
      return;
    }
    const upstream = connect(opts.prosodyHttpPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve(server));
  });
}
