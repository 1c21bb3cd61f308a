/**
 * XEP-0215: External Service Discovery, https://xmpp.org/extensions/xep-0215.html (schema of v0.6),
 * namespace urn:xmpp:extdisco:2: the STUN and TURN servers a user should use, with (for TURN)
 * short-lived credentials, and their mapping to WebRTC's RTCIceServer.
 */
import type { Element } from 'ltx';
import { TranslateError } from '../errors.ts';
import { NS } from '../namespaces.ts';
import { el, elementNs, intAttr, isElement, localName, nsOf, optAttr, reqAttr } from '../xml.ts';

export interface ExternalService {
  type: string;
  host: string;
  port?: number;
  transport?: 'tcp' | 'udp';
  username?: string;
  password?: string;
  /** XMPP date-time after which the credentials no longer work. */
  expires?: string;
  restricted?: boolean;
  name?: string;
}

export type ExtdiscoQuery = 'services' | 'credentials';

export function parseServices(e: Element, maxServices = 32): ExternalService[] {
  const path = localName(e);
  if ((path !== 'services' && path !== 'credentials') || elementNs(e) !== NS.extdisco) {
    throw new TranslateError('malformed', `expected <services/> or <credentials/> in ${NS.extdisco}`, { element: path });
  }
  const out: ExternalService[] = [];
  for (const c of e.children) {
    if (!isElement(c) || localName(c) !== 'service' || nsOf(c, NS.extdisco) !== NS.extdisco) continue;
    if (out.length >= maxServices) throw new TranslateError('too-large', `more than ${maxServices} services`, { element: path });
    out.push(parseService(c, `${path}/service[${out.length}]`));
  }
  return out;
}

function parseService(c: Element, path: string): ExternalService {
  const s: ExternalService = { type: reqAttr(c, 'type', path), host: reqAttr(c, 'host', path) };
  const port = intAttr(c, 'port', 0, 65535, path);
  if (port !== undefined) s.port = port;
  const transport = optAttr(c, 'transport');
  if (transport === 'tcp' || transport === 'udp') s.transport = transport;
  else if (transport !== undefined) throw new TranslateError('invalid-value', 'transport must be tcp or udp', { element: path });
  for (const k of ['username', 'password', 'expires', 'name'] as const) {
    const v = optAttr(c, k);
    if (v !== undefined) s[k] = v;
  }
  const restricted = optAttr(c, 'restricted');
  if (restricted !== undefined) s.restricted = restricted === 'true' || restricted === '1';
  return s;
}

export function buildServices(query: ExtdiscoQuery, services: readonly ExternalService[]): Element {
  return el(
    query,
    { xmlns: NS.extdisco },
    services.map((s) =>
      el('service', {
        type: s.type,
        host: s.host,
        port: s.port === undefined ? undefined : String(s.port),
        transport: s.transport,
        username: s.username,
        password: s.password,
        expires: s.expires,
        restricted: s.restricted === undefined ? undefined : s.restricted ? '1' : '0',
        name: s.name,
      }),
    ),
  );
}

/** What RTCPeerConnection takes; defined here so Node code needs no DOM types. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/**
 * STUN/TURN services -> RTCIceServer entries (RFC 7064/7065 URIs). Services of other types are left
 * out: they are not ICE servers. IPv6 hosts are bracketed as URIs require.
 */
export function iceServersFromServices(services: readonly ExternalService[]): IceServer[] {
  const out: IceServer[] = [];
  for (const s of services) {
    if (!['stun', 'stuns', 'turn', 'turns'].includes(s.type)) continue;
    const host = s.host.includes(':') && !s.host.startsWith('[') ? `[${s.host}]` : s.host;
    let url = `${s.type}:${host}${s.port !== undefined ? `:${s.port}` : ''}`;
    if (s.type.startsWith('turn') && s.transport) url += `?transport=${s.transport}`;
    const server: IceServer = { urls: [url] };
    if (s.type.startsWith('turn')) {
      if (s.username !== undefined) server.username = s.username;
      if (s.password !== undefined) server.credential = s.password;
    }
    out.push(server);
  }
  return out;
}
