// Issue 12 item 3: one datagram killed the component when its STUN server was bound to IPv6: Node
// reports sources like `::1.2.3.4` or `fe80::1%lo`, and parseAddress threw out of the 'message'
// handler. The server now answers them (and 420 to unknown comprehension-required attributes), and a
// failure inside its handler is logged, never thrown.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { startStunServer } from '../../component/stun/server.ts';
import { lastJson, runInNetns } from '../harness/netns.ts';
import { bindingRequest, readMessage } from '../unit/stun-fixture.ts';

const PROBE = 'test/integration/netns/stun-probe.ts';
type Reply = { from: string; type?: number; error?: number; unknown?: number[]; mapped?: number[] };

async function exchange(port: number, msg: Uint8Array): Promise<Buffer | undefined> {
  const s = createSocket('udp6');
  await new Promise<void>((resolve) => s.bind(0, '::1', () => resolve()));
  try {
    return await new Promise((resolve) => {
      const t = setTimeout(() => resolve(undefined), 1500);
      s.once('message', (m) => {
        clearTimeout(t);
        resolve(m);
      });
      s.send(msg, port, '::1');
    });
  } finally {
    s.close();
  }
}

describe('the STUN server on IPv6', () => {
  it('answers sources with an IPv4 tail and with a zone, inside a namespace, and keeps answering; binds to fe80::1%lo', async () => {
    const run = await runInNetns(PROBE, ['::1.2.3.4/128', 'fe80::1/64']);
    expect(run.code, run.stderr).toBe(0);
    const { replies, errors } = lastJson<{ replies: Reply[]; errors: string[] }>(run);
    expect(replies.map((r) => [r.from, r.type, r.mapped?.length])).toEqual([
      ['::1.2.3.4', 0x0101, 16], ['fe80::1%lo', 0x0101, 16], ['127.0.0.1', 0x0101, 4], ['::1', 0x0111, undefined], ['::1', 0x0101, 16],
      ['fe80::1%lo', 0x0101, 16],
    ]);
    expect(replies[0]!.mapped).toEqual([...Array(12).fill(0), 1, 2, 3, 4]);
    expect(replies[1]!.mapped).toEqual([0xfe, 0x80, ...Array(13).fill(0), 1]);
    // An IPv4 client of a dual-stack socket (Node says ::ffff:127.0.0.1) learns its IPv4 address.
    expect(replies[2]!.mapped).toEqual([127, 0, 0, 1]);
    expect([replies[3]!.error, replies[3]!.unknown]).toEqual([420, [0x0003]]);
    expect(errors).toEqual([]);
  });

  it('bound to ::1: a 420 for CHANGE-REQUEST; a hook that throws is logged and the server goes on', async () => {
    const errors: object[] = [];
    let answers = 0;
    const server = await startStunServer({
      port: 0, bind: '::1',
      log: { error: (o) => void errors.push(o) },
      onAnswer: () => {
        answers++;
        throw new Error('a metrics hook that throws');
      },
    });
    try {
      const refused = readMessage((await exchange(server.port, bindingRequest([[0x0003, Uint8Array.from([0, 0, 0, 6])], [0x8022, new Uint8Array(4)]])))!);
      expect(refused.type).toBe(0x0111);
      expect([...refused.attrs.get(0x000a)!]).toEqual([0x00, 0x03]);
      const ok = await exchange(server.port, bindingRequest());
      expect(ok && readMessage(ok).type).toBe(0x0101);
      expect(answers).toBe(2);
      expect(errors).toEqual([
        { err: 'a metrics hook that throws', callback: 'stun datagram' }, { err: 'a metrics hook that throws', callback: 'stun datagram' },
      ]);
    } finally {
      await server.close();
    }
  });
});
