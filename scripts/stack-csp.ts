/**
 * The security headers of the web page (issue 12 item 9). Pure: the header values only.
 *
 * The built client is one module script and its assets from the same origin; Lit's styles are
 * constructable stylesheets, which style-src does not govern, so neither scripts nor styles need
 * 'unsafe-inline'. The page talks to its own origin (host-meta, the XMPP WebSocket) and, to find a
 * user's WebSocket by XEP-0156, to https://<the user's domain>/.well-known/host-meta: those domains
 * are named. CSP Level 3 lets 'self' match ws: on the same host, but older browsers do not, so the
 * WebSocket origin is named as well. Camera and microphone streams are MediaStreams, never URLs.
 */

/** A Host header we can safely put into the policy: a name or address and an optional port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export interface CspOptions {
  /** The Host the page was asked for (e.g. localhost:8080), whose ws:// endpoint the page may use. */
  host?: string;
  /** ws or wss: what the WebSocket of this origin uses (wss behind TLS). */
  websocketScheme?: 'ws' | 'wss';
  /** The users' XMPP domains, whose https host-meta (XEP-0156) the login may read. */
  xmppDomains?: readonly string[];
}

export function contentSecurityPolicy(o: CspOptions = {}): string {
  const ws = o.host !== undefined && HOST.test(o.host) ? ` ${o.websocketScheme ?? 'ws'}://${o.host.toLowerCase()}` : '';
  const hostMeta = (o.xmppDomains ?? []).filter((d) => HOST.test(d)).map((d) => ` https://${d.toLowerCase()}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${ws}${hostMeta}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every header the page and its assets carry. */
export function securityHeaders(o: CspOptions = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(o),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
