// A TCP proxy on loopback whose connections a test can cut, as a lost network would: cut() resets every
// live connection (both sides see an abrupt close, no goodbye), and while blocked, new connections are
// reset as soon as they arrive, so reconnect attempts fail until unblock().
//
//   const proxy = await startCutProxy(prosody.httpPort);   // ws://127.0.0.1:${proxy.port}/xmpp-websocket
//   proxy.block(); proxy.cut(); ...; proxy.unblock();
import { createConnection, createServer, type Socket } from 'node:net';

export interface CutProxy {
  readonly port: number;
  /** Connections open now. */
  readonly live: number;
  /** Connections accepted and passed on so far. */
  readonly accepted: number;
  /** Resets every live connection. */
  cut(): void;
  /** From now on, reset new connections at once. */
  block(): void;
  unblock(): void;
  close(): Promise<void>;
}

function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

export async function startCutProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<CutProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let blocked = false;
  let accepted = 0;
  const server = createServer((client) => {
    if (blocked) return reset(client);
    accepted++;
    const upstream = createConnection({ port: targetPort, host: targetHost });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      reset(client);
      reset(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('cut-proxy: no TCP address');
  const cut = (): void => {
    for (const [a, b] of [...pairs]) {
      reset(a);
      reset(b);
    }
    pairs.clear();
  };
  return {
    port: address.port,
    get live() { return pairs.size; },
    get accepted() { return accepted; },
    cut,
    block() { blocked = true; },
    unblock() { blocked = false; },
    close() {
      blocked = true;
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
