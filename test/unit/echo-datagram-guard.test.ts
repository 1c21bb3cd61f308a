// Which datagrams may pass werift's ICE sockets on to DTLS/SRTP (issue 12 item 2).
import { describe, expect, it } from 'vitest';
import { admitDatagram, guardIceTransports, isStun } from '../../component/services/echo-datagram-guard.ts';

const STUN = new Uint8Array(20);
const ALERT = Uint8Array.from([0x15, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 40]);
const RTP = Uint8Array.from([0x80, 0x60, ...new Array(20).fill(0)]);
const pair = (host: string, port: number, state = 3) => ({ remoteCandidate: { host, port }, state });

describe('admitDatagram', () => {
  it('STUN from anyone; everything else only from the selected pair\'s remote address', () => {
    const conn = { nominated: pair('203.0.113.5', 5000), checkList: [pair('203.0.113.5', 5000), pair('198.51.100.9', 6000)] };
    expect(isStun(STUN)).toBe(true);
    expect(isStun(ALERT)).toBe(false);
    expect(admitDatagram(STUN, ['192.0.2.66', 1], conn)).toBe(true);
    expect(admitDatagram(ALERT, ['203.0.113.5', 5000], conn)).toBe(true);
    expect(admitDatagram(RTP, ['203.0.113.5', 5000], conn)).toBe(true);
    expect(admitDatagram(ALERT, ['203.0.113.5', 5001], conn)).toBe(false);
    expect(admitDatagram(ALERT, ['192.0.2.66', 5000], conn)).toBe(false);
    // Another validated pair is not the selected one.
    expect(admitDatagram(RTP, ['198.51.100.9', 6000], conn)).toBe(false);
    expect(admitDatagram(ALERT, ['::ffff:203.0.113.5', 5000], conn)).toBe(true);
  });

  it('before a pair is selected: only from addresses a check has succeeded with', () => {
    const conn = { checkList: [pair('203.0.113.5', 5000, 3), pair('198.51.100.9', 6000, 2)] };
    expect(admitDatagram(ALERT, ['203.0.113.5', 5000], conn)).toBe(true);
    expect(admitDatagram(ALERT, ['198.51.100.9', 6000], conn)).toBe(false);
    expect(admitDatagram(ALERT, ['192.0.2.66', 1], {})).toBe(false);
  });
});

describe('guardIceTransports', () => {
  it('wraps the receive method of every protocol the connection sets up, and drops what it must', () => {
    const got: string[] = [];
    const dropped: string[] = [];
    const conn = {
      nominated: pair('127.0.0.1', 4000),
      ensureProtocol(p: { datagramReceived(d: Uint8Array, a: [string, number]): void }) { void p; },
    };
    guardIceTransports([{ connection: conn }], ([h, p]) => dropped.push(`${h}:${p}`));
    const protocol = { datagramReceived: (_d: Uint8Array, a: [string, number]) => void got.push(`${a[0]}:${a[1]}`) };
    conn.ensureProtocol(protocol);
    protocol.datagramReceived(ALERT, ['127.0.0.1', 4000]);
    protocol.datagramReceived(ALERT, ['127.0.0.1', 4001]);
    protocol.datagramReceived(STUN, ['127.0.0.1', 4001]);
    expect(got).toEqual(['127.0.0.1:4000', '127.0.0.1:4001']);
    expect(dropped).toEqual(['127.0.0.1:4001']);
  });

  it('refuses to run unguarded when werift\'s internals are not what it knows', () => {
    expect(() => guardIceTransports([{ connection: {} }], () => undefined)).toThrow(/internals changed/);
    const conn = { ensureProtocol: (_p: object) => undefined };
    guardIceTransports([{ connection: conn }], () => undefined);
    expect(() => conn.ensureProtocol({ somethingElse: () => undefined } as never)).toThrow(/internals changed/);
  });
});
