// A throwaway Prosody 0.12 on free loopback ports, configured per /work/shared/SERVERS.md, in its own
// temp dir: each test file gets its own instance. Never uses /etc/prosody.
import { mkdtemp, mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prosodyConfig } from '../../scripts/prosody-config.ts';
import { randomBytes } from 'node:crypto';
import {
  freePorts, waitForPort, waitForPortClosed, ownsPort, spawnServer, stopServer, signalGroup, run, LOOPBACK,
  type ServerProcess,
} from './ports.ts';
import type { XmppTestServer } from './xmpp-server.ts';

export interface ProsodyOptions {
  /** username -> password, registered on "localhost" before start. */
  users?: Record<string, string>;
  /** component domain (e.g. "jingle.localhost") -> its secret. */
  components?: Record<string, string>;
  /** turn_external_secret for mod_turn_external (random if not given). */
  turnSecret?: string;
  /** turn_external_port (3478 if not given); the host is always 127.0.0.1. */
  turnPort?: number;
  /** Modules to load on top of the SERVERS.md set. */
  extraModules?: string[];
}

export interface ProsodyServer extends XmppTestServer {
  /** ws://127.0.0.1:HTTP/xmpp-websocket */
  websocketUrl: string;
  /** SIGTERM (SIGKILL after a timeout), wait for exit, remove the dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Stop the process (not the dir) and start it again on the same ports with the same data. */
  restart(): Promise<void>;
  /** SIGKILL, as a crash would; keeps the dir (restart() or stop() afterwards). */
  kill(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

function config(dir: string, ports: { c2s: number; http: number; comp: number }, options: ProsodyOptions): string {
  return prosodyConfig({
    dir,
    ports: { c2s: ports.c2s, http: ports.http, component: ports.comp },
    components: options.components ?? {},
    turnSecret: options.turnSecret ?? randomBytes(16).toString('hex'),
    turnPort: options.turnPort ?? 3478,
    ...(options.extraModules ? { extraModules: options.extraModules } : {}),
  });
}

async function logTail(logPath: string, proc: ServerProcess | undefined): Promise<string> {
  const log = await readFile(logPath, 'utf8').catch(() => '');
  const lines = log.trimEnd().split('\n').slice(-30).join('\n');
  return `--- ${logPath} (tail) ---\n${lines}\n--- prosody stdout/stderr ---\n${proc?.output() ?? ''}`;
}

/** A port of ours answered, but from another process: pick new ports and try again. */
class PortTaken extends Error {}

export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyServer> {
  const dir = await mkdtemp(join(tmpdir(), 'jg-prosody-'));
  const cfgPath = join(dir, 'prosody.cfg.lua');
  const logPath = join(dir, 'prosody.log');
  const ports = { c2s: 0, http: 0, comp: 0 };
  // Prosody opens the component port only when a Component is configured.
  const withComponents = Object.keys(options.components ?? {}).length > 0;
  const listening = (): number[] => (withComponents ? [ports.c2s, ports.http, ports.comp] : [ports.c2s, ports.http]);
  let proc: ServerProcess | undefined;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const p = spawnServer('prosody', ['--config', cfgPath, '-F'], { cwd: dir });
    proc = p;
    try {
      await Promise.all(listening().map((port) => waitForPort(port, START_TIMEOUT_MS, () => p.exitReason())));
      // Prosody logs a port it cannot bind and runs on: make sure what answered is this process.
      const owned = await Promise.all(listening().map((port) => ownsPort(p.child.pid ?? -1, port, 'tcp')));
      if (owned.includes(false)) throw new PortTaken('another process holds one of its ports');
    } catch (err) {
      await stopServer(p, 1_000);
      const details = await logTail(logPath, p);
      const message = `Prosody did not start: ${(err as Error).message}\n${details}`;
      const taken = err instanceof PortTaken || details.includes('Failed to open server port');
      throw taken ? new PortTaken(message) : new Error(message);
    }
  };
  const halt = async (): Promise<void> => {
    if (proc === undefined) return;
    await stopServer(proc);
    // The listening sockets die with the process; make sure of it before a restart binds them again.
    await Promise.all(listening().map((port) => waitForPortClosed(port, 5_000)));
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try { await halt(); } finally { await rm(dir, { recursive: true, force: true }); }
  };

  try {
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'certs')); // none needed on loopback; its absence is logged as an error
    for (let attempt = 1; ; attempt++) {
      const [c2s = 0, http = 0, comp = 0] = await freePorts(3);
      Object.assign(ports, { c2s, http, comp });
      await writeFile(cfgPath, config(dir, ports, options));
      // prosodyctl register writes straight into data_path; the server need not run yet.
      for (const [user, password] of attempt > 1 ? [] : Object.entries(options.users ?? {})) {
        await run('prosodyctl', ['--config', cfgPath, 'register', user, 'localhost', password]);
      }
      try {
        await launch();
        break;
      } catch (err) {
        if (!(err instanceof PortTaken) || attempt >= 3) throw err;
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir, c2sPort: ports.c2s, httpPort: ports.http, componentPort: ports.comp,
    websocketUrl: `ws://${LOOPBACK}:${ports.http}/xmpp-websocket`,
    domain: 'localhost', logPath, stop,
    async restart() {
      if (stopped) throw new Error('prosody harness: restart() after stop()');
      await halt();
      await launch();
    },
    async kill() {
      if (proc === undefined) return;
      signalGroup(proc, 'SIGKILL');
      await proc.exited;
    },
  };
}
