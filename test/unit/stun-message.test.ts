// The STUN server's parser and writer on what a hostile datagram or an odd source address holds
// (issue 12 item 3): nothing throws, and unknown comprehension-required attributes get a 420.
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../component/stun/crc32.ts';
import { parseAddress, readBindingRequest, writeBindingSuccess, writeUnknownAttributes, type BindingRequest } from '../../component/stun/message.ts';
import { TXID, bindingRequest, readMessage } from './stun-fixture.ts';

const XOR_KEY = [0x21, 0x12, 0xa4, 0x42, ...TXID];
const mappedAddress = (res: Uint8Array): number[] => [...readMessage(res).attrs.get(0x0020)!.subarray(4)].map((b, i) => b ^ XOR_KEY[i]!);

describe('source addresses the STUN server is handed', () => {
  const req = { transactionId: TXID };
  it.each([
    ['::1.2.3.4', [...Array(12).fill(0), 1, 2, 3, 4]],
    ['::ffff:1.2.3.4', [1, 2, 3, 4]],
    ['fe80::1%eth0.100', [0xfe, 0x80, ...Array(13).fill(0), 1]],
    ['fe80::1%2', [0xfe, 0x80, ...Array(13).fill(0), 1]],
    ['2001:db8::1', [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1]],
  ])('%s is answered with the address it stands for', (address, want) => {
    expect(() => writeBindingSuccess(req, address, 5000)).not.toThrow();
    const res = writeBindingSuccess(req, address, 5000)!;
    expect(mappedAddress(res)).toEqual(want);
    expect(readMessage(res).attrs.get(0x0020)![1]).toBe(want.length === 4 ? 1 : 2);
  });

  it.each(['300.1.1.1', '1:2', 'fe80::1%', '', 'not an address', '::1.2.3'])('%j is refused without a throw', (address) => {
    expect(() => parseAddress(address)).not.toThrow();
    expect(parseAddress(address)).toBeUndefined();
    expect(writeBindingSuccess(req, address, 5000)).toBeUndefined();
  });

  it('a port out of range is refused too', () => {
    expect(writeBindingSuccess(req, '192.0.2.1', 70000)).toBeUndefined();
  });
});

describe('comprehension-required attributes (RFC 8489 6.3.1.1, 14.13)', () => {
  const change = Uint8Array.from([0, 0, 0, 6]);
  it('lists the unknown ones once each, in order; credentials and optional ones are not listed', () => {
    const req = readBindingRequest(bindingRequest([
      [0x0003, change], [0x0006, new TextEncoder().encode('user')], [0x7abc, new Uint8Array(3)], [0x0003, change], [0xc057, new Uint8Array(4)], [0x8022, new Uint8Array(5)],
    ])) as BindingRequest;
    expect(req.unknown).toEqual([0x0003, 0x7abc]);
    expect((readBindingRequest(bindingRequest([[0x0006, new Uint8Array(4)], [0x8022, new Uint8Array(2)]])) as BindingRequest).unknown).toEqual([]);
  });

  it('a 420 error response carries ERROR-CODE 420, UNKNOWN-ATTRIBUTES and a valid FINGERPRINT', () => {
    const req = readBindingRequest(bindingRequest([[0x0003, change], [0x0024, new Uint8Array(4)]])) as BindingRequest;
    const res = writeUnknownAttributes(req, 'test');
    const { type, attrs } = readMessage(res);
    expect(type).toBe(0x0111);
    const code = attrs.get(0x0009)!;
    expect([code[2]! * 100 + code[3]!, new TextDecoder().decode(code.subarray(4))]).toEqual([420, 'Unknown Attribute']);
    const list = attrs.get(0x000a)!;
    expect([new DataView(list.buffer).getUint16(0), new DataView(list.buffer).getUint16(2)]).toEqual([0x0003, 0x0024]);
    expect([...res.subarray(8, 20)]).toEqual([...TXID]);
    expect(new DataView(res.buffer).getUint16(2)).toBe(res.length - 20);
    const fp = res.length - 8;
    expect(new DataView(res.buffer).getUint32(fp + 4)).toBe((crc32(res.subarray(0, fp)) ^ 0x5354554e) >>> 0);
    // An odd count of types is padded to 4 bytes.
    const one = writeUnknownAttributes({ transactionId: TXID, unknown: [0x0003] });
    expect(readMessage(one).attrs.get(0x000a)!.length).toBe(2);
    expect(one.length % 4).toBe(0);
  });
});
