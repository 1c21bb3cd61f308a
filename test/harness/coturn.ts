// A throwaway coturn 4.6 on a free loopback port (UDP and TCP), per /work/shared/SERVERS.md, with the
// TURN REST-API shared secret (--use-auth-secret). Two flags beyond SERVERS.md keep it off system
// files: --pidfile (as root it would write /var/run/turnserver.pid) and --userdb (else it opens
// /var/lib/turn/turndb), both into its own temp dir.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort, waitForPort, ownsPort, spawnServer, stopServer, run, sleep, LOOPBACK, type ServerProcess,
} from './ports.ts';

export interface CoturnServer {
  /** UDP and TCP, on 127.0.0.1. */
  port: number;
  secret: string;
  dir: string;
  /** Its stdout so far (it logs there). */
  output(): string;
  /** SIGTERM (SIGKILL after a timeout), wait for exit, remove the dir. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

/**
 * TURN REST-API credentials, as coturn checks them with --use-auth-secret: username `<expiry>:<user>`
 * (expiry in Unix seconds), password base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(secret: string, user: string, ttlSeconds = 3600, now = Date.now()):
{ username: string; password: string; expires: number } {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expires}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expires };
}

/** Runs turnutils_stunclient against 127.0.0.1:port; resolves with its output, rejects on no answer. */
export function stunRequest(port: number, timeoutMs = 3_000): Promise<string> {
  // Without a server it waits forever: the timeout kills it.
  return run('turnutils_stunclient', ['-p', String(port), LOOPBACK], timeoutMs);
}

async function launch(dir: string, secret: string): Promise<{ proc: ServerProcess; port: number }> {
  const port = await freePort({ udp: true });
  const proc = spawnServer('turnserver', [
    '-n', `--listening-ip=${LOOPBACK}`, `--listening-port=${port}`, '--use-auth-secret',
    `--static-auth-secret=${secret}`, '--realm=localhost', '--allow-loopback-peers', '--no-cli',
    '--no-tls', '--no-dtls', '--log-file=stdout',
    `--pidfile=${join(dir, 'turnserver.pid')}`, `--userdb=${join(dir, 'turndb')}`,
  ], { cwd: dir });
  try {
    // TCP first (cheap to poll), then a real STUN binding over UDP.
    await waitForPort(port, START_TIMEOUT_MS, () => proc.exitReason());
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await stunRequest(port, 2_000).then(() => true, () => false))) {
      const exited = proc.exitReason();
      if (exited !== undefined) throw new Error(exited);
      if (Date.now() > deadline) throw new Error('no STUN answer over UDP');
      await sleep(100);
    }
    // coturn retries a port it cannot bind forever: make sure what answered is this process.
    const pid = proc.child.pid ?? -1;
    if (!(await ownsPort(pid, port, 'udp')) || !(await ownsPort(pid, port, 'tcp'))) throw new PortTaken(`port ${port} is held by another process`);
    return { proc, port };
  } catch (err) {
    await stopServer(proc, 1_000);
    if (err instanceof PortTaken) throw err;
    throw new Error(`coturn did not start: ${(err as Error).message}\n`
      + `--- turnserver output (tail) ---\n${proc.output().slice(-4_000)}`);
  }
}

class PortTaken extends Error {}

export async function startCoturn(options: { secret: string }): Promise<CoturnServer> {
  const dir = await mkdtemp(join(tmpdir(), 'jg-coturn-'));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const { proc, port } = await launch(dir, options.secret);
        let stopped = false;
        const stop = async (): Promise<void> => {
          if (stopped) return;
          stopped = true;
          try { await stopServer(proc); } finally { await rm(dir, { recursive: true, force: true }); }
        };
        return { port, secret: options.secret, dir, output: () => proc.output(), stop };
      } catch (err) {
        if (!(err instanceof PortTaken) || attempt >= 3) throw err;
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
