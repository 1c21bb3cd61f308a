/**
 * A token bucket per key (a user's bare JID): `capacity` requests at once, refilled at `perMinute`.
 * Pure apart from its map; time comes in as an argument so tests need no clock. Idle buckets are
 * dropped when full again, so a flood of distinct keys cannot grow the map for long.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly capacity = perMinute,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token for `key`; false when the key is over its rate (or too many keys are tracked). */
  take(key: string, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (b) {
      b.tokens = Math.min(this.capacity, b.tokens + ((nowMs - b.at) / 60_000) * this.perMinute);
      b.at = nowMs;
    } else {
      if (this.buckets.size >= this.maxKeys) this.sweep(nowMs);
      if (this.buckets.size >= this.maxKeys) return false;
      b = { tokens: this.capacity, at: nowMs };
      this.buckets.set(key, b);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets buckets that have refilled: they would behave exactly like new ones. */
  sweep(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.at) / 60_000) * this.perMinute >= this.capacity) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
