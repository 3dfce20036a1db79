import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/simulator/rate-limits.js';

const t0 = Date.UTC(2026, 0, 7, 8, 0, 0);
const day = 86_400_000;

describe('the simulator’s rate limiter (Spotify’s rolling window and daily quota)', () => {
  it('lets maxRequests through per window, then answers with the whole seconds until the oldest leaves it', () => {
    const limiter = new RateLimiter();
    const config = { rateLimit: { windowSeconds: 30, maxRequests: 3 }, quota: null };
    for (const at of [0, 1_000, 2_000]) {
      expect(limiter.check(t0 + at, config)).toEqual({ kind: 'allowed' });
      limiter.admit(t0 + at);
    }
    expect(limiter.check(t0 + 2_500, config)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 28 });
    expect(limiter.check(t0 + 29_999, config)).toEqual({ kind: 'rate-limited', retryAfterSeconds: 1 });
    // At 30 s the first call has left the window.
    expect(limiter.check(t0 + 30_000, config)).toEqual({ kind: 'allowed' });
  });

  it('counts only successful answers against the quota, and frees one a day after it was used', () => {
    const limiter = new RateLimiter();
    const config = { rateLimit: null, quota: { perDay: 2 } };
    limiter.admit(t0);
    expect(limiter.quotaUsed).toBe(0);
    limiter.recordSuccess(t0);
    limiter.recordSuccess(t0 + 3_600_000);
    expect(limiter.quotaUsed).toBe(2);
    expect(limiter.check(t0 + 7_200_000, config)).toEqual({ kind: 'quota-exceeded', retryAfterSeconds: (day - 7_200_000) / 1000 });
    expect(limiter.check(t0 + day, config)).toEqual({ kind: 'allowed' });
  });

  it('sends the configured Retry-After for the quota, or none for null', () => {
    const limiter = new RateLimiter();
    limiter.recordSuccess(t0);
    expect(limiter.check(t0 + 1, { rateLimit: null, quota: { perDay: 1, retryAfterSeconds: 18_000 } })).toEqual({ kind: 'quota-exceeded', retryAfterSeconds: 18_000 });
    expect(limiter.check(t0 + 1, { rateLimit: null, quota: { perDay: 1, retryAfterSeconds: null } })).toEqual({ kind: 'quota-exceeded', retryAfterSeconds: null });
  });

  it('checks the window before the quota, and forgets each on reset', () => {
    const limiter = new RateLimiter();
    const config = { rateLimit: { windowSeconds: 30, maxRequests: 1 }, quota: { perDay: 1 } };
    limiter.admit(t0);
    limiter.recordSuccess(t0);
    expect(limiter.check(t0 + 1_000, config)).toMatchObject({ kind: 'rate-limited' });
    limiter.resetWindow();
    expect(limiter.check(t0 + 1_000, config)).toMatchObject({ kind: 'quota-exceeded' });
    limiter.resetQuota();
    expect(limiter.check(t0 + 1_000, config)).toEqual({ kind: 'allowed' });
  });
});
