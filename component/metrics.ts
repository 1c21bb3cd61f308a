/** Counters for /metrics, in Prometheus' text format: stanzas in/out, errors by condition, sessions. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${formatLabels(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read);
  }

  /** A counter summed over all its labels. */
  sum(name: string): number {
    let n = 0;
    for (const [key, v] of this.counters) if (key === name || key.startsWith(`${name}{`)) n += v;
    return n;
  }

  get(name: string, labels: Record<string, string> = {}): number {
    return this.counters.get(`${name}${formatLabels(labels)}`) ?? 0;
  }

  text(): string {
    const lines: string[] = [];
    for (const [key, v] of [...this.counters].sort()) lines.push(`jingle_gateway_${key} ${v}`);
    for (const [name, read] of [...this.gauges].sort()) lines.push(`jingle_gateway_${name} ${read()}`);
    return `${lines.join('\n')}\n`;
  }
}

function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${(labels[k] as string).replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}
