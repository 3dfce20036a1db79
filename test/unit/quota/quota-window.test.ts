import { describe, expect, it } from 'vitest';
import { callsLeftInWindow, countCalls, emptyQuotaWindow, learnFromQuota429, quotaWall } from '../../../src/quota/quota-window.js';
import { RateLimiter } from '../../../src/simulator/rate-limits.js';

const DAY = 86_400_000;
const t0 = Date.parse('2026-12-06T08:00:00Z');

describe('the quota window of an app', () => {
  it('is unknown until a quota 429: no wall, whatever was counted', () => {
    const q = countCalls(emptyQuotaWindow, 1_500, t0, t0 + 60_000, DAY);
    expect(q.windowCalls).toBe(1_500);
    expect(quotaWall(q, t0 + 61_000, DAY)).toBeNull();
    expect(callsLeftInWindow(q, t0 + 61_000, DAY)).toBeNull();
  });

  it('learns the calls a window holds and its length from the 429 (Retry-After counted from the first call)', () => {
    const counted = countCalls(emptyQuotaWindow, 1_500, t0, t0 + 60_000, DAY);
    const q = learnFromQuota429(counted, t0 + 61_000, 86_400 - 61, DAY);
    expect(q.callsPerWindow).toBe(1_500);
    expect(q.windowMs).toBe(DAY);
    // The wall stands until a window after the last call: every call has left the rolling window then.
    expect(quotaWall(q, t0 + 120_000, DAY)).toBe(t0 + 61_000 + DAY);
    expect(quotaWall(q, t0 + 61_000 + DAY, DAY)).toBeNull();
    // One call probes; the others wait for its answer.
    expect(quotaWall(q, t0 + 61_000 + DAY, DAY, 1)).toBe(t0 + 61_000 + DAY + 500);
    expect(callsLeftInWindow(q, t0 + 61_000 + DAY, DAY)).toBe(1_500);
  });

  it('without Retry-After the window lasts RATE_LIMIT_FALLBACK_HOURS', () => {
    const q = learnFromQuota429(countCalls(emptyQuotaWindow, 300, t0, t0 + 1_000, DAY), t0 + 2_000, null, DAY);
    expect(q).toMatchObject({ callsPerWindow: 300, windowMs: DAY });
  });

  it('stops before the wall once known: the calls on their way count', () => {
    const q = learnFromQuota429(countCalls(emptyQuotaWindow, 100, t0, t0 + 1_000, 10_000), t0 + 1_000, 9, 10_000);
    const next = countCalls(q, 98, t0 + 20_000, t0 + 21_000, 10_000);
    expect(quotaWall(next, t0 + 21_000, 10_000)).toBeNull();
    expect(quotaWall(next, t0 + 21_000, 10_000, 2)).toBe(t0 + 31_000);
  });

  it('a probe refused with few calls counted does not shrink the quota', () => {
    const q = learnFromQuota429(countCalls(emptyQuotaWindow, 100, t0, t0 + 1_000, 10_000), t0 + 1_000, 9, 10_000);
    const probe = countCalls(q, 1, t0 + 20_000, t0 + 20_000, 10_000);
    const after = learnFromQuota429(probe, t0 + 20_001, 5, 60_000);
    expect(after.callsPerWindow).toBe(100);
    // The window was not free when thought: it is longer by the Retry-After.
    expect(after.windowMs).toBe(q.windowMs! + 5_000);
  });
});

describe('the simulator quota of windowSeconds', () => {
  it('frees a call windowSeconds after it was made', () => {
    const limiter = new RateLimiter();
    const config = { rateLimit: null, quota: { perDay: 2, windowSeconds: 10 } };
    limiter.recordSuccess(t0, config.quota);
    limiter.recordSuccess(t0 + 1_000, config.quota);
    expect(limiter.check(t0 + 2_000, config)).toEqual({ kind: 'quota-exceeded', retryAfterSeconds: 8 });
    expect(limiter.check(t0 + 10_000, config)).toEqual({ kind: 'allowed' });
  });
});
