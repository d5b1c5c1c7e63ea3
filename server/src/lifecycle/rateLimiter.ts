/**
 * Token bucket per key (a client's session id): `ratePerSecond` tokens refill continuously up to
 * `burst`. Time comes from the caller so the limiter is deterministic under test.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Keys held before full buckets are swept (a full bucket is the same as no bucket). */
  private static readonly SWEEP_AT = 10_000;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty (the caller answers RATE_LIMITED). */
  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.ratePerSecond);
    bucket.at = nowMs;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > TokenBuckets.SWEEP_AT) this.sweep(nowMs);
    return allowed;
  }

  /** Drops buckets that have refilled: long-lived limiters keyed by player or address stay small. */
  private sweep(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
