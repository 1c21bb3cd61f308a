/**
 * Notices when the `npm start` that launched us is gone. npm 10 and 11 forward SIGINT and SIGTERM to
 * their child only, the script's `sh -c`; Debian's dash passes neither on (it dies of SIGTERM and holds
 * SIGINT while it waits). package.json's `exec tsx scripts/start.ts` makes that child tsx, which relays
 * both to us; this is the net under it, for a start script without `exec`, or npm or tsx killed
 * outright: we watch our ancestors up to the npm process (by PID and start time, so a reused PID does
 * not count as alive) and stop the stack when any of them has gone.
 */
import { readFileSync } from 'node:fs';

interface Ancestor { pid: number; start: string; cmdline: string }

/** ppid and start time from /proc/<pid>/stat (the command name in parentheses may hold spaces). */
export function parseStat(stat: string): { state: string; ppid: number; start: string } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) ... starttime(22), counted from 1 as in proc(5).
  const [state, ppidText] = fields;
  const ppid = Number(ppidText);
  const start = fields[19];
  return state !== undefined && Number.isInteger(ppid) && start !== undefined ? { state, ppid, start } : undefined;
}

function read(pid: number): Ancestor & { ppid: number } | undefined {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    // A zombie has died; only its parent has not collected it yet.
    if (stat === undefined || stat.state === 'Z') return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, start: stat.start, cmdline, ppid: stat.ppid };
  } catch {
    return undefined;
  }
}

/**
 * The processes whose death should stop us: under npm (npm_lifecycle_event is set), every ancestor up
 * to and including npm's own process; otherwise just our parent.
 */
export function lifeline(env: NodeJS.ProcessEnv = process.env): Ancestor[] {
  const chain: Ancestor[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const a = read(pid);
    if (a === undefined) break;
    chain.push(a);
    if (env.npm_lifecycle_event === undefined || /(^|\/)npm(-cli\.js)?( |$)/.test(a.cmdline)) break;
    pid = a.ppid;
  }
  const npmFound = chain.some((a) => /(^|\/)npm(-cli\.js)?( |$)/.test(a.cmdline));
  return npmFound ? chain : chain.slice(0, 1);
}

/** Calls `onGone` (once) when a process of the lifeline has died; returns a function that stops watching. */
export function watchLifeline(onGone: (who: string) => void, everyMs = 250): () => void {
  const chain = lifeline();
  const timer = setInterval(() => {
    const gone = chain.find((a) => read(a.pid)?.start !== a.start);
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(`${gone.cmdline || `process ${gone.pid}`} (PID ${gone.pid})`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
