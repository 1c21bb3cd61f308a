/**
 * `npm start`: the whole thing on localhost, in one command. Debian's coturn and Prosody with configs
 * generated into .stack/ (or JG_STACK_DIR), two demo users, the component (in this process, with its
 * STUN server), and the built web client on http://localhost:8080 (or the next free port;
 * JG_STACK_WEB_PORT fixes it). Every port handed out is one its server has really bound.
 *
 * It stops everything it started on Ctrl-C, on SIGTERM (also when sent to `npm start`'s own PID,
 * see stack-lifeline.ts), and on every failure; if this process is killed outright, the supervisor's
 * watchdog stops the servers (stack-processes.ts). A second run reuses the stack dir, its secrets and
 * its users.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { loadConfig } from '../component/config.ts';
import { createLogger } from '../component/logger.ts';
import { startComponent, type RunningComponent } from '../component/main.ts';
import { buildClientIfStale } from './stack-build.ts';
import { startCoturn } from './stack-coturn.ts';
import { watchLifeline } from './stack-lifeline.ts';
import { freePort, portFree } from './stack-ports.ts';
import { Supervisor } from './stack-processes.ts';
import { acquaint, startProsody } from './stack-prosody.ts';
import { startStackServer } from './stack-server.ts';
import { loadState, saveState, stackPaths } from './stack-state.ts';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DOMAIN = 'jingle.localhost';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function have(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function missing(): string | undefined {
  if (!have('prosody') || !have('prosodyctl')) return 'Prosody is not installed. Install it with:  sudo apt-get install -y prosody';
  if (!have('turnserver')) return 'coturn (turnserver) is not installed. Install it with:  sudo apt-get install -y coturn';
  return undefined;
}

const paths = stackPaths(ROOT);
let supervisor: Supervisor | undefined;
let component: RunningComponent | undefined;
let web: Server | undefined;
let stopping: Promise<never> | undefined;

/** Stops what was started (web page, component, then the servers) and exits; the first call wins. */
function shutdown(code: number, why?: string): Promise<never> {
  stopping ??= (async () => {
    if (why !== undefined) (code === 0 ? process.stdout : process.stderr).write(`${code === 0 ? '\n' : 'npm start: '}${why}\n`);
    say('stopping ...');
    if (web) {
      web.closeAllConnections();
      web.close();
    }
    await component?.stop().catch(() => undefined);
    await supervisor?.stopAll();
    process.exit(code);
  })();
  return stopping;
}

async function main(): Promise<void> {
  const lacking = missing();
  if (lacking !== undefined) {
    process.stderr.write(`npm start: ${lacking}   (Debian/Ubuntu), then run npm start again.\n`);
    process.exit(1);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0, `${signal} received`));
  watchLifeline((who) => void shutdown(0, `${who} has gone`));

  const dist = await buildClientIfStale(ROOT, say);
  const state = loadState(paths);
  const webPortWanted = process.env.JG_STACK_WEB_PORT ? Number(process.env.JG_STACK_WEB_PORT) : undefined;
  if (webPortWanted !== undefined && !(Number.isInteger(webPortWanted) && webPortWanted > 0 && webPortWanted < 65536)) {
    throw new Error(`JG_STACK_WEB_PORT must be a port number, not ${JSON.stringify(process.env.JG_STACK_WEB_PORT)}`);
  }
  const keep = webPortWanted === undefined ? [] : [webPortWanted];

  supervisor = new Supervisor(paths.root);
  mkdirSync(paths.coturn, { recursive: true });
  const coturn = await startCoturn(supervisor, { dir: paths.coturn, secret: state.turnSecret, realm: 'localhost', avoid: keep });
  const prosody = await startProsody(supervisor, { paths, state, componentDomain: DOMAIN, turnPort: coturn.port, avoid: [...keep, coturn.port] });
  for (const p of [coturn.proc, prosody.proc]) {
    void p.exited.then((reason) => shutdown(1, `${reason}; see ${paths.root}`));
  }
  if (!state.acquainted) {
    await acquaint(state.users, prosody.ports.c2s);
    state.acquainted = true;
    saveState(paths, state);
  }

  // The component's STUN server is UDP only, so UDP is what must be free (not coturn's port).
  const stunPort = await freePort({ protocols: ['udp'], avoid: [coturn.port] });
  const config = loadConfig({
    argv: ['--service', `xmpp://127.0.0.1:${prosody.ports.component}`, '--domain', DOMAIN, '--secret', state.componentSecret,
      '--hosts', 'localhost', '--turn-secret', state.turnSecret, '--turn-host', '127.0.0.1', '--turn-port', String(coturn.port),
      '--stun-port', String(stunPort), '--stun-bind', '127.0.0.1', '--stun-host', '127.0.0.1',
      // The echo peer calls back only to the browsers of this machine (it refuses loopback by default).
      '--echo-bind', '127.0.0.1', '--echo-allow-networks', '127.0.0.0/8,::1/128'],
    env: {}, readFile: () => '{}',
  });
  component = await startComponent(config, createLogger('info', createWriteStream(paths.componentLog, { flags: 'a' })));
  await component.ready;

  const webPort = webPortWanted ?? (await freePort({ protocols: ['tcp'], from: 8080, avoid: [coturn.port, stunPort] }));
  if (webPortWanted !== undefined && !(await portFree(webPort, ['tcp']))) throw new Error(`the web port ${webPort} (JG_STACK_WEB_PORT) is in use`);
  web = await startStackServer({ root: dist, prosodyHttpPort: prosody.ports.http, port: webPort, xmppDomains: ['localhost'] });

  say('');
  say(`Jingle Gateway is running: open http://localhost:${webPort}/`);
  say('');
  for (const [user, password] of Object.entries(state.users)) say(`  log in as ${user}@localhost   password ${password}`);
  say(`  test calls: echo@${DOMAIN}`);
  say(`  relay-only calls (through TURN): http://localhost:${webPort}/?ice=relay`);
  say('');
  say(`Prosody: c2s ${prosody.ports.c2s}, WebSocket via http://localhost:${webPort}/xmpp-websocket; log ${prosody.log}`);
  say(`TURN: coturn on 127.0.0.1:${coturn.port} (UDP and TCP); STUN: the component on 127.0.0.1:${stunPort} (UDP)`);
  say(`Logs: ${paths.root}/ (component.log, coturn/turnserver.log, prosody/prosody.log)`);
  say('Ctrl-C stops everything.');
}

main().catch((err: unknown) => shutdown(1, err instanceof Error ? err.message : String(err)));
