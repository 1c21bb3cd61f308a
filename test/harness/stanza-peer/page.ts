// Opening the built StanzaJS peer page in a browser context of its own and driving its window API.
// The page is served over http://localhost (a secure context, for getUserMedia) by a small server on
// loopback: a page Playwright fulfils itself has no address space, and Chromium's Local Network Access
// checks then block its WebSocket to Prosody on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { EndedInfo, InboundBytes, PeerCallInfo } from './api.ts';
import { buildStanzaPeer } from './build.ts';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json' };

export interface StanzaPeer {
  page: Page;
  /** The bound full JID, after login. */
  jid: string;
  /** Console messages and uncaught errors of the page. */
  logs: string[];
  /** Closes the page's context and its server. */
  close(): Promise<void>;
  login(jid: string, password: string, websocket: string): Promise<string>;
  call(jid: string, video: boolean): Promise<void>;
  accept(): Promise<void>;
  mute(kind: 'audio' | 'video', muted: boolean): Promise<void>;
  /** Ends the call, or declines a ringing one, with this reason (default success). */
  hangUp(condition?: string): Promise<void>;
  info(): Promise<PeerCallInfo>;
  stats(): Promise<InboundBytes>;
  lastEnded(): Promise<EndedInfo | null>;
  online(): Promise<Record<string, string[]>>;
  traffic(): Promise<string[]>;
  /** Waits until the call is in `state`; the error says what it is instead. */
  waitState(state: PeerCallInfo['state'], timeout?: number): Promise<void>;
  /** Waits until the inbound bytes of `kind` grow past what they are now. */
  grows(kind: keyof InboundBytes, timeout?: number): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (a free port); only files inside it. */
function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const file = normalize(join(dir, new URL(req.url ?? '/', 'http://localhost').pathname));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

/** Builds the page if needed and opens it in a new context of `browser`. */
export async function openStanzaPeer(browser: Browser): Promise<StanzaPeer> {
  const dist = await buildStanzaPeer();
  const server = await serve(dist);
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => { logs.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => { logs.push(`pageerror: ${e.message}`); });
  const close = async (): Promise<void> => {
    await context.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  };
  await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/index.html`).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  await page.waitForFunction(() => window.stanzaPeer !== undefined);

  const api = <T>(fn: (arg: unknown) => T | Promise<T>, arg?: unknown): Promise<T> => page.evaluate(fn, arg);
  const peer: StanzaPeer = {
    page, jid: '', logs, close,
    async login(jid, password, websocket) {
      try {
        peer.jid = await api((o) => window.stanzaPeer!.login(o as { jid: string; password: string; websocket: string }), { jid, password, websocket });
      } catch (err) {
        throw new Error(`StanzaJS peer: ${jid} could not log in: ${(err as Error).message}\n${logs.join('\n')}`);
      }
      return peer.jid;
    },
    call: (jid, video) => api((a) => { const [j, v] = a as [string, boolean]; return window.stanzaPeer!.call(j, v); }, [jid, video]),
    accept: () => api(() => window.stanzaPeer!.accept()),
    mute: (kind, muted) => api((a) => { const [k, m] = a as ['audio' | 'video', boolean]; return window.stanzaPeer!.mute(k, m); }, [kind, muted]),
    hangUp: (condition = 'success') => api((c) => window.stanzaPeer!.hangUp(c as string), condition),
    info: () => api(() => window.stanzaPeer!.info()),
    stats: () => api(() => window.stanzaPeer!.stats()),
    lastEnded: () => api(() => window.stanzaPeer!.lastEnded()),
    online: () => api(() => window.stanzaPeer!.online()),
    traffic: () => api(() => window.stanzaPeer!.traffic()),
    async waitState(state, timeout = 15_000) {
      await expect.poll(async () => (await peer.info()).state, { timeout, message: `StanzaJS peer should be ${state}` }).toBe(state);
    },
    async grows(kind, timeout = 10_000) {
      const start = (await peer.stats())[kind];
      await expect.poll(async () => (await peer.stats())[kind], { timeout, message: `StanzaJS peer: inbound ${kind} bytes should grow` }).toBeGreaterThan(start);
    },
  };
  return peer;
}
