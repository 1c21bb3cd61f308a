// `npm start` for real (issue 11 A1, A3): every STUN/TURN port that Prosody's and the component's
// XEP-0215 answers hand out is held by the server that should hold it, over the protocol it names,
// and a TURN allocation with those very credentials relays; without coturn it says how to install it;
// SIGTERM or SIGINT to npm's own PID leaves nothing of the stack running, and neither does a failure after Prosody
// has started nor SIGKILL to its node process (the watchdog).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { client, xml } from '@xmpp/client';
import type { Element } from 'ltx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stunRequest } from '../harness/coturn.ts';
import { isAlive, launchNpmStack, processesNaming, stackProcesses, startNpmStack, waitGone, type NpmStack } from '../harness/npm-start.ts';
import { run } from '../harness/ports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Service { type: string; host: string; port: number; transport: string; username?: string; password?: string }

/** The command line of the process holding 127.0.0.1:port (TCP: listening), or undefined. */
async function portOwner(port: number, proto: 'tcp' | 'udp'): Promise<string | undefined> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = await readFile(`/proc/net/${proto}`, 'utf8');
  const inodes = new Set(table.split('\n').slice(1).map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === local && (proto === 'udp' || f[3] === '0A')).map((f) => `socket:[${f[9]}]`));
  if (inodes.size === 0) return undefined;
  for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
      if (inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) {
        return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
      }
    }
  }
  return undefined;
}

async function services(stack: NpmStack, to: string): Promise<Service[]> {
  const c = client({ service: `xmpp://127.0.0.1:${stack.c2sPort}`, domain: 'localhost', username: 'alice', password: stack.passwords.alice as string });
  c.on('error', () => undefined);
  await c.start();
  try {
    const reply: Element = await c.iqCaller.request(xml('iq', { type: 'get', to }, xml('services', { xmlns: 'urn:xmpp:extdisco:2' })), 10_000);
    const list = reply.getChild('services', 'urn:xmpp:extdisco:2');
    return (list?.getChildren('service') ?? []).map((s) => ({
      type: s.attrs.type as string, host: s.attrs.host as string, port: Number(s.attrs.port), transport: (s.attrs.transport as string | undefined) ?? 'udp',
      ...(s.attrs.username ? { username: s.attrs.username as string, password: s.attrs.password as string } : {}),
    }));
  } finally {
    c.reconnect.stop();
    await c.stop();
  }
}

describe('npm start: the ports it hands out', () => {
  let stack: NpmStack;
  beforeAll(async () => { stack = await startNpmStack(); }, 180_000);
  afterAll(async () => { await stack?.stop(); }, 60_000);

  it.each([['Prosody', 'localhost'], ['the component', 'jingle.localhost']])('%s hands out a TURN port coturn holds and relays on', async (_who, to) => {
    const list = await services(stack, to);
    const turn = list.filter((s) => s.type === 'turn');
    expect(turn.length, JSON.stringify(list)).toBeGreaterThan(0);
    for (const s of turn) {
      expect(s.host).toBe('127.0.0.1');
      expect(await portOwner(s.port, s.transport === 'tcp' ? 'tcp' : 'udp'), `${s.transport} ${s.port}`).toMatch(/^turnserver -c \S+\/coturn\/turnserver\.conf/);
      // A real allocation with the handed-out credentials, relaying between two loopback clients.
      const out = await run('turnutils_uclient', ['-p', String(s.port), '-u', s.username!, '-w', s.password!, '-y', '-n', '5', '-m', '1',
        ...(s.transport === 'tcp' ? ['-t'] : []), '127.0.0.1'], 30_000);
      expect(out).toMatch(/Total lost packets 0 /);
    }
  });

  it('the component hands out its STUN server, which it holds over UDP and which answers', async () => {
    const stun = (await services(stack, 'jingle.localhost')).filter((s) => s.type === 'stun');
    expect(stun.length).toBeGreaterThan(0);
    for (const s of stun) {
      expect(s.transport).toBe('udp');
      expect(await portOwner(s.port, 'udp')).toMatch(/scripts\/start\.ts/);
      expect(await stunRequest(s.port)).toMatch(/UDP reflexive addr: 127\.0\.0\.1:\d+/);
    }
    const turnPorts = (await services(stack, 'localhost')).filter((s) => s.type === 'turn').map((s) => s.port);
    expect(turnPorts).not.toContain(stun[0]!.port);
  });
});

describe('npm start without coturn', () => {
  it('says how to install it and starts nothing', async () => {
    // A PATH with everything start.ts runs but turnserver.
    const bin = await mkdtemp(join(tmpdir(), 'jg-path-'));
    const dir = await mkdtemp(join(tmpdir(), 'jg-stack-'));
    try {
      for (const tool of ['sh', 'node', 'prosody', 'prosodyctl']) await symlink(`/usr/bin/${tool}`, join(bin, tool));
      const out = await new Promise<{ code: number | null; text: string }>((ok) => {
        const child = spawn('/usr/bin/node', [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'],
          { cwd: ROOT, env: { ...process.env, PATH: bin, JG_STACK_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
        child.once('exit', (code) => ok({ code, text }));
      });
      expect(out.code).toBe(1);
      expect(out.text).toContain('coturn (turnserver) is not installed. Install it with:  sudo apt-get install -y coturn');
      expect(await stackProcesses(dir)).toEqual([]);
    } finally {
      await rm(bin, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm start: stopping', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s to the PID of npm start stops Prosody, coturn, the component and the web page', async (signal) => {
    const stack = await startNpmStack();
    try {
      const pids = await stack.processes();
      // npm, sh, tsx, node, prosody, turnserver, the watchdog (and tsx's esbuild)
      expect(pids.length).toBeGreaterThanOrEqual(6);
      expect(await processesNaming(stack.dir)).toEqual(expect.arrayContaining([expect.stringMatching(/turnserver/), expect.stringMatching(/prosody/)]));
      process.kill(stack.child.pid!, signal); // npm's own PID only, as `kill <pid>` would
      await waitGone('processes started by npm start (by PID)', async () => pids.filter(isAlive));
      await waitGone('processes naming the stack dir', () => processesNaming(stack.dir));
      await expect(fetch(stack.url)).rejects.toThrow();
    } finally {
      await stack.stop();
    }
  }, 180_000);

  it('a busy web port after Prosody has started: it says so, exits 1 and leaves nothing running', async () => {
    const busy: Server = createServer();
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', () => ok()));
    const port = (busy.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'jg-stack-'));
    const launched = launchNpmStack(dir, { JG_STACK_WEB_PORT: String(port) });
    try {
      expect(await launched.exited).not.toBe('0');
      expect(launched.output()).toMatch(new RegExp(`web port ${port}.*in use`));
      expect(launched.output()).toMatch(/stopping/);
      await waitGone('processes of the stack', () => stackProcesses(dir), 10_000);
      await waitGone('processes naming the stack dir', () => processesNaming(dir), 10_000);
    } finally {
      busy.close();
      await launched.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('SIGKILL to tsx (its parent): start.ts notices and stops everything', async () => {
    const stack = await startNpmStack();
    try {
      const cmdlines = await Promise.all((await stack.processes()).map(async (pid) => ({
        pid, cmdline: (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' '),
      })));
      const tsx = cmdlines.find((p) => /\.bin\/tsx scripts\/start\.ts/.test(p.cmdline));
      expect(tsx, cmdlines.map((p) => p.cmdline).join('\n')).toBeDefined();
      process.kill(tsx!.pid, 'SIGKILL');
      await waitGone('processes of the stack', () => stack.processes(), 15_000);
      expect(stack.output()).toMatch(/has gone/);
    } finally {
      await stack.stop();
    }
  }, 180_000);

  it('SIGKILL to its node process: the watchdog stops Prosody and coturn', async () => {
    const stack = await startNpmStack();
    try {
      const cmdlines = await Promise.all((await stack.processes()).map(async (pid) => ({
        pid, cmdline: (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' '),
      })));
      // tsx runs start.ts in a node child of its own, with its loader imported.
      const node = cmdlines.find((p) => /--import \S*tsx\S*loader\.mjs scripts\/start\.ts/.test(p.cmdline));
      expect(node, cmdlines.map((p) => p.cmdline).join('\n')).toBeDefined();
      process.kill(node!.pid, 'SIGKILL');
      await waitGone('processes naming the stack dir', () => processesNaming(stack.dir), 15_000);
      await waitGone('processes of the stack', () => stack.processes(), 15_000);
    } finally {
      await stack.stop();
    }
  }, 180_000);

  it('Prosody dying takes the whole stack down, coturn included', async () => {
    const stack = await startNpmStack();
    try {
      const prosody = (await processesNaming(stack.dir)).find((l) => /prosody\.cfg\.lua/.test(l));
      expect(prosody).toBeDefined();
      process.kill(Number(prosody!.split(':')[0]), 'SIGKILL');
      expect(await stack.exited).not.toBe('0');
      expect(stack.output()).toMatch(/Prosody exited/);
      await waitGone('processes of the stack', () => stack.processes(), 10_000);
    } finally {
      await stack.stop();
    }
  }, 180_000);
});
