/** Counters for /metrics, in Prometheus' text format: stanzas in/out, errors by condition, sessions. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();
  /**
   * Counter keys already formatted, by name, label and value: a counter with one label is counted
   * per stanza (stanzas in, by kind), and formatting its key each time was a sort, a map and a regex.
   */
  private readonly keys = new Map<string, Map<string, Map<string, string>>>();

  inc(name: string, labels?: Record<string, string>, by = 1): void {
    const key = labels === undefined ? name : this.key(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  private key(name: string, labels: Record<string, string>): string {
    let only: string | undefined;
    for (const k in labels) {
      if (only !== undefined) return `${name}${formatLabels(labels)}`;
      only = k;
    }
    if (only === undefined) return name;
    const value = labels[only] as string;
    let byLabel = this.keys.get(name);
    if (!byLabel) this.keys.set(name, (byLabel = new Map()));
    let byValue = byLabel.get(only);
    if (!byValue) byLabel.set(only, (byValue = new Map()));
    let key = byValue.get(value);
    if (key === undefined) {
      key = `${name}${formatLabels(labels)}`;
      // Values come from the network (error conditions are a closed set, kinds too): bound the cache anyway.
      if (byValue.size < 256) byValue.set(value, key);
    }
    return key;
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

  get(name: string, labels?: Record<string, string>): number {
    return this.counters.get(labels === undefined ? name : `${name}${formatLabels(labels)}`) ?? 0;
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
