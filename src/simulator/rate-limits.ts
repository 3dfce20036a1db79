import { type SimulatorConfig } from './config.js';

/** Spotify's two kinds of 429: the rolling ~30 s window and the rolling 24 h quota. */

const defaultQuotaWindowMs = 86_400_000;
const quotaWindowMsOf = (quota: SimulatorConfig['quota']): number => (quota?.windowSeconds ? quota.windowSeconds * 1000 : defaultQuotaWindowMs);

/** Timestamps in ascending order within a rolling window. */
class RollingLog {
  private times: number[] = [];
  private head = 0;

  prune(now: number, windowMs: number): void {
    // A call at t is inside the window while now < t + windowMs.
    while (this.head < this.times.length && (this.times[this.head] ?? 0) + windowMs <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  get count(): number {
    return this.times.length - this.head;
  }

  get oldest(): number | undefined {
    return this.times[this.head];
  }

  add(time: number): void {
    // The injected clock may be coarse; keep the log sorted anyway.
    const last = this.times[this.times.length - 1];
    this.times.push(last !== undefined && time < last ? last : time);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}

export type LimitDecision = { kind: 'allowed' } | { kind: 'rate-limited'; retryAfterSeconds: number } | { kind: 'quota-exceeded'; retryAfterSeconds: number | null };

const secondsUntil = (whenMs: number, now: number): number => Math.max(1, Math.ceil((whenMs - now) / 1000));

export class RateLimiter {
  private readonly window = new RollingLog();
  private readonly quota = new RollingLog();

  /** Decides before the request runs; 429s themselves count against neither limit. */
  check(now: number, config: Pick<SimulatorConfig, 'rateLimit' | 'quota'>): LimitDecision {
    const { rateLimit, quota } = config;
    if (rateLimit) {
      const windowMs = rateLimit.windowSeconds * 1000;
      this.window.prune(now, windowMs);
      if (this.window.count >= rateLimit.maxRequests) {
        return { kind: 'rate-limited', retryAfterSeconds: secondsUntil((this.window.oldest ?? now) + windowMs, now) };
      }
    }
    if (quota) {
      const quotaWindowMs = quotaWindowMsOf(quota);
      this.quota.prune(now, quotaWindowMs);
      if (this.quota.count >= quota.perDay) {
        const { retryAfterSeconds } = quota;
        if (retryAfterSeconds === null) return { kind: 'quota-exceeded', retryAfterSeconds: null };
        if (retryAfterSeconds !== undefined) return { kind: 'quota-exceeded', retryAfterSeconds };
        const frees = this.quota.oldest === undefined ? now + quotaWindowMs : this.quota.oldest + quotaWindowMs;
        return { kind: 'quota-exceeded', retryAfterSeconds: secondsUntil(frees, now) };
      }
    }
    return { kind: 'allowed' };
  }

  /** Every request let through counts in the rolling window, whatever its outcome. */
  admit(now: number): void {
    this.window.add(now);
  }

  /** Only successful, well-formed answers use up the daily quota. */
  recordSuccess(now: number, quota: SimulatorConfig['quota'] = null): void {
    this.quota.prune(now, quotaWindowMsOf(quota));
    this.quota.add(now);
  }

  get quotaUsed(): number {
    return this.quota.count;
  }

  resetWindow(): void {
    this.window.clear();
  }

  resetQuota(): void {
    this.quota.clear();
  }
}
