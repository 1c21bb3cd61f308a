import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../component/backoff.ts';
import { RateLimiter } from '../../component/rate-limit.ts';
import { turnCredentials, xmppDateTime } from '../../component/services/turn-credentials.ts';
import { crc32 } from '../../component/stun/crc32.ts';
import { MAGIC_COOKIE, parseAddress, readBindingRequest, writeBindingSuccess } from '../../component/stun/message.ts';

describe('TURN REST credentials', () => {
  it('are coturn\'s form: expiry:user and base64 HMAC-SHA1 of it', () => {
    const c = turnCredentials('topsecret', 'alice@example.com', 3600, 1_700_000_000_500);
    expect(c.username).toBe('1700003600:alice@example.com');
    expect(c.password).toBe(createHmac('sha1', 'topsecret').update(c.username).digest('base64'));
    expect(xmppDateTime(c.expiry)).toBe('2023-11-14T23:13:20Z');
  });
});

describe('rate limiter', () => {
  it('allows a burst of the per-minute rate, then refills over time', () => {
    const r = new RateLimiter(3);
    expect([1, 2, 3, 4].map(() => r.take('a', 0))).toEqual([true, true, true, false]);
    expect(r.take('b', 0)).toBe(true);
    expect(r.take('a', 19_000)).toBe(false);
    expect(r.take('a', 21_000)).toBe(true);
  });
  it('forgets full buckets and bounds the keys it tracks', () => {
    const r = new RateLimiter(1, 1, 2);
    expect(r.take('a', 0) && r.take('b', 0)).toBe(true);
    expect(r.take('c', 0)).toBe(false);
    expect(r.take('c', 60_000)).toBe(true);
    expect(r.size).toBeLessThanOrEqual(2);
  });
});

describe('backoff', () => {
  it('grows exponentially up to the ceiling, with jitter, and resets', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => b.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect(low.next()).toBe(50);
  });
});

describe('STUN message', () => {
  function request(withFingerprint: boolean): Uint8Array {
    const len = withFingerprint ? 8 : 0;
    const m = new Uint8Array(20 + len);
    const v = new DataView(m.buffer);
    v.setUint16(0, 0x0001);
    v.setUint16(2, len);
    v.setUint32(4, MAGIC_COOKIE);
    m.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 8);
    if (withFingerprint) {
      v.setUint16(20, 0x8028);
      v.setUint16(22, 4);
      v.setUint32(24, (crc32(m.subarray(0, 20)) ^ 0x5354554e) >>> 0);
    }
    return m;
  }

  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('answers a Binding request with the XOR-mapped address and a valid fingerprint', () => {
    const req = readBindingRequest(request(true));
    expect(typeof req).toBe('object');
    const res = writeBindingSuccess(req as { transactionId: Uint8Array }, '192.0.2.7', 54321, 'test')!;
    const v = new DataView(res.buffer);
    expect(v.getUint16(0)).toBe(0x0101);
    expect(v.getUint16(2)).toBe(res.length - 20);
    expect(v.getUint16(20)).toBe(0x0020);
    expect(v.getUint16(26) ^ (MAGIC_COOKIE >>> 16)).toBe(54321);
    expect([...res.subarray(28, 32)].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42][i]!)).toEqual([192, 0, 2, 7]);
    const fpAt = res.length - 8;
    expect(v.getUint16(fpAt)).toBe(0x8028);
    expect(v.getUint32(fpAt + 4)).toBe((crc32(res.subarray(0, fpAt)) ^ 0x5354554e) >>> 0);
  });

  it('XORs IPv6 with the cookie and the transaction id', () => {
    const req = readBindingRequest(request(false)) as { transactionId: Uint8Array };
    const res = writeBindingSuccess(req, '::1', 9)!;
    const addr = res.subarray(28, 44);
    const key = [0x21, 0x12, 0xa4, 0x42, ...req.transactionId];
    expect([...addr].map((b, i) => b ^ key[i]!)).toEqual([...parseAddress('::1')!]);
    expect(new DataView(res.buffer).getUint8(25)).toBe(0x02);
  });

  it.each([
    ['too short', new Uint8Array(10), 'not-stun'],
    ['no magic cookie', (() => { const m = request(false); m[4] = 0; return m; })(), 'not-stun'],
    ['a response, not a request', (() => { const m = request(false); m[1] = 0x01; m[0] = 0x01; return m; })(), 'not-binding-request'],
    ['length disagrees', (() => { const m = request(false); m[3] = 4; return m; })(), 'bad-length'],
    ['bad fingerprint', (() => { const m = request(true); m[27] = (m[27] ?? 0) ^ 1; return m; })(), 'bad-fingerprint'],
  ])('refuses %s', (_name, msg, why) => {
    expect(readBindingRequest(msg)).toBe(why);
  });

  it('parses the addresses it is handed', () => {
    expect([...parseAddress('::ffff:10.0.0.1')!]).toEqual([10, 0, 0, 1]);
    expect([...parseAddress('fd00::2')!]).toEqual([0xfd, 0, ...Array(13).fill(0), 2]);
    expect(parseAddress('300.1.1.1')).toBeUndefined();
  });
});
