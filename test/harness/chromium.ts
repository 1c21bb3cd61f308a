// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for e2e tests.
// Pages are served over http://localhost from a throwaway node:http server: getUserMedia and other
// secure-context APIs are only available on https or localhost origins, not on about:blank or file:.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

// Flags from SERVERS.md. mDNS hiding is off so candidates carry real loopback/host addresses.
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export interface BrowserPage {
  /** The current page; replaced by livePage() after a renderer crash. */
  readonly page: Page;
  browser: Browser;
  /** e.g. `http://localhost:41234/`; the page starts there, on a blank document. */
  baseUrl: string;
  /**
   * The current page, or a new one at baseUrl if it crashed or was closed. Chromium 156's renderer
   * crashes on some bad SDP (an answer that moves the sdes:mid extension to another id), and one
   * crash must not fail every later check of a test file.
   */
  livePage(): Promise<Page>;
  /** Closes the browser and the HTTP server; safe to call twice and after a failed launch step. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Serve files from this directory too (GET /x.js -> DIR/x.js). `/` is always the blank page. */
  staticDir?: string;
  /** Fixed responses by path, served before staticDir (e.g. `/.well-known/host-meta.json`). */
  routes?: Record<string, { type: string; body: string }>;
}

const BLANK_PAGE = '<!doctype html><meta charset="utf-8"><title>jingle-gateway test</title>';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
};

function startServer(staticDir: string | undefined, routes: LaunchOptions['routes'] = {}): Promise<Server> {
  const root = staticDir === undefined ? undefined : resolve(staticDir);
  const server = createServer((req, res) => {
    let path: string;
    try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname); }
    catch { res.writeHead(400).end(); return; } // malformed %-escape: must not throw in the server
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route !== undefined) { res.writeHead(200, { 'content-type': route.type }).end(route.body); return; }
    if (path === '/' || root === undefined) {
      res.writeHead(path === '/' ? 200 : 404, { 'content-type': TYPES['.html'] ?? 'text/html' });
      res.end(path === '/' ? BLANK_PAGE : 'not found');
      return;
    }
    const file = resolve(root, '.' + path);
    // Refuse anything that escapes the directory (../, encoded or not).
    if (!file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
    readFile(file).then(
      (body) => { res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body); },
      () => { res.writeHead(404).end('not found'); },
    );
  });
  // Loopback only (SERVERS.md): never listen beyond 127.0.0.1. Port 0 = a free port.
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

function stopServer(server: Server): Promise<void> {
  server.closeAllConnections(); // keep-alive sockets from Chromium would otherwise hold close() open
  return new Promise((ok) => server.close(() => ok()));
}

export async function launchBrowserPage(options: LaunchOptions = {}): Promise<BrowserPage> {
  const server = await startServer(options.staticDir, options.routes);
  let browser: Browser | undefined;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      try { await browser?.close(); } finally { await stopServer(server); }
    })();
    return closed;
  };
  try {
    const { port } = server.address() as AddressInfo;
    // "localhost", not 127.0.0.1: Chromium treats http://localhost as a secure context.
    const baseUrl = `http://localhost:${port}/`;
    const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    browser = b;
    let crashed = false;
    const open = async (): Promise<Page> => {
      const p = await b.newPage();
      crashed = false;
      p.on('crash', () => { crashed = true; });
      await p.goto(baseUrl);
      return p;
    };
    let page = await open();
    const livePage = async (): Promise<Page> => {
      if (crashed || page.isClosed()) {
        await page.close().catch(() => undefined);
        page = await open();
      }
      return page;
    };
    return { get page() { return page; }, browser: b, baseUrl, livePage, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}

export type Acceptance = { ok: true } | { ok: false; error: string };

interface PageArgs { sdp: string; type: 'offer' | 'answer'; offer: string | null }

/**
 * Does Chromium accept `sdp` in setRemoteDescription? Runs in `page`, with fresh peer connections.
 *
 * Offers are set directly. An answer needs a pc1 with a local offer it answers, and Chromium 156
 * refuses setLocalDescription with any SDP it did not generate itself ("The SDP does not match the
 * previously generated SDP for this type"), so the offer text cannot be installed as-is. Instead pc1
 * takes `offerForAnswer` as a *remote* offer, answers it, then makes its own re-offer: that re-offer
 * keeps the offer's mids, payload types and header-extension ids (Chromium refuses an answer that
 * reassigns extension ids, so a plain createOffer() fails for Firefox answers). Each transceiver is
 * first set to the direction the offer declared, so a wrong answer direction is still caught.
 * Without `offerForAnswer`, pc1 makes a plain offer with the answer's m-line kinds, in order
 * (good enough for Chromium-made answers only).
 */
export async function acceptsRemoteDescription(
  page: Page, sdp: string, type: 'offer' | 'answer', offerForAnswer?: string,
): Promise<Acceptance> {
  const args: PageArgs = { sdp, type, offer: offerForAnswer ?? null };
  // The callback runs in the browser: it must be self-contained (no imports, no outer variables).
  return page.evaluate(async ({ sdp, type, offer }: PageArgs): Promise<Acceptance> => {
    let pc: RTCPeerConnection | undefined;
    try {
      pc = new RTCPeerConnection();
      if (type === 'answer' && offer !== null) {
        // Direction per mid as the offerer declared it (media level, else session level, else sendrecv).
        const directions = new Map<string, RTCRtpTransceiverDirection>();
        let session: RTCRtpTransceiverDirection = 'sendrecv';
        let inMedia = false;
        let mid: string | null = null;
        let media: RTCRtpTransceiverDirection | null = null;
        for (const line of [...offer.split(/\r?\n/), 'm=end']) {
          const dir = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line)?.[1] as RTCRtpTransceiverDirection | undefined;
          if (line.startsWith('m=')) {
            if (mid !== null) directions.set(mid, media ?? session);
            inMedia = true; mid = null; media = null;
          } else if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
          else if (dir !== undefined) { if (inMedia) media = dir; else session = dir; }
        }
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        for (const t of pc.getTransceivers()) {
          const d = t.mid === null ? undefined : directions.get(t.mid);
          if (d !== undefined) t.direction = d;
        }
        await pc.setLocalDescription(); // pc1's answer to the offer, only to enter the "stable" state
        await pc.setLocalDescription(); // pc1's own re-offer, which the fixture answer must fit
      } else if (type === 'answer') {
        for (const line of sdp.split(/\r?\n/)) {
          const kind = /^m=(\w+) /.exec(line)?.[1];
          if (kind === 'application') pc.createDataChannel('probe');
          else if (kind !== undefined) pc.addTransceiver(kind);
        }
        await pc.setLocalDescription();
      }
      await pc.setRemoteDescription({ type, sdp });
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      pc?.close();
    }
  }, args).catch(crashAsRefusal);
}

/**
 * A renderer crash is Chromium refusing the SDP the hard way: report it, keep the test running
 * (call livePage() for the next check). Anything else (browser gone) is a harness failure.
 */
export function crashAsRefusal(err: unknown): Acceptance {
  const message = err instanceof Error ? err.message : String(err);
  if (/Target crashed/i.test(message)) return { ok: false, error: 'Chromium renderer crashed in setRemoteDescription' };
  throw err;
}
