import { describe, expect, it } from 'vitest';
import { callsLeftInWindow, countCalls, emptyQuotaWindow, figureSpent, isWallProbe, learnFromQuota429, markWallProbe, quotaWall } from '../../../src/quota/quota-window.js';
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
    // Learned once, the figure is not confirmed: the calls on their way are answered first.
    expect(quotaWall(next, t0 + 21_000, 10_000, 2)).toBe(t0 + 21_500);
    // Confirmed, the wall stands at once.
    expect(quotaWall({ ...next, confirmed: true }, t0 + 21_000, 10_000, 2)).toBe(t0 + 31_000);
  });

  it('the window that met the 429 sends nothing past it, though the calls on their way met it too', () => {
    const q = learnFromQuota429(countCalls(emptyQuotaWindow, 100, t0, t0 + 1_000, 10_000), t0 + 1_000, 9, 10_000);
    const again = learnFromQuota429(q, t0 + 1_010, 9, 10_000);
    expect(again).toMatchObject({ callsPerWindow: 100, confirmed: false });
    expect(quotaWall(again, t0 + 2_000, 10_000)).toBe(again.lastCallAt! + again.windowMs!);
    expect(isWallProbe(again, t0 + 2_000, 10_000)).toBe(false);
  });

  describe('a figure learned once recovers: one call past it per window until a 429 confirms it', () => {
    // A 429 on a bad day after 20 calls: the window learned is 20 calls.
    const early = learnFromQuota429(countCalls(emptyQuotaWindow, 20, t0, t0 + 1_000, DAY), t0 + 1_000, 3_600, DAY);
    const free = (early.lastCallAt as number) + (early.windowMs as number);
    const atFigure = countCalls(early, 20, free, free + 1_000, DAY);

    it('at the figure one call goes past it (the others wait for its answer)', () => {
      expect(early).toMatchObject({ callsPerWindow: 20, confirmed: false });
      // Spent all the same: a known wait for whoever asks whether the sync is waiting on a limit.
      expect(figureSpent(atFigure, free + 1_000, DAY)).toBe(true);
      expect(figureSpent(atFigure, free + 1_000 + 2 * DAY, DAY)).toBe(false);
      expect(quotaWall(atFigure, free + 1_000, DAY)).toBeNull();
      expect(isWallProbe(atFigure, free + 1_000, DAY)).toBe(true);
      const probing = markWallProbe(atFigure, free + 1_000);
      expect(isWallProbe(probing, free + 1_000, DAY)).toBe(false);
      expect(quotaWall(probing, free + 1_000, DAY, 1)).toBe(free + 1_500);
    });

    it('refused, the figure is confirmed and the wall holds without probing in the windows after', () => {
      const refused = learnFromQuota429(markWallProbe(atFigure, free + 1_000), free + 1_100, 3_600, DAY);
      expect(refused).toMatchObject({ callsPerWindow: 20, confirmed: true });
      expect(quotaWall(refused, free + 2_000, DAY)).toBe(refused.lastCallAt! + refused.windowMs!);
      const nextFree = refused.lastCallAt! + refused.windowMs!;
      const full = countCalls(refused, 20, nextFree, nextFree + 1_000, DAY);
      expect(isWallProbe(full, nextFree + 1_000, DAY)).toBe(false);
      expect(quotaWall(full, nextFree + 1_000, DAY)).toBe(nextFree + 1_000 + refused.windowMs!);
    });

    it('answered, the window goes on (as many calls on their way as went past the figure), and the next window holds what it reached', () => {
      const answered = countCalls(markWallProbe(atFigure, free + 1_000), 1, free + 1_100, free + 1_100, DAY);
      expect(quotaWall(answered, free + 1_200, DAY)).toBeNull();
      expect(quotaWall(answered, free + 1_200, DAY, 1)).toBe(free + 1_700);
      const further = countCalls(answered, 979, free + 1_200, free + 60_000, DAY);
      expect(quotaWall(further, free + 60_000, DAY, 100)).toBeNull();
      expect(callsLeftInWindow(further, free + 60_000, DAY)).toBe(0);
      const nextWindow = countCalls(further, 1, free + 60_000 + DAY, free + 60_000 + DAY, DAY);
      expect(nextWindow.callsPerWindow).toBe(1_000);
      // A 429 at 1,000 in a later window confirms the figure.
      const met = learnFromQuota429(countCalls(nextWindow, 999, free + 61_000 + DAY, free + 70_000 + DAY, DAY), free + 70_001 + DAY, 3_600, DAY);
      expect(met).toMatchObject({ callsPerWindow: 1_000, confirmed: true });
    });
  });

  it('records how long a window that reached the figure took, first call to last (the ETA counts its start-up)', () => {
    const q = learnFromQuota429(countCalls(emptyQuotaWindow, 100, t0, t0 + 1_000, 10_000), t0 + 1_000, 9, 10_000);
    const second = countCalls(countCalls(q, 1, t0 + 12_000, t0 + 12_000, 10_000), 99, t0 + 12_100, t0 + 15_000, 10_000);
    const third = countCalls(second, 1, t0 + 26_000, t0 + 26_000, 10_000);
    expect(third.windowSpanMs).toBe(3_000);
    expect(third.resetLagMs).toBe(1_000);
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
