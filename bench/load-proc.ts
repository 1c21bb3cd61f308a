// What the load benchmark reads about the component process: its counters and gauges from /metrics
// (Prometheus text), its resident memory and CPU time from /proc (Linux).
import { readFileSync } from 'node:fs';

export interface ComponentStats {
  online: boolean;
  stanzasIn: number;
  stanzasOut: number;
  errors: number;
  active: number;
}

/** Sums a metric over all its labels. */
function sum(text: string, name: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`jingle_gateway_${name} `) || line.startsWith(`jingle_gateway_${name}{`)) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return n;
}

export async function componentStats(httpPort: number): Promise<ComponentStats> {
  const [health, metrics] = await Promise.all([
    fetch(`http://127.0.0.1:${httpPort}/health`),
    fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text()),
  ]);
  return {
    online: health.status === 200,
    stanzasIn: sum(metrics, 'stanzas_in_total'),
    stanzasOut: sum(metrics, 'stanzas_out_total'),
    errors: sum(metrics, 'errors_total'),
    active: sum(metrics, 'echo_calls_active'),
  };
}

/** VmRSS of a process, in KiB. */
export function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

/** User + system CPU time of a process, in ms (clock ticks are 1/100 s on Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
