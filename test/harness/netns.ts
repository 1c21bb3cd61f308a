// Runs a TypeScript script in a private network namespace (`unshare -n`, see /work/shared/SERVERS.md)
// whose loopback carries extra addresses: IPv6 sources with an IPv4 tail, link-local with a zone,
// private and public-looking IPv4. Nothing sent there can leave the machine.
import { spawn } from 'node:child_process';

export interface NetnsRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const ROOT = new URL('../..', import.meta.url).pathname;

/** `addresses` are `ip addr add` arguments on lo, e.g. `10.0.0.1/8` or `fe80::1/64`. */
export function runInNetns(script: string, addresses: string[], args: string[] = [], timeoutMs = 60_000): Promise<NetnsRun> {
  const setup = ['ip link set lo up', ...addresses.map((a) => `ip addr add ${a} dev lo`)].join(' && ');
  // IPv6 addresses are tentative until duplicate address detection passes; nodad makes them usable now.
  const withNodad = setup.replace(/(ip addr add [0-9a-f:.]+:[0-9a-f:.]*\/\d+ dev lo)/gi, '$1 nodad');
  const child = spawn('unshare', ['-n', 'sh', '-c', `${withNodad} && exec "$0" --import tsx "$@"`, process.execPath, script, ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stdout, stderr });
  }));
}

/** The last line of stdout that is JSON: what the script reports. */
export function lastJson<T>(run: NetnsRun): T {
  const line = run.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON report (exit ${run.code ?? run.signal}); stderr: ${run.stderr.slice(-2000)}`);
  return JSON.parse(line) as T;
}
