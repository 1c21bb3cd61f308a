// Shared by the benchmarks: an aligned text table, percentiles, and a heap reading after a real gc.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, so the figure is retained memory, not garbage. */
export function gcHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
