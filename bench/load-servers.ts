// The servers and component instances of the load benchmark: one Prosody and one instance (default),
// or (BENCH_CLUSTER=1) two ejabberd 23.01 nodes in one cluster with one instance per node, users
// alternating between the nodes' c2s ports (ejabberd sends a user's stanzas for the component domain
// to the instance on the user's own node: README "Several component instances"). The instances'
// counters, CPU and memory are read summed, and per instance.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEjabberdCluster } from '../test/harness/ejabberd-cluster.ts';
import { freePorts } from '../test/harness/ports.ts';
import { startProsody } from '../test/harness/prosody.ts';
import { componentStats, cpuMs, rssKiB, type ComponentStats } from './load-proc.ts';

export interface LoadServers {
  label: string;
  /** c2s services (xmpp://host:port), user i logs in to c2s[i % length]. */
  c2s: string[];
  /** One component instance per entry. */
  componentServices: string[];
  /** The server process whose CPU is reported (Prosody); none for the cluster. */
  serverPid?: number;
  stop(): Promise<void>;
}

export async function startServers(cluster: boolean, users: Record<string, string>, components: Record<string, string>): Promise<LoadServers> {
  if (cluster) {
    const c = await startEjabberdCluster({ users, components });
    return {
      label: `a cluster of ${c.nodes.length} ejabberd 23.01 nodes, one component instance per node`,
      c2s: c.nodes.map((n) => `xmpp://127.0.0.1:${n.c2sPort}`),
      componentServices: c.nodes.map((n) => `xmpp://127.0.0.1:${n.componentPort}`),
      stop: () => c.stop(),
    };
  }
  const p = await startProsody({ users, components });
  return {
    label: 'Prosody 0.12, one component instance',
    c2s: [`xmpp://127.0.0.1:${p.c2sPort}`],
    componentServices: [`xmpp://127.0.0.1:${p.componentPort}`],
    serverPid: Number(readFileSync(join(p.dir, 'prosody.pid'), 'utf8')),
    stop: () => p.stop(),
  };
}

export interface Instances {
  readonly pids: number[];
  cpuMs(): number;
  rssKiB(): number;
  metrics(): Promise<ComponentStats>;
  each(): Promise<{ pid: number; cpuMs: number; stats: ComponentStats }[]>;
  stop(): Promise<void>;
}

export async function spawnInstances(services: string[], args: (service: string, httpPort: number) => string[], execArgv: string[], cwd: string | URL): Promise<Instances> {
  const httpPorts = await freePorts(services.length);
  const procs: ChildProcess[] = services.map((s, i) => spawn(process.execPath, [...execArgv, ...args(s, httpPorts[i]!)], { cwd, stdio: ['ignore', 'ignore', 'inherit'] }));
  const pids = procs.map((p) => p.pid ?? 0);
  return {
    pids,
    cpuMs: () => pids.reduce((a, pid) => a + cpuMs(pid), 0),
    rssKiB: () => pids.reduce((a, pid) => a + rssKiB(pid), 0),
    async metrics() {
      const all = await Promise.all(httpPorts.map((port) => componentStats(port)));
      return all.reduce((a, s) => ({
        online: a.online && s.online, stanzasIn: a.stanzasIn + s.stanzasIn, stanzasOut: a.stanzasOut + s.stanzasOut,
        errors: a.errors + s.errors, active: a.active + s.active,
      }));
    },
    async each() {
      return Promise.all(httpPorts.map(async (port, i) => ({ pid: pids[i]!, cpuMs: cpuMs(pids[i]!), stats: await componentStats(port) })));
    },
    async stop() {
      const exited = procs.filter((p) => p.exitCode === null).map((p) => new Promise((ok) => p.once('exit', ok)));
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(exited);
    },
  };
}
