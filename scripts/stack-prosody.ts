/**
 * The demo stack's Prosody: a config generated into the stack dir, the demo users, and the server
 * itself, ready once it holds its own ports.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prosodyConfig } from './prosody-config.ts';
import type { StackPaths, StackState } from './stack-state.ts';
import { saveState } from './stack-state.ts';
import { freePort, waitOwned } from './stack-ports.ts';
import type { StackProcess, Supervisor } from './stack-processes.ts';

export interface ProsodyPorts { c2s: number; http: number; component: number }

export interface RunningProsody { ports: ProsodyPorts; proc: StackProcess; log: string }

export interface ProsodyStackOptions {
  paths: StackPaths;
  state: StackState;
  componentDomain: string;
  /** The coturn port Prosody's XEP-0215 (mod_turn_external) hands out. */
  turnPort: number;
  avoid: number[];
}

/** Registers the demo users that are not yet; each one is saved as soon as it exists. */
function register(cfgPath: string, o: ProsodyStackOptions): void {
  for (const [user, password] of Object.entries(o.state.users)) {
    if (o.state.registered.includes(user)) continue;
    const r = spawnSync('prosodyctl', ['--config', cfgPath, 'register', user, 'localhost', password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`could not create the demo user ${user}: ${r.stderr || r.stdout}`);
    o.state.registered.push(user);
    saveState(o.paths, o.state);
  }
}

export async function startProsody(sup: Supervisor, o: ProsodyStackOptions): Promise<RunningProsody> {
  const dir = o.paths.prosody;
  mkdirSync(join(dir, 'data'), { recursive: true });
  const c2s = await freePort({ protocols: ['tcp'], avoid: o.avoid });
  const http = await freePort({ protocols: ['tcp'], avoid: [...o.avoid, c2s] });
  const component = await freePort({ protocols: ['tcp'], avoid: [...o.avoid, c2s, http] });
  const ports = { c2s, http, component };
  const cfgPath = join(dir, 'prosody.cfg.lua');
  writeFileSync(cfgPath, prosodyConfig({
    dir, ports, components: { [o.componentDomain]: o.state.componentSecret }, turnSecret: o.state.turnSecret, turnPort: o.turnPort,
  }), { mode: 0o600 });
  register(cfgPath, o);
  const log = join(dir, 'prosody.log');
  const proc = sup.start('Prosody', 'prosody', ['--config', cfgPath, '-F'], join(dir, 'prosody.out'));
  try {
    // Prosody logs a port it cannot bind and runs on: only its own sockets count.
    await waitOwned(proc.pid, [[c2s, 'tcp'], [http, 'tcp'], [component, 'tcp']], 15_000, proc.exitReason);
  } catch (err) {
    throw new Error(`Prosody did not start: ${(err as Error).message}; see ${log}`);
  }
  return { ports, proc, log };
}

/**
 * The demo users see each other in their contact lists from the start: each pre-approves the other
 * (RFC 6121 section 3.4), then asks, so the server completes both subscriptions at once.
 */
export async function acquaint(users: Record<string, string>, c2sPort: number): Promise<void> {
  const { client, xml } = await import('@xmpp/client');
  const names = Object.keys(users);
  const sessions = await Promise.all(names.map(async (name) => {
    const c = client({ service: `xmpp://127.0.0.1:${c2sPort}`, domain: 'localhost', username: name, password: users[name] as string });
    c.on('error', () => undefined);
    await c.start();
    return { name, c };
  }));
  for (const step of ['subscribed', 'subscribe'] as const) {
    for (const { name, c } of sessions) {
      for (const other of names) if (other !== name) await c.send(xml('presence', { to: `${other}@localhost`, type: step }));
    }
  }
  await new Promise((r) => setTimeout(r, 500));
  for (const { c } of sessions) {
    c.reconnect.stop();
    await c.stop();
  }
}
