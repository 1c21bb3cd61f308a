/**
 * Which of a caller's ICE candidates the echo peer may use. Each one makes werift send STUN Binding
 * requests (carrying a ufrag the caller chose) to the address in it, so without a policy any user of
 * a served domain could aim our UDP at loopback services, the LAN behind us, or a victim on the
 * Internet, with amplification (issue 12 item 1: one transport-info of 250 candidates, 2,500
 * datagrams). Only UDP candidates with a literal public unicast address, or one inside the operator's
 * `echo-allow-networks`, are used, and at most `max` per call. Pure.
 */
import { checkRemoteAddress, type AddressClass } from '../net/address-class.ts';
import type { Cidr } from '../net/cidr.ts';

export type CandidateRefusal = AddressClass | 'hostname' | 'mdns' | 'zone' | 'not-udp' | 'bad-port' | 'malformed' | 'limit';

export type CandidateVerdict =
  | { ok: true }
  /** `first` is set on the first refusal for `limit`, so it is logged once per call, not per candidate. */
  | { ok: false; reason: CandidateRefusal; address?: string; first?: boolean };

export class RemoteCandidatePolicy {
  #used = 0;
  #limitHit = false;
  readonly #seen = new Set<string>();

  constructor(
    private readonly allow: readonly Cidr[],
    private readonly max = 20,
  ) {}

  /** Candidates used so far. */
  get used(): number {
    return this.#used;
  }

  /** Checks one `candidate:` attribute (with or without `a=`); counts it against the limit if used. */
  admit(line: string): CandidateVerdict {
    // RFC 8839 5.1: foundation component-id transport priority connection-address port typ ...
    const f = line.trim().replace(/^a=/, '').split(/\s+/);
    if (f.length < 8 || !/^candidate:/i.test(f[0] ?? '')) return { ok: false, reason: 'malformed' };
    const [, , transport, , address = '', portText = ''] = f;
    if ((transport ?? '').toLowerCase() !== 'udp') return { ok: false, reason: 'not-udp', address };
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return { ok: false, reason: 'bad-port', address };
    const verdict = checkRemoteAddress(address, this.allow);
    if (!verdict.ok) return { ok: false, reason: verdict.reason, address };
    // The same address and port again (another component, a repeated trickle) costs nothing new.
    const key = `${address} ${portText}`;
    if (this.#seen.has(key)) return { ok: true };
    if (this.#used >= this.max) {
      const first = !this.#limitHit;
      this.#limitHit = true;
      return { ok: false, reason: 'limit', address, first };
    }
    this.#seen.add(key);
    this.#used++;
    return { ok: true };
  }
}
