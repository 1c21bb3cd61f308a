// Run inside a network namespace by test/integration/stun-server.test.ts: starts the component's STUN
// server on [::] (dual stack), sends it Binding requests from sources that used to crash it
// (`::1.2.3.4`, `fe80::1%lo`) and one with an unknown comprehension-required attribute, and prints
// what came back as one JSON line. If the server throws out of its handler, this process dies.
import { createSocket } from 'node:dgram';
import { startStunServer } from '../../../component/stun/server.ts';
import { bindingRequest, readMessage } from '../../unit/stun-fixture.ts';

type Reply = { from: string; type?: number; error?: number; unknown?: number[]; mapped?: number[] };

async function ask(bind: string, family: 'udp4' | 'udp6', to: string, port: number, msg: Uint8Array): Promise<Reply> {
  const s = createSocket(family);
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.bind(0, bind, () => resolve());
  });
  try {
    const reply = await new Promise<Buffer | undefined>((resolve) => {
      const t = setTimeout(() => resolve(undefined), 1500);
      s.once('message', (m) => {
        clearTimeout(t);
        resolve(m);
      });
      s.send(msg, port, to);
    });
    if (!reply) return { from: bind };
    const { type, attrs } = readMessage(reply);
    const out: Reply = { from: bind, type };
    const code = attrs.get(0x0009);
    if (code) out.error = code[2]! * 100 + code[3]!;
    const list = attrs.get(0x000a);
    if (list) out.unknown = Array.from({ length: list.length / 2 }, (_, i) => new DataView(list.buffer, list.byteOffset).getUint16(i * 2));
    const xma = attrs.get(0x0020);
    if (xma) out.mapped = [...xma.subarray(4)].map((b, i) => b ^ [0x21, 0x12, 0xa4, 0x42, ...reply.subarray(8, 20)][i]!);
    return out;
  } finally {
    s.close();
  }
}

const errors: string[] = [];
const drops: string[] = [];
const server = await startStunServer({
  port: 0, bind: '::', software: 'probe',
  log: { error: (o) => void errors.push(JSON.stringify(o)) },
  onDrop: (reason) => void drops.push(reason),
});
const plain = bindingRequest();
const replies = [
  await ask('::1.2.3.4', 'udp6', '::1', server.port, plain),
  await ask('fe80::1%lo', 'udp6', 'fe80::1%lo', server.port, plain),
  await ask('127.0.0.1', 'udp4', '127.0.0.1', server.port, plain),
  await ask('::1', 'udp6', '::1', server.port, bindingRequest([[0x0003, Uint8Array.from([0, 0, 0, 6])]])),
  // After all of those, the server still answers.
  await ask('::1', 'udp6', '::1', server.port, plain),
];
await server.close();
// Bound to the link-local address itself, zone and all, as --stun-bind fe80::1%lo allows.
const linkLocal = await startStunServer({ port: 0, bind: 'fe80::1%lo', log: { error: (o) => void errors.push(JSON.stringify(o)) } });
replies.push(await ask('fe80::1%lo', 'udp6', 'fe80::1%lo', linkLocal.port, plain));
await linkLocal.close();
console.log(JSON.stringify({ replies, errors, drops }));
