/**
 * `npm start`: the whole thing on localhost, in one process tree. A Prosody from this machine with a
 * config generated into .stack/, two demo users, the component, and the built web client on
 * http://localhost:8080 (or the next free port). Ctrl-C stops what this started and nothing else; a
 * second run reuses .stack/, its secrets and its users.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync, createWriteStream } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig } from '../component/config.ts';
import { createLogger } from '../component/logger.ts';
import { startComponent } from '../component/main.ts';
import { prosodyConfig } from './prosody-config.ts';
import { startStackServer } from './stack-server.ts';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const STACK = join(ROOT, '.stack');
const PROSODY_DIR = join(STACK, 'prosody');
const CLIENT_DIST = join(ROOT, 'dist', 'client');
const DOMAIN = 'jingle.localhost';

interface State {
  users: Record<string, string>;
  registered: string[];
  /** Whether the demo users are already in each other's roster. */
  acquainted?: boolean;
  componentSecret: string;
  turnSecret: string;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): never {
  process.stderr.write(`npm start: ${line}\n`);
  process.exit(1);
}

function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function loadState(): State {
  const file = join(STACK, 'state.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as State;
  const secret = () => randomBytes(12).toString('hex');
  const state: State = { users: { alice: secret(), bob: secret() }, registered: [], componentSecret: secret(), turnSecret: secret() };
  mkdirSync(STACK, { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}

function saveState(state: State): void {
  writeFileSync(join(STACK, 'state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** The first free port from `from` on 127.0.0.1 (0 = any). */
function freePort(from = 0): Promise<number> {
  return new Promise((ok, reject) => {
    const s = createServer();
    s.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' && from > 0 ? ok(freePort(from + 1)) : reject(e)));
    s.listen(from, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        res(true);
      });
      sock.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`nothing listens on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The client is rebuilt when any of its sources (or schemas') is newer than the built page. */
function clientIsStale(): boolean {
  const built = join(CLIENT_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > builtAt));
  return newer(join(ROOT, 'client')) || newer(join(ROOT, 'schemas'));
}

let stopping = false;

/**
 * The demo users see each other in their contact lists from the start: each pre-approves the other
 * (RFC 6121 section 3.4), then asks, so the server completes both subscriptions at once.
 */
async function acquaint(users: Record<string, string>, c2sPort: number): Promise<void> {
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

async function main(): Promise<void> {
  if (!have('prosody') || !have('prosodyctl')) {
    fail('Prosody is not installed. Install it with:  sudo apt-get install -y prosody   (Debian/Ubuntu), then run npm start again.');
  }
  const state = loadState();
  mkdirSync(join(PROSODY_DIR, 'data'), { recursive: true });
  const ports = { c2s: await freePort(), http: await freePort(), component: await freePort() };
  const cfgPath = join(PROSODY_DIR, 'prosody.cfg.lua');
  writeFileSync(cfgPath, prosodyConfig({
    dir: PROSODY_DIR, ports, components: { [DOMAIN]: state.componentSecret }, turnSecret: state.turnSecret, turnPort: 3478,
  }));
  for (const [user, password] of Object.entries(state.users)) {
    if (state.registered.includes(user)) continue;
    const r = spawnSync('prosodyctl', ['--config', cfgPath, 'register', user, 'localhost', password], { encoding: 'utf8' });
    if (r.status !== 0) fail(`could not create the demo user ${user}: ${r.stderr || r.stdout}`);
    state.registered.push(user);
    saveState(state);
  }

  const children: ChildProcess[] = [];
  const prosody = spawn('prosody', ['--config', cfgPath, '-F'], { stdio: 'ignore' });
  children.push(prosody);
  prosody.on('exit', (code) => {
    if (!stopping) fail(`Prosody stopped (exit code ${code}); see ${join(PROSODY_DIR, 'prosody.log')}`);
  });
  await waitForPort(ports.component, 15_000).catch(() => fail(`Prosody did not start; see ${join(PROSODY_DIR, 'prosody.log')}`));

  if (!state.acquainted) {
    await acquaint(state.users, ports.c2s);
    state.acquainted = true;
    saveState(state);
  }

  if (clientIsStale()) {
    say('building the web client ...');
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) fail('the web client did not build (npx vite build)');
  }

  const stunPort = await freePort(3478);
  const config = loadConfig({
    argv: ['--service', `xmpp://127.0.0.1:${ports.component}`, '--domain', DOMAIN, '--secret', state.componentSecret,
      '--hosts', 'localhost', '--turn-secret', state.turnSecret, '--turn-host', '127.0.0.1',
      '--stun-port', String(stunPort), '--stun-bind', '127.0.0.1', '--stun-host', '127.0.0.1', '--echo-bind', '127.0.0.1'],
    env: {}, readFile: () => '{}',
  });
  const component = await startComponent(config, createLogger('info', createWriteStream(join(STACK, 'component.log'), { flags: 'a' })));
  await component.ready;

  const webPort = await freePort(8080);
  const web = await startStackServer({ root: CLIENT_DIST, prosodyHttpPort: ports.http, port: webPort });

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('\nstopping ...');
    web.close();
    await component.stop();
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  say('');
  say(`Jingle Gateway is running: open http://localhost:${webPort}/`);
  say('');
  for (const [user, password] of Object.entries(state.users)) say(`  log in as ${user}@localhost   password ${password}`);
  say(`  test calls: echo@${DOMAIN}`);
  say('');
  say(`Prosody: .stack/prosody (c2s ${ports.c2s}, WebSocket via http://localhost:${webPort}/xmpp-websocket); component log: .stack/component.log`);
  say('Ctrl-C stops everything.');
}

await main();
