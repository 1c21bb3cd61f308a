/**
 * XEP-0156: Discovering Alternative XMPP Connection Methods, https://xmpp.org/extensions/xep-0156.html
 * (v1.4): the WebSocket URL of a domain from `https://<domain>/.well-known/host-meta` (XRD XML) or
 * `host-meta.json` (JRD), link rel `urn:xmpp:alt-connections:websocket`.
 */
import { parseXml } from '../../schemas/xml-text.ts';
import { CLIENT_NS } from './ns.ts';
import { attr, elements } from './xml.ts';

export type FetchLike = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) =>
  Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface HostMetaOptions {
  /** Per request; the JSON and XML documents are asked for in parallel. Default 5 s. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /**
   * Origins asked after `https://<domain>`, e.g. the page's own origin when the client is served by
   * the XMPP host itself (the demo stack, a Prosody serving http_files). Default: the page's origin
   * in a browser, none in Node.
   */
  extraOrigins?: string[];
}

/** WebSocket URLs (ws:// or wss://) listed in a host-meta document, XML or JSON, in document order. */
export function websocketUrls(body: string): string[] {
  const text = body.trim();
  const hrefs: string[] = [];
  if (text.startsWith('{')) {
    const doc = JSON.parse(text) as { links?: unknown };
    for (const link of Array.isArray(doc.links) ? doc.links as unknown[] : []) {
      const l = link as { rel?: unknown; href?: unknown };
      if (l.rel === CLIENT_NS.altWebsocket && typeof l.href === 'string') hrefs.push(l.href);
    }
  } else {
    // Our XML parser takes XMPP's restricted XML: drop the declaration and comments a web server may add.
    const root = parseXml(text.replace(/^<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').trim());
    for (const link of elements(root)) {
      const href = attr(link, 'href');
      if (link.name === 'Link' && attr(link, 'rel') === CLIENT_NS.altWebsocket && href) hrefs.push(href);
    }
  }
  return hrefs.filter((h) => /^wss?:\/\/[^\s]+$/i.test(h));
}

/**
 * The page's own origin, for a JID of the domain this page is served from (the demo's `localhost`, a
 * Prosody serving the client itself): never for another domain, whose users this page's server does not
 * serve, so an unknown domain is not silently tried against it.
 */
export function pageOriginFor(domain: string, page: { origin?: string; hostname?: string } | undefined): string[] {
  const origin = page?.origin;
  const host = page?.hostname?.toLowerCase() ?? '';
  const wanted = domain.toLowerCase();
  if (!origin || !/^https?:/.test(origin)) return [];
  // The demo's page opened as http://127.0.0.1:8080 serves localhost as well: one machine, one server.
  return host === wanted || (LOOPBACK.has(host) && wanted === 'localhost') ? [origin] : [];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** What the search found: the URL, or whether any host-meta document answered at all. */
export interface WebsocketLookup {
  url: string | undefined;
  /** How many host-meta documents were fetched (found, with or without a WebSocket link). */
  documents: number;
}

/**
 * The domain's WebSocket URL: from `https://<domain>` first, then the extra origins; within one
 * origin wss:// first. Undefined if no document lists one, none can be fetched within the timeout,
 * or none parses. All documents are asked for in parallel.
 */
export async function discoverWebsocket(domain: string, options: HostMetaOptions = {}): Promise<string | undefined> {
  return (await lookupWebsocket(domain, options)).url;
}

/** As discoverWebsocket, and says whether the domain has host-meta at all (to tell "no server" from "no WebSocket"). */
export async function lookupWebsocket(domain: string, options: HostMetaOptions = {}): Promise<WebsocketLookup> {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const timeoutMs = options.timeoutMs ?? 5_000;
  let documents = 0;
  const one = async (url: string, accept: string): Promise<string[]> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await doFetch(url, { signal: controller.signal, headers: { accept } });
      if (!res.ok) return [];
      const text = await res.text();
      documents++;
      return websocketUrls(text);
    } catch {
      return [];
    } finally {
      clearTimeout(timer);
    }
  };
  const page = (globalThis as { location?: { origin?: string; hostname?: string } }).location;
  const origins = [...new Set([`https://${domain}`, ...(options.extraOrigins ?? pageOriginFor(domain, page))])];
  const found = await Promise.all(origins.map(async (origin) => {
    const [json, xml] = await Promise.all([
      one(`${origin}/.well-known/host-meta.json`, 'application/json'),
      one(`${origin}/.well-known/host-meta`, 'application/xrd+xml'),
    ]);
    const all = [...json, ...xml];
    return all.find((u) => u.toLowerCase().startsWith('wss:')) ?? all[0];
  }));
  return { url: found.find((u) => u !== undefined), documents };
}
