// Free loopback ports for throwaway servers, waiting until something listens, and the server child processes.
// Everything here binds or connects to 127.0.0.1 only.
import { createServer, connect, type Server } from 'node:net';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { portFree } from '../../scripts/stack-ports.ts';

export const LOOPBACK = '127.0.0.1';

// The same /proc check `npm start` uses: a server that failed to bind must not pass for ready.
export { ownsPort } from '../../scripts/stack-ports.ts';

function listenTcp(port: number): Promise<Server> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => ok(server));
  });
}

function closeTcp(server: Server): Promise<void> {
  return new Promise((ok) => server.close(() => ok()));
}

/**
 * `count` distinct ports that are free on 127.0.0.1 for TCP (and for UDP too when `udp` is set,
 * as coturn needs both). All are held open until every one is picked, so one call never returns the
 * same port twice. Another process may still take a port between this and the server's bind: a
 * harness that fails to bind should retry with new ports.
 */
export async function freePorts(count: number, options: { udp?: boolean } = {}): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let tries = 0; ports.length < count; tries++) {
      if (tries > count * 20) throw new Error(`freePorts: no ${count} free loopback ports found`);
      const server = await listenTcp(0);
      held.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('freePorts: no port');
      if (options.udp === true && !(await portFree(address.port, ['udp']))) continue;
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(held.map(closeTcp));
  }
}

/** One free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export async function freePort(options: { udp?: boolean } = {}): Promise<number> {
  const [port] = await freePorts(1, options);
  if (port === undefined) throw new Error('freePort: no port');
  return port;
}

/** Resolves true if a TCP connection to 127.0.0.1:port succeeds, false if it is refused or times out. */
export function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ port, host: LOOPBACK });
    const done = (result: boolean): void => { socket.destroy(); ok(result); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/**
 * Waits until something accepts TCP connections on 127.0.0.1:port. Rejects after timeoutMs, or as soon
 * as `abort` (e.g. "the server process exited") returns an error message.
 */
export async function waitForPort(
  port: number, timeoutMs: number, abort?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = abort?.();
    if (reason !== undefined) throw new Error(`waitForPort ${port}: ${reason}`);
    if (await canConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`waitForPort ${port}: nothing listening after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Waits until nothing accepts TCP connections on 127.0.0.1:port any more. */
export async function waitForPortClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await canConnect(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still open after ${timeoutMs} ms`);
    await sleep(50);
  }
}

// ---- child processes of the harness ----------------------------------------------------------------

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<string>;
  /** The exit description if it has exited, else undefined. */
  exitReason(): string | undefined;
  /** The last 16 KB of its stdout + stderr. */
  output(): string;
}

/**
 * Spawns a server in its own process group (so a wrapper script's children, e.g. ejabberdctl -> su ->
 * beam.smp, can be killed by that group's id) and records its output and exit.
 */
export function spawnServer(
  command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ServerProcess {
  const child = spawn(command, args, {
    cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer): void => { out = (out + chunk.toString('utf8')).slice(-16_384); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let reason: string | undefined;
  const exited = new Promise<string>((ok) => {
    child.once('error', (err) => { reason = `spawn failed: ${err.message}`; ok(reason); });
    child.once('exit', (code, signal) => { reason = `exited with ${signal ?? code}`; ok(reason); });
  });
  return { child, exited, exitReason: () => reason, output: () => out };
}

/** Sends `signal` to the process group of a spawned server; ignores "no such process". */
export function signalGroup(proc: ServerProcess, signal: NodeJS.Signals): void {
  const pid = proc.child.pid;
  if (pid === undefined) return;
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/** SIGTERM to the process, SIGKILL to its whole group after timeoutMs; resolves once it has exited. */
export async function stopServer(proc: ServerProcess, timeoutMs = 5_000): Promise<void> {
  if (proc.exitReason() === undefined) {
    proc.child.kill('SIGTERM');
    const timer = setTimeout(() => signalGroup(proc, 'SIGKILL'), timeoutMs);
    await proc.exited;
    clearTimeout(timer);
  }
  signalGroup(proc, 'SIGKILL'); // stragglers of the group, if any
}

/** Runs a command to completion; rejects with its output if it exits non-zero. */
export function run(command: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((ok, fail) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) fail(new Error(`${command} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`));
      else ok(stdout + stderr);
    });
  });
}
