/**
 * Reconnect delays: exponential from `initialMs` to `maxMs`, with full jitter so that many components
 * (or one component and its restarted server) do not retry in lockstep.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly opts: BackoffOptions) {}

  /** The delay before the next attempt; each call grows it. */
  next(): number {
    const ceiling = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const r = (this.opts.random ?? Math.random)();
    return Math.round(this.opts.initialMs / 2 + r * (ceiling - this.opts.initialMs / 2));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
