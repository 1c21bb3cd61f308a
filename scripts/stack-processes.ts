/**
 * The servers `npm start` runs (Prosody, coturn) as child processes that cannot outlive it.
 *
 * Each server runs in a process group of its own, so a terminal's Ctrl-C reaches only `npm start`,
 * which then stops them in order. If this node process dies without stopping them (SIGKILL, a crash),
 * a watchdog does: a tiny `sh` that holds the read end of a pipe from us and knows each server's
 * group; the kernel closes the pipe when we die, however we die, and the watchdog kills the groups.
 * No prctl, no polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface StackProcess {
  name: string;
  pid: number;
  /** Why it exited, once it has. */
  exitReason(): string | undefined;
  exited: Promise<string>;
}

/**
 * Reads group ids from stdin; at EOF (we died) kills them, at "done" (we stopped them) just exits.
 * Debian's sh is dash, whose kill takes a group as -PGID but knows no "--".
 */
const WATCHDOG = `
groups=
while read -r line; do
  [ "$line" = done ] && exit 0
  groups="$groups $line"
done
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
sleep 3
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
`;

export class Supervisor {
  readonly #procs: { proc: StackProcess; child: ChildProcess }[] = [];
  readonly #watchdog: ChildProcess;

  /** `tag` goes on the watchdog's command line, so it can be found there (e.g. the stack dir). */
  constructor(tag: string) {
    this.#watchdog = spawn('sh', ['-c', WATCHDOG, 'jg-stack-watchdog', tag], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.#watchdog.on('error', () => undefined);
    this.#watchdog.stdin?.on('error', () => undefined);
    this.#watchdog.unref();
  }

  /** PIDs of every process started here that may still run (the watchdog included). */
  pids(): number[] {
    return [...this.#procs.map((p) => p.proc.pid), this.#watchdog.pid ?? -1].filter((p) => p > 0);
  }

  /** Starts `command` in its own process group, stdout and stderr appended to `logFile`. */
  start(name: string, command: string, args: readonly string[], logFile: string): StackProcess {
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    let reason: string | undefined;
    const exited = new Promise<string>((ok) => {
      child.once('error', (e) => { reason = `could not run ${command}: ${e.message}`; ok(reason); });
      child.once('exit', (code, signal) => { reason = `${name} exited (${signal ?? `code ${code}`})`; ok(reason); });
    });
    if (child.pid !== undefined) this.#watchdog.stdin?.write(`${child.pid}\n`);
    const proc: StackProcess = { name, pid: child.pid ?? -1, exitReason: () => reason, exited };
    this.#procs.push({ proc, child });
    return proc;
  }

  /** SIGTERM to each group (last started first), SIGKILL after `graceMs`; then dismisses the watchdog. */
  async stopAll(graceMs = 5_000): Promise<void> {
    for (const { proc } of [...this.#procs].reverse()) {
      if (proc.exitReason() === undefined) signalGroup(proc.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(proc.pid, 'SIGKILL'), graceMs);
      await proc.exited;
      clearTimeout(timer);
      signalGroup(proc.pid, 'SIGKILL'); // anything the server itself forked
    }
    this.#watchdog.stdin?.end('done\n');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try { process.kill(-pid, signal); } catch { /* gone already */ }
}
