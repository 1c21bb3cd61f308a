// Two (or more) ejabberd 23.01 nodes in one Mnesia cluster on loopback, for scale-out tests.
//
// Why not test/harness/ejabberd.ts's way: it sets ERL_DIST_PORT, which makes every node assume every
// other node listens on that same port (-erl_epmd_port), so two nodes on one host cannot reach each
// other. Here the cluster gets an epmd of its own, started by us on a free loopback port
// (ERL_EPMD_PORT + ERL_EPMD_ADDRESS, exported by the --ctl-config file that ejabberdctl sources, and
// passed through its `su` to the ejabberd user), so it never meets the system epmd on 4369 nor another
// test's, and is stopped by its PID. Nodes use long names (ejabberd1@127.0.0.1: a dot in the name makes
// ejabberdctl pass -name), a random cookie per cluster (-setcookie, so the ejabberd user's
// ~/.erlang.cookie is neither read nor shared), and distribution bound to 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePorts, waitForPort, spawnServer, stopServer, run, sleep, LOOPBACK, type ServerProcess,
} from './ports.ts';

/** ejabberd's global `domain_balancing` option for one component domain (ejabberd_router.erl). */
export interface DomainBalancing {
  type: 'random' | 'source' | 'destination' | 'bare_source' | 'bare_destination';
  /** Fixed route slots 1..N that connecting components fill; without it every type but none collapses to one route. */
  componentNumber?: number;
}

export interface ClusterOptions {
  /** Nodes in the cluster (default 2). */
  nodes?: number;
  /** username -> password, registered once on "localhost" (Mnesia replicates them to every node). */
  users?: Record<string, string>;
  /** Component domain -> secret, accepted on every node's ejabberd_service listener. */
  components: Record<string, string>;
  /** Component domain -> balancing; absent = ejabberd's default (see README). */
  balancing?: Record<string, DomainBalancing>;
}

export interface ClusterNode {
  node: string;
  dir: string;
  c2sPort: number;
  httpPort: number;
  componentPort: number;
  websocketUrl: string;
  logPath: string;
  /** ejabberdctl with this node's flags. */
  ctl(args: string[], timeoutMs?: number): Promise<string>;
}

export interface EjabberdCluster {
  nodes: ClusterNode[];
  domain: 'localhost';
  /** Stops every node, then the cluster's epmd, and removes the dirs. Safe to call twice. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
let clusters = 0;

function yaml(ports: { c2s: number; http: number; comp: number }, options: ClusterOptions): string {
  const hosts = Object.entries(options.components)
    .map(([domain, secret]) => `${JSON.stringify(domain)}: {password: ${JSON.stringify(secret)}}`).join(', ');
  const balancing = Object.entries(options.balancing ?? {}).map(([domain, b]) =>
    `  ${JSON.stringify(domain)}: {type: ${b.type}${b.componentNumber === undefined ? '' : `, component_number: ${b.componentNumber}`}}`);
  return `# written by test/harness/ejabberd-cluster.ts
hosts: [localhost]
loglevel: info
certfiles: []
listen:
  - {port: ${ports.c2s}, ip: "${LOOPBACK}", module: ejabberd_c2s, starttls_required: false}
  - {port: ${ports.http}, ip: "${LOOPBACK}", module: ejabberd_http, request_handlers: {/ws: ejabberd_http_ws}}
  - {port: ${ports.comp}, ip: "${LOOPBACK}", module: ejabberd_service, hosts: {${hosts}}}
auth_method: internal
acl: {local: {user_regexp: ""}}
access_rules: {local: {allow: local}, c2s: {allow: all}}
modules: {mod_disco: {}, mod_roster: {}, mod_ping: {}}
${balancing.length === 0 ? '' : `domain_balancing:\n${balancing.join('\n')}\n`}`;
}

async function pids(pgrepArgs: string[]): Promise<number[]> {
  const out = await run('pgrep', pgrepArgs).catch(() => '');
  return out.split(/\s+/).filter(Boolean).map(Number);
}

export async function startEjabberdCluster(options: ClusterOptions): Promise<EjabberdCluster> {
  const count = options.nodes ?? 2;
  const id = `jgc${process.pid}n${++clusters}`;
  const cookie = randomBytes(12).toString('hex');
  const [epmdPort = 0] = await freePorts(1);
  const nodes: ClusterNode[] = [];
  const procs: ServerProcess[] = [];
  const dirs: string[] = [];
  // epmd runs in the foreground as our child, so it is stopped by its PID and nothing else.
  const epmd = spawnServer('epmd', ['-port', String(epmdPort), '-address', LOOPBACK]);
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await Promise.all(nodes.map(async (n, i) => {
        const p = procs[i];
        if (p === undefined) return;
        if (p.exitReason() === undefined) {
          await n.ctl(['stop'], 20_000).catch(() => undefined);
          const timer = setTimeout(() => { void stopServer(p, 1_000); }, 10_000);
          await p.exited;
          clearTimeout(timer);
        }
        await stopServer(p, 2_000);
        // su starts sh and beam.smp in a session of their own, out of our process group.
        for (const pid of await pids(['-f', '--', `-name ${n.node} `])) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      }));
      await stopServer(epmd, 2_000);
    } finally {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    }
  };

  try {
    await waitForPort(epmdPort, 10_000, () => epmd.exitReason());
    for (let i = 1; i <= count; i++) {
      const dir = await mkdtemp(join(tmpdir(), `jg-ejcluster${i}-`));
      dirs.push(dir);
      const node = `${id}e${i}@${LOOPBACK}`;
      const [c2s = 0, http = 0, comp = 0] = await freePorts(3);
      const flags = ['--config-dir', dir, '--config', join(dir, 'ejabberd.yml'), '--ctl-config', join(dir, 'ctl.cfg'),
        '--logs', join(dir, 'logs'), '--spool', join(dir, 'db'), '--node', node];
      await mkdir(join(dir, 'logs'));
      await mkdir(join(dir, 'db'));
      await writeFile(join(dir, 'inetrc'), '%% empty: silences "inetrc not found"\n');
      await writeFile(join(dir, 'ejabberd.yml'), yaml({ c2s, http, comp }, options));
      await writeFile(join(dir, 'ctl.cfg'), [
        `export ERL_EPMD_PORT=${epmdPort}`, `ERL_EPMD_ADDRESS=${LOOPBACK}`,
        `ERL_OPTIONS="-setcookie ${cookie} -kernel inet_dist_use_interface {127,0,0,1}"`, ''].join('\n'));
      await run('chown', ['-R', 'ejabberd:ejabberd', dir]);
      const ctl = (args: string[], timeoutMs = 30_000): Promise<string> => run('ejabberdctl', [...flags, ...args], timeoutMs);
      const p = spawnServer('ejabberdctl', [...flags, 'foreground'], { cwd: dir });
      procs.push(p);
      const logPath = join(dir, 'logs', 'ejabberd.log');
      nodes.push({ node, dir, c2sPort: c2s, httpPort: http, componentPort: comp, websocketUrl: `ws://${LOOPBACK}:${http}/ws`, logPath, ctl });
      try {
        await Promise.all([c2s, http, comp].map((port) => waitForPort(port, START_TIMEOUT_MS, () => p.exitReason())));
      } catch (err) {
        const log = await readFile(logPath, 'utf8').catch(() => '');
        throw new Error(`ejabberd node ${node} did not start: ${(err as Error).message}\n${log.split('\n').slice(-30).join('\n')}\n${p.output()}`);
      }
    }
    const [first, ...rest] = nodes;
    for (const n of rest) await n.ctl(['join_cluster', first!.node], 60_000);
    // join_cluster returns once Mnesia has copied the tables; wait until every node lists them all.
    for (const n of nodes) {
      for (let i = 0; ; i++) {
        const listed = await n.ctl(['list_cluster']);
        if (nodes.every((m) => listed.includes(m.node))) break;
        if (i > 50) throw new Error(`${n.node} lists ${listed.trim()} after join_cluster`);
        await sleep(200);
      }
    }
    for (const [user, password] of Object.entries(options.users ?? {})) await first!.ctl(['register', user, 'localhost', password]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, domain: 'localhost', stop };
}
