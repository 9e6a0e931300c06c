import { AppError } from "./errors";

type Bucket = { tokens: number; updatedAt: number };

/**
 * A token bucket per key, in this process (DESIGN allows per-process limits):
 * `ratePerSecond` sustained, bursts up to `burst`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes `cost` tokens or returns the seconds to wait before they are there. */
  take(key: string, cost = 1, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.ratePerSecond)) };
  }

  /** Whether `cost` tokens are there now, without taking them. */
  has(key: string, cost = 1, now = Date.now()): boolean {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.burst >= cost;
    return Math.min(this.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.ratePerSecond) >= cost;
  }

  /** As take, but throws the 429 error. */
  enforce(key: string, cost = 1): void {
    const result = this.take(key, cost);
    if (!result.ok) {
      throw new AppError("rate_limited", `Too many requests; retry in ${result.retryAfterSeconds} s`, undefined, result.retryAfterSeconds);
    }
  }
}
