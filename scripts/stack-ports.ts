/**
 * Ports for the demo stack, on 127.0.0.1 only. A port is "free" for the protocols the server will
 * really bind: TCP for Prosody and the web page, UDP for the STUN server, both for coturn (which
 * listens on UDP and TCP on one port). Probing TCP for a UDP server says nothing: the old stack
 * handed out 3478 as free over TCP while something else held it over UDP.
 */
import { createSocket } from 'node:dgram';
import { readFile, readdir, readlink } from 'node:fs/promises';
import { connect, createServer } from 'node:net';

export type Protocol = 'tcp' | 'udp';

const LOOPBACK = '127.0.0.1';

function tcpFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createServer();
    s.once('error', () => ok(false));
    s.listen({ port, host: LOOPBACK, exclusive: true }, () => s.close(() => ok(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); ok(false); });
    s.bind({ port, address: LOOPBACK, exclusive: true }, () => s.close(() => ok(true)));
  });
}

/** True if every protocol in `protocols` can bind 127.0.0.1:port right now. */
export async function portFree(port: number, protocols: readonly Protocol[]): Promise<boolean> {
  for (const p of protocols) if (!(await (p === 'tcp' ? tcpFree(port) : udpFree(port)))) return false;
  return true;
}

/** A port the kernel picks for `first` (binding port 0), read back. */
function anyPort(first: Protocol): Promise<number> {
  return new Promise((ok, fail) => {
    if (first === 'tcp') {
      const s = createServer();
      s.once('error', fail);
      s.listen(0, LOOPBACK, () => {
        const { port } = s.address() as { port: number };
        s.close(() => ok(port));
      });
    } else {
      const s = createSocket('udp4');
      s.once('error', fail);
      s.bind(0, LOOPBACK, () => {
        const { port } = s.address();
        s.close(() => ok(port));
      });
    }
  });
}

export interface PortRequest {
  protocols: readonly Protocol[];
  /** Scan upwards from here (a memorable port such as 8080); without it, any port. */
  from?: number;
  /** Ports already handed to another server of this stack. */
  avoid?: readonly number[];
}

/** A port free for every requested protocol, or an error naming what was asked. */
export async function freePort(req: PortRequest): Promise<number> {
  const avoid = new Set(req.avoid ?? []);
  for (let tries = 0; tries < 200; tries++) {
    const port = req.from === undefined ? await anyPort(req.protocols[0] ?? 'tcp') : req.from + tries;
    if (port > 65535) break;
    if (!avoid.has(port) && (await portFree(port, req.protocols))) return port;
  }
  throw new Error(`no free ${req.protocols.join('+')} port on ${LOOPBACK}${req.from === undefined ? '' : ` from ${req.from}`}`);
}

/** Resolves once something accepts TCP on 127.0.0.1:port; rejects after `ms` or when `abort` names a reason. */
export async function waitForTcp(port: number, ms: number, abort?: () => string | undefined): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const reason = abort?.();
    if (reason !== undefined) throw new Error(reason);
    const up = await new Promise<boolean>((ok) => {
      const sock = connect(port, LOOPBACK);
      sock.once('connect', () => { sock.destroy(); ok(true); });
      sock.once('error', () => ok(false));
    });
    if (up) return;
    if (Date.now() > end) throw new Error(`nothing listens on TCP port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * True if process `pid` itself holds 127.0.0.1:port (TCP: listening), from /proc. A server that could
 * not bind its port (Prosody logs and goes on; coturn retries for ever) must not pass for ready
 * because someone else answers there.
 */
export async function ownsPort(pid: number, port: number, proto: Protocol): Promise<boolean> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = await readFile(`/proc/net/${proto}`, 'utf8').catch(() => '');
  const inodes = new Set(table.split('\n').slice(1).map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1] === local && (proto === 'udp' || f[3] === '0A')).map((f) => `socket:[${f[9]}]`));
  if (inodes.size === 0) return false;
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) return true;
  }
  return false;
}

/** Waits until `pid` owns every (port, protocol) pair; rejects after `ms` or when `abort` names a reason. */
export async function waitOwned(pid: number, ports: readonly [number, Protocol][], ms: number, abort?: () => string | undefined): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const reason = abort?.();
    if (reason !== undefined) throw new Error(reason);
    const missing: string[] = [];
    for (const [port, proto] of ports) if (!(await ownsPort(pid, port, proto))) missing.push(`${proto} ${port}`);
    if (missing.length === 0) return;
    if (Date.now() > end) throw new Error(`did not bind ${missing.join(', ')} within ${ms} ms (is another program on it?)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
