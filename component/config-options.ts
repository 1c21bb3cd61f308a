/**
 * Every option the component takes, declared as data: its name (flag, env and file key derive from
 * it), how to parse and check it, its default. Names begin with their service's noun, as Prosody's do.
 */

import { parseCidr, type Cidr } from './net/cidr.ts';
import { parseIp } from './net/ip.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface OptionValues {
  service: string;
  domain: string;
  secret: string;
  hosts: string[];
  'turn-secret': string | undefined;
  'turn-host': string;
  'turn-port': number;
  'turn-ttl': number;
  'turn-transports': ('udp' | 'tcp')[];
  'stun-port': number;
  'stun-bind': string;
  'stun-host': string;
  'http-port': number;
  'http-bind': string;
  'log-level': LogLevel;
  'credentials-per-minute': number;
  'echo-max-seconds': number;
  'echo-max-sessions': number;
  'echo-max-per-user': number;
  'echo-calls-per-minute': number;
  'echo-bind': string | undefined;
  'echo-allow-networks': Cidr[];
  'echo-max-candidates': number;
  'echo-idle-seconds': number;
  'echo-media': 'on' | 'off';
  'max-stanza-bytes': number;
  'stanzas-per-minute': number;
  'max-sdp-line-length': number;
  'max-media': number;
  'max-list-length': number;
}

type Problem = { problem: string };
export interface OptionSpec {
  key: keyof OptionValues;
  describe: string;
  required?: boolean;
  /** A value, or one computed from the options before it in this list. */
  default?: unknown | ((earlier: Record<string, unknown>) => unknown);
  parse: (raw: string) => unknown | Problem;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function domain(raw: string): string | Problem {
  return DOMAIN.test(raw) ? raw.toLowerCase() : { problem: 'must be a domain name like jingle.example.com' };
}

function integer(min: number, max: number, what: string) {
  return (raw: string): number | Problem => {
    const n = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
    return n >= min && n <= max ? n : { problem: `must be ${what} from ${min} to ${max}` };
  };
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && 'problem' in v;
}

function list<T>(item: (raw: string) => T | Problem) {
  return (raw: string): T[] | Problem => {
    const out: T[] = [];
    for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const v = item(part);
      if (isProblem(v)) return v;
      out.push(v);
    }
    return out.length > 0 ? out : { problem: 'must list at least one value, separated by commas' };
  };
}

/** An address to listen on: a host name, or an IP literal, IPv6 link-local with its zone (fe80::1%eth0). */
function bindHost(raw: string): string | Problem {
  return DOMAIN.test(raw) || parseIp(raw) !== undefined ? raw : { problem: 'must be a host name or an IP address (a link-local IPv6 one with its %zone)' };
}

function host(raw: string): string | Problem {
  return DOMAIN.test(raw) || /^[0-9.]+$/.test(raw) || /^[0-9a-f:]+$/i.test(raw) ? raw : { problem: 'must be a host name or an IP address' };
}

/** The domain above the component's own: jingle.example.com serves example.com. */
function parentDomain(earlier: Record<string, unknown>): string[] | undefined {
  const d = earlier.domain as string | undefined;
  const dot = d?.indexOf('.') ?? -1;
  return d && dot > 0 ? [d.slice(dot + 1)] : undefined;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'service', required: true, describe: 'the server\'s component port, e.g. xmpp://127.0.0.1:5347',
    parse: (raw) => (/^xmpps?:\/\/[^\s/:]+:\d{1,5}$/.test(raw) ? raw : { problem: 'must look like xmpp://HOST:PORT' }),
  },
  { key: 'domain', required: true, describe: 'the component\'s address, e.g. jingle.example.com', parse: domain },
  {
    key: 'secret', required: true, describe: 'the component secret from the server\'s config',
    parse: (raw) => (raw.length >= 1 && raw.length <= 1024 ? raw : { problem: 'must be 1 to 1024 characters' }),
  },
  { key: 'hosts', describe: 'user domains this component serves', default: parentDomain, required: true, parse: list(domain) },
  {
    key: 'turn-secret', describe: 'the coturn static-auth-secret (TURN credentials are only offered with it)',
    parse: (raw) => (raw.length >= 8 ? raw : { problem: 'must be at least 8 characters' }),
  },
  { key: 'turn-host', describe: 'the TURN server\'s host', default: (e: Record<string, unknown>) => (e.hosts as string[] | undefined)?.[0], parse: host },
  { key: 'turn-port', describe: 'the TURN server\'s port', default: 3478, parse: integer(1, 65535, 'a port') },
  {
    key: 'turn-ttl', describe: 'seconds TURN credentials stay valid; longer than the longest call, since coturn checks them on refresh',
    default: 86400, parse: integer(60, 7 * 86400, 'seconds'),
  },
  {
    key: 'turn-transports', describe: 'TURN transports offered', default: ['udp', 'tcp'],
    parse: list((raw) => (raw === 'udp' || raw === 'tcp' ? raw : { problem: 'must list udp and/or tcp' })),
  },
  { key: 'stun-port', describe: 'UDP port of the built-in STUN server, 0 = off', default: 3478, parse: integer(0, 65535, 'a port') },
  { key: 'stun-bind', describe: 'address the STUN server listens on', default: '0.0.0.0', parse: bindHost },
  { key: 'stun-host', describe: 'host name clients use for the built-in STUN server', default: (e: Record<string, unknown>) => e['turn-host'], parse: host },
  { key: 'http-port', describe: 'HTTP port for /health and /metrics, 0 = off', default: 0, parse: integer(0, 65535, 'a port') },
  { key: 'http-bind', describe: 'address the HTTP server listens on', default: '127.0.0.1', parse: host },
  {
    key: 'log-level', describe: 'fatal, error, warn, info, debug or trace', default: 'info',
    parse: (raw) => (['fatal', 'error', 'warn', 'info', 'debug', 'trace'].includes(raw) ? raw : { problem: 'must be fatal, error, warn, info, debug or trace' }),
  },
  { key: 'credentials-per-minute', describe: 'TURN credential requests one user may make per minute', default: 10, parse: integer(1, 10000, 'a count') },
  { key: 'echo-max-seconds', describe: 'longest echo test call, in seconds', default: 120, parse: integer(5, 3600, 'seconds') },
  { key: 'echo-max-sessions', describe: 'concurrent echo calls in all', default: 20, parse: integer(1, 10000, 'a count') },
  { key: 'echo-max-per-user', describe: 'concurrent echo calls of one user', default: 2, parse: integer(1, 100, 'a count') },
  { key: 'echo-calls-per-minute', describe: 'echo calls one user may start a minute', default: 10, parse: integer(1, 10000, 'a count') },
  {
    key: 'max-stanza-bytes', describe: 'largest stanza the component handles; larger ones get policy-violation',
    default: 65536, parse: integer(1024, 16 * 1024 * 1024, 'bytes'),
  },
  {
    key: 'stanzas-per-minute', describe: 'stanzas one user may send the component a minute; more get resource-constraint',
    default: 1200, parse: integer(10, 1_000_000, 'a count'),
  },
  {
    key: 'max-sdp-line-length', describe: 'longest SDP line the translator reads or writes, in characters; longer ones get bad-request (4096 also bounds every Jingle attribute value)',
    default: 4096, parse: integer(256, 4096, 'characters'),
  },
  {
    key: 'max-media', describe: 'm= lines (Jingle contents) in one description; more get bad-request',
    default: 64, parse: integer(1, 1024, 'a count'),
  },
  {
    key: 'max-list-length', describe: 'entries of one kind in one m= line (candidates, codecs, sources, header extensions...); more get bad-request. 1024 holds a jicofo conference of 100 with simulcast (600 video sources, 400 ssrc-groups)',
    default: 1024, parse: integer(16, 100_000, 'a count'),
  },
  {
    key: 'echo-bind', describe: 'IP address the echo peer\'s media uses (default: every interface but loopback, as a browser does)',
    parse: (raw) => (/^[0-9.]+$/.test(raw) || /^[0-9a-f:]+$/i.test(raw) ? raw : { problem: 'must be an IP address' }),
  },
  {
    key: 'echo-allow-networks', default: [],
    describe: 'networks (CIDR, comma-separated) the echo peer may send to besides public unicast addresses, e.g. 127.0.0.0/8,::1/128 for a demo or tests on loopback; loopback, private, link-local, multicast and reserved addresses are refused unless listed',
    parse: list((raw): Cidr | { problem: string } => {
      const c = parseCidr(raw);
      return 'problem' in c ? { problem: `must list networks like 127.0.0.0/8,::1/128: ${c.problem}` } : c;
    }),
  },
  {
    key: 'echo-max-candidates', describe: 'remote ICE candidates one echo call uses (offer and trickle together); more are ignored',
    default: 20, parse: integer(1, 100, 'a count'),
  },
  {
    key: 'echo-idle-seconds', describe: 'an echo call whose echoed packets stop growing for this long is ended (a dead call must not hold a slot for echo-max-seconds)',
    default: 20, parse: integer(5, 3600, 'seconds'),
  },
  {
    key: 'echo-media', default: 'on',
    describe: 'on: the echo peer sends media back (werift); off, for load tests of the signalling only: it answers with an SDP built from the offer, no WebRTC stack, no sockets, no media',
    parse: (raw) => (raw === 'on' || raw === 'off' ? raw : { problem: 'must be on or off' }),
  },
];
