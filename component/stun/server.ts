/** The STUN Binding server on UDP: answers every well-formed Binding request, ignores everything else. */
import { createSocket, type Socket } from 'node:dgram';
import { readBindingRequest, writeBindingSuccess } from './message.ts';

export interface StunServerOptions {
  port: number;
  bind: string;
  software?: string;
  /** Called for each datagram that was not answered, with why; for debug logging and metrics. */
  onDrop?: (reason: string, from: string) => void;
  onAnswer?: () => void;
}

export interface StunServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startStunServer(opts: StunServerOptions): Promise<StunServer> {
  const socket: Socket = createSocket({ type: opts.bind.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  socket.on('message', (msg, rinfo) => {
    const req = readBindingRequest(msg);
    if (typeof req === 'string') {
      opts.onDrop?.(req, `${rinfo.address}:${rinfo.port}`);
      return;
    }
    const res = writeBindingSuccess(req, rinfo.address, rinfo.port, opts.software);
    socket.send(res, rinfo.port, rinfo.address);
    opts.onAnswer?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port, opts.bind, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A send error (an ICMP unreachable from a spoofed source) must not bring the process down.
  socket.on('error', (e) => opts.onDrop?.(`socket error: ${e.message}`, ''));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
