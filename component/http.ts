/** /health (200 when connected to the server, 503 when not) and /metrics, on loopback by default. */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Metrics } from './metrics.ts';

export async function startHttp(opts: { port: number; bind: string; metrics: Metrics; online: () => boolean }): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    try {
      respond(req.method, req.url, res);
    } catch {
      // A metrics or health callback that throws is a 500, not a crash.
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  const respond = (method: string | undefined, url: string | undefined, res: ServerResponse): void => {
    if (method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url === '/health') {
      const ok = opts.online();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ online: ok }));
    } else if (url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(opts.metrics.text());
    } else {
      res.writeHead(404).end();
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bind, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
