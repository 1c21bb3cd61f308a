/**
 * werift (0.24.4, and 0.25 per the report) hands every non-STUN datagram that reaches an ICE socket to
 * DTLS, whatever address it came from, and its DTLS socket treats any alert record, even an
 * unauthenticated plaintext one, as close_notify. So one 15-byte datagram from anywhere ends any echo
 * call. Only the caller's address is entitled to speak DTLS, RTP or SCTP to us: once ICE has selected a
 * pair, that pair's remote address; before, an address a connectivity check has succeeded with.
 * STUN still passes from anyone (werift checks its MESSAGE-INTEGRITY itself; ICE needs it from new
 * addresses). The filter sits on werift's per-socket receive method, the one seam before DTLS that
 * still knows the source address; those are internals, so this checks they are there and fails the
 * call (not the process) if an upgrade removed them.
 */
import { canonicalIp } from '../net/ip.ts';

type Address = readonly [host: string, port: number];

/** The little of werift's ICE Connection and CandidatePair this relies on. */
interface Pair {
  remoteCandidate: { host: string; port: number };
  state?: number;
}
interface IceConnection {
  nominated?: Pair;
  checkList?: Pair[];
  ensureProtocol(protocol: object): void;
}
export interface IceTransportLike {
  connection: unknown;
}

/** werift's CandidatePairState.SUCCEEDED. */
const SUCCEEDED = 3;
/** The receive methods of werift's StunProtocol (UDP host) and StunOverTurnProtocol (relayed). */
const RECEIVERS = ['datagramReceived', 'handleStunMessage'] as const;

/** RFC 7983 demultiplexing: a first byte of 0-3 is STUN; DTLS is 20-63, RTP/RTCP 128-191. */
export function isStun(data: Uint8Array): boolean {
  return data.length >= 20 && (data[0] as number) < 4;
}

function same(a: Address, b: { host: string; port: number }): boolean {
  return a[1] === b.port && (a[0] === b.host || (canonicalIp(a[0]) ?? a[0]) === (canonicalIp(b.host) ?? b.host));
}

/** Whether a datagram from `from` may go on past ICE. Pure apart from reading the connection's pairs. */
export function admitDatagram(data: Uint8Array, from: Address, conn: Pick<IceConnection, 'nominated' | 'checkList'>): boolean {
  if (isStun(data)) return true;
  if (conn.nominated) return same(from, conn.nominated.remoteCandidate);
  return (conn.checkList ?? []).some((p) => p.state === SUCCEEDED && same(from, p.remoteCandidate));
}

function isConnection(c: unknown): c is IceConnection {
  return typeof c === 'object' && c !== null && typeof (c as IceConnection).ensureProtocol === 'function';
}

/**
 * Filters what reaches DTLS on every socket the transports' ICE connections open from now on (call
 * before gathering, i.e. before setLocalDescription). `onDrop` sees each datagram dropped.
 */
export function guardIceTransports(transports: readonly IceTransportLike[], onDrop: (from: Address) => void): void {
  for (const t of transports) {
    const conn = t.connection;
    if (!isConnection(conn)) throw new Error('echo peer: werift has no ICE connection.ensureProtocol to guard (internals changed)');
    if ((conn as { jgGuarded?: boolean }).jgGuarded) continue;
    (conn as { jgGuarded?: boolean }).jgGuarded = true;
    const ensure = conn.ensureProtocol.bind(conn);
    conn.ensureProtocol = (protocol: object) => {
      guardProtocol(protocol, conn, onDrop);
      ensure(protocol);
    };
  }
}

function guardProtocol(protocol: object, conn: IceConnection, onDrop: (from: Address) => void): void {
  const p = protocol as Record<string, unknown>;
  const name = RECEIVERS.find((n) => typeof p[n] === 'function');
  if (!name) throw new Error('echo peer: a werift ICE protocol without a known receive method (internals changed)');
  const receive = (p[name] as (data: Buffer, addr: Address) => void).bind(protocol);
  p[name] = (data: Buffer, addr: Address) => {
    if (admitDatagram(data, addr, conn)) receive(data, addr);
    else onDrop(addr);
  };
}
