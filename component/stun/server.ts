/** The STUN Binding server on UDP: answers every well-formed Binding request, ignores everything else. */
import { createSocket, type Socket } from 'node:dgram';
import { guarded, type GuardLog } from '../guard.ts';
import { readBindingRequest, writeBindingSuccess, writeUnknownAttributes } from './message.ts';

export interface StunServerOptions {
  port: number;
  bind: string;
  software?: string;
  /** Called for each datagram that was not answered, with why; for debug logging and metrics. */
  onDrop?: (reason: string, from: string) => void;
  /** Called for each answer: a Binding success, or a 420 for attributes we do not understand. */
  onAnswer?: (kind: 'binding' | 'unknown-attributes') => void;
  /** Where a failure inside the datagram handler is reported (it never ends the process). */
  log?: GuardLog;
}

export interface StunServer {
  readonly port: number;
  close(): Promise<void>;
}

const quiet: GuardLog = { error: () => undefined };

export async function startStunServer(opts: StunServerOptions): Promise<StunServer> {
  const log = opts.log ?? quiet;
  const socket: Socket = createSocket({ type: opts.bind.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  // One datagram from anyone reaches this: nothing it holds, nor its source address, may throw out.
  socket.on('message', guarded(log, 'stun datagram', (msg: Buffer, rinfo: { address: string; port: number }) => {
    const from = `${rinfo.address}:${rinfo.port}`;
    const req = readBindingRequest(msg);
    if (typeof req === 'string') return opts.onDrop?.(req, from);
    const res = req.unknown.length > 0 ? writeUnknownAttributes(req, opts.software) : writeBindingSuccess(req, rinfo.address, rinfo.port, opts.software);
    if (!res) return opts.onDrop?.('bad-source-address', from);
    socket.send(res, rinfo.port, rinfo.address, guarded(log, 'stun send', (err: Error | null) => {
      if (err) opts.onDrop?.(`send error: ${err.message}`, from);
    }));
    opts.onAnswer?.(req.unknown.length > 0 ? 'unknown-attributes' : 'binding');
  }));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port, opts.bind, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A send error (an ICMP unreachable from a spoofed source) must not bring the process down.
  socket.on('error', guarded(log, 'stun socket error', (e: Error) => opts.onDrop?.(`socket error: ${e.message}`, '')));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
