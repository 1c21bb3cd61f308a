// The README's `npm start`, run for real as a child process on a stack dir of its own (JG_STACK_DIR), so
// a test never touches a developer's .stack: its output, the logins it prints, the processes it made.
//
//   const stack = await startNpmStack();        // resolves once the page address is printed
//   stack.url, stack.passwords.alice, stack.c2sPort
//   stack.processes()                           // PIDs of every process that carries its JG_STACK_DIR
//   await stack.stop();                         // SIGTERM to npm's PID, waits for all of it to go
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './ports.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface NpmStack {
  child: ChildProcess;
  dir: string;
  /** e.g. http://localhost:8081/ */
  url: string;
  passwords: Record<string, string>;
  c2sPort: number;
  output(): string;
  /** PIDs of live processes (not zombies) whose environment names this stack dir. */
  processes(): Promise<number[]>;
  /** Resolves with npm's exit code (or signal) once it has exited. */
  exited: Promise<string>;
  /** SIGTERM to npm's own PID (not its group), then waits until no process of the stack is left. */
  stop(): Promise<void>;
}

/** Every live process whose /proc/PID/environ holds JG_STACK_DIR=dir (read as root). */
export async function stackProcesses(dir: string): Promise<number[]> {
  const needle = `JG_STACK_DIR=${dir}\0`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [environ, stat] = await Promise.all([
      readFile(`/proc/${entry}/environ`, 'latin1').catch(() => ''), readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''),
    ]);
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (environ.includes(needle) && state !== 'Z' && state !== '') pids.push(Number(entry));
  }
  return pids;
}

/** Processes whose command line names `dir` (coturn's and Prosody's config paths, the watchdog). */
export async function processesNaming(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (cmdline.includes(dir) && !stat.includes(') Z ')) found.push(`${entry}: ${cmdline.slice(0, 160)}`);
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return true;
}

/** Waits until `check` returns an empty list; rejects with what is left. */
export async function waitGone<T>(what: string, check: () => Promise<T[]>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const left = await check();
    if (left.length === 0) return;
    if (Date.now() > end) throw new Error(`${what} still there after ${ms} ms: ${left.join(', ')}`);
    await sleep(200);
  }
}

/** Runs `npm start`; `dir` (a stack dir to reuse) and `env` are optional. Resolves when it is ready. */
export async function startNpmStack(options: { dir?: string; env?: Record<string, string>; readyMs?: number } = {}): Promise<NpmStack> {
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'jg-stack-'));
  const launched = launchNpmStack(dir, options.env);
  const deadline = Date.now() + (options.readyMs ?? 150_000);
  for (;;) {
    const out = launched.output();
    const url = /open (http:\/\/localhost:\d+\/)/.exec(out)?.[1];
    const c2s = /c2s (\d+)/.exec(out)?.[1];
    const passwords = Object.fromEntries([...out.matchAll(/log in as (\w+)@localhost\s+password (\S+)/g)].map((m) => [m[1], m[2]]));
    if (url !== undefined && c2s !== undefined && Object.keys(passwords).length >= 2) {
      return { ...launched, url, passwords, c2sPort: Number(c2s) };
    }
    const exitedWith = await Promise.race([launched.exited, sleep(200).then(() => undefined)]);
    if (exitedWith !== undefined || Date.now() > deadline) {
      await launched.stop().catch(() => undefined);
      throw new Error(`npm start did not come up (${exitedWith ?? 'timeout'}):\n${out}`);
    }
  }
}

/** Starts `npm start` without waiting for anything (for tests of how it fails). */
export function launchNpmStack(dir: string, env: Record<string, string> = {}): Omit<NpmStack, 'url' | 'passwords' | 'c2sPort'> {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env, JG_STACK_DIR: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  child.stderr?.on('data', (d: Buffer) => { out += d.toString('utf8'); });
  const exited = new Promise<string>((ok) => child.once('exit', (code, signal) => ok(String(signal ?? code))));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await waitGone('processes of the stack', () => stackProcesses(dir));
    await rm(dir, { recursive: true, force: true });
  };
  return { child, dir, output: () => out, processes: () => stackProcesses(dir), exited, stop };
}
