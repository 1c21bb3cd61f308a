// A throwaway ejabberd 23.01 on free loopback ports, per /work/shared/SERVERS.md: every path is given on
// the command line (else /etc/ejabberd is used and it listens on all interfaces), the temp dir is owned
// by the `ejabberd` user (ejabberdctl run as root drops to it), and each instance has its own node name.
//
// Erlang distribution: DIR/none.cfg (the --ctl-config, sourced by ejabberdctl) sets ERL_DIST_PORT, so
// the node listens for ejabberdctl on a fixed free port and never starts or registers with epmd, and
// pins that port to 127.0.0.1. So parallel instances never share an epmd that one of them would kill.
import { mkdtemp, mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePorts, waitForPort, ownsPort, spawnServer, stopServer, run, LOOPBACK, type ServerProcess,
} from './ports.ts';
import type { XmppTestServer } from './xmpp-server.ts';

export interface EjabberdOptions {
  /** username -> password, registered on "localhost" once the node runs. */
  users?: Record<string, string>;
  /** component domain (e.g. "jingle.localhost") -> its secret; all on one ejabberd_service port. */
  components?: Record<string, string>;
}

export interface EjabberdServer extends XmppTestServer {
  /** ws://127.0.0.1:HTTP/ws */
  websocketUrl: string;
  node: string;
  /** `ejabberdctl ... stop`, wait for the node to exit (else SIGKILL by PID), rm dir. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
let instances = 0;

function config(ports: { c2s: number; http: number; comp: number }, components: Record<string, string>): string {
  // JSON strings are YAML strings.
  const hosts = Object.entries(components)
    .map(([domain, secret]) => `${JSON.stringify(domain)}: {password: ${JSON.stringify(secret)}}`).join(', ');
  const service = hosts === '' ? '' : `\n  - {port: ${ports.comp}, ip: "${LOOPBACK}", module: ejabberd_service, hosts: {${hosts}}}`;
  return `# written by test/harness/ejabberd.ts
hosts: [localhost]
loglevel: info
certfiles: []
listen:
  - {port: ${ports.c2s}, ip: "${LOOPBACK}", module: ejabberd_c2s, starttls_required: false}
  - {port: ${ports.http}, ip: "${LOOPBACK}", module: ejabberd_http, request_handlers: {/ws: ejabberd_http_ws}}${service}
auth_method: internal
acl: {local: {user_regexp: ""}}
access_rules: {local: {allow: local}, c2s: {allow: all}}
modules: {mod_disco: {}, mod_roster: {}, mod_ping: {}}
`;
}

async function pids(pgrepArgs: string[]): Promise<number[]> {
  const out = await run('pgrep', pgrepArgs).catch(() => ''); // pgrep exits 1 when none match
  return out.split(/\s+/).filter(Boolean).map(Number);
}
const epmdPids = (): Promise<number[]> => pids(['-x', 'epmd']);

/** A port of ours answered, but from another process: pick new ports and try again. */
class PortTaken extends Error {}

export async function startEjabberd(options: EjabberdOptions = {}): Promise<EjabberdServer> {
  const dir = await mkdtemp(join(tmpdir(), 'jg-ejabberd-'));
  const node = `jg${process.pid}n${++instances}@localhost`;
  const logPath = join(dir, 'logs', 'ejabberd.log');
  const flags = ['--config-dir', dir, '--config', join(dir, 'ejabberd.yml'), '--ctl-config', join(dir, 'none.cfg'),
    '--logs', join(dir, 'logs'), '--spool', join(dir, 'db'), '--node', node];
  const withComponents = Object.keys(options.components ?? {}).length > 0;
  const epmdBefore = new Set(await epmdPids());
  const ports = { c2s: 0, http: 0, comp: 0, dist: 0 };
  let proc: ServerProcess | undefined;
  let stopped = false;

  /** su, sh and beam.smp of our node: su starts them in a session of their own, out of our group. */
  const nodePids = (): Promise<number[]> => pids(['-f', '--', `-sname ${node} `]);
  const halt = async (): Promise<void> => {
    if (proc === undefined) return;
    if (proc.exitReason() === undefined) {
      await run('ejabberdctl', [...flags, 'stop'], 20_000).catch(() => undefined);
      const p = proc;
      const timer = setTimeout(() => { void stopServer(p, 1_000); }, 10_000);
      await proc.exited;
      clearTimeout(timer);
    }
    await stopServer(proc, 2_000);
    for (const pid of await nodePids()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await halt();
      // Safety net: an epmd that appeared while we ran (ERL_DIST_PORT should prevent that) goes too,
      // by PID; one that ran before we started is left alone.
      for (const pid of await epmdPids()) {
        if (!epmdBefore.has(pid)) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const tail = async (): Promise<string> => {
    const log = await readFile(logPath, 'utf8').catch(() => '');
    return `--- ${logPath} (tail) ---\n${log.trimEnd().split('\n').slice(-30).join('\n')}\n`
      + `--- ejabberdctl output ---\n${proc?.output() ?? ''}`;
  };

  try {
    await mkdir(join(dir, 'logs'));
    await mkdir(join(dir, 'db'));
    await writeFile(join(dir, 'inetrc'), '%% empty: silences "inetrc not found"\n');
    for (let attempt = 1; ; attempt++) {
      const [c2s = 0, http = 0, comp = 0, dist = 0] = await freePorts(4);
      Object.assign(ports, { c2s, http, comp, dist });
      await writeFile(join(dir, 'ejabberd.yml'), config(ports, options.components ?? {}));
      await writeFile(join(dir, 'none.cfg'),
        `ERL_DIST_PORT=${dist}\nERL_OPTIONS="-kernel inet_dist_use_interface {127,0,0,1}"\n`);
      await run('chown', ['-R', 'ejabberd:ejabberd', dir]);
      const p = spawnServer('ejabberdctl', [...flags, 'foreground'], { cwd: dir });
      proc = p;
      const listening = [c2s, http, ...(withComponents ? [comp] : [])];
      try {
        await Promise.all(listening.map((port) => waitForPort(port, START_TIMEOUT_MS, () => p.exitReason())));
        const mine = await nodePids();
        for (const port of listening) {
          const owned = await Promise.all(mine.map((pid) => ownsPort(pid, port, 'tcp')));
          if (!owned.includes(true)) throw new PortTaken(`port ${port} is held by another process`);
        }
        break;
      } catch (err) {
        const details = await tail();
        await halt();
        // It exits on a port it cannot bind ("eaddrinuse" in its log): also a reason to retry.
        const taken = err instanceof PortTaken || details.includes('eaddrinuse');
        if (!taken || attempt >= 3) throw new Error(`ejabberd did not start: ${(err as Error).message}\n${details}`);
      }
    }
    await Promise.all(Object.entries(options.users ?? {}).map(([user, password]) =>
      run('ejabberdctl', [...flags, 'register', user, 'localhost', password])));
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir, c2sPort: ports.c2s, httpPort: ports.http, componentPort: ports.comp,
    websocketUrl: `ws://${LOOPBACK}:${ports.http}/ws`,
    domain: 'localhost', logPath, node, stop,
  };
}
