// What a fuzz run counts per target: inputs tried, results, errors by condition, no reply, time;
// and the table scripts/fuzz.ts prints.
export interface Stats {
  target: string;
  inputs: number;
  results: number;
  /** Inputs that get no reply (messages, presence, responses, ticks). */
  none: number;
  errors: Map<string, number>;
  /** Inputs that hit a known bug (test/fuzz/known-bugs.ts), by its id. */
  known: Map<string, number>;
  ms: number;
}

export function newStats(target: string): Stats {
  return { target, inputs: 0, results: 0, none: 0, errors: new Map(), known: new Map(), ms: 0 };
}

export function countError(s: Stats, condition: string): void {
  s.errors.set(condition, (s.errors.get(condition) ?? 0) + 1);
}

export function countKnown(s: Stats, id: string): void {
  s.known.set(id, (s.known.get(id) ?? 0) + 1);
}

/** Runs `f`, adding its wall time to the stats. */
export async function timed<T>(s: Stats, f: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await f();
  } finally {
    s.ms += performance.now() - start;
  }
}

const counts = (m: Map<string, number>): string => [...m].sort(([, a], [, b]) => b - a).map(([c, n]) => `${c} ${n}`).join(', ') || '-';
export const errorsText = (s: Stats): string => counts(s.errors);
export const knownText = (s: Stats): string => counts(s.known);

export function summary(s: Stats): string {
  return `${s.target}: ${s.inputs} inputs in ${(s.ms / 1000).toFixed(1)} s (${s.results} results, ${s.none} without reply; errors: ${errorsText(s)}; known bugs: ${knownText(s)})`;
}

export function statsTable(all: readonly Stats[]): string {
  const header = ['target', 'inputs tried', 'results', 'no reply', 'errors by condition', 'known bugs hit', 'time'];
  const rows = all.map((s) => [s.target, String(s.inputs), String(s.results), String(s.none), errorsText(s), knownText(s), `${(s.ms / 1000).toFixed(1)} s`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 4 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
