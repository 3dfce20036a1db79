import { describe, expect, it } from 'vitest';
import { FIRST_PROBE_WAIT_MS, HEADERLESS_RETRY_DELAYS_S, decideRateLimit, rateLimitRetryFailure } from '../../../activities/shared/rate-limit-policy.js';

const minute = 60_000;
const hour = 60 * minute;
/** RATE_LIMIT_FALLBACK_HOURS' default. */
const fallbackHours = 24;

describe('decideRateLimit: what the sync does about a 429', () => {
  it('retries a short 429 in place after exactly its Retry-After, and at least a second after Retry-After: 0', () => {
    expect(decideRateLimit({ kind: 'short', retryAfterSeconds: 7 }, 0, fallbackHours)).toEqual({ action: 'retry', kind: 'short', delaySeconds: 7, streak: 0 });
    expect(decideRateLimit({ kind: 'short', retryAfterSeconds: 60 }, 0, fallbackHours)).toMatchObject({ action: 'retry', delaySeconds: 60 });
    expect(decideRateLimit({ kind: 'short', retryAfterSeconds: 0 }, 0, fallbackHours)).toMatchObject({ action: 'retry', delaySeconds: 1 });
  });

  it('leaves the headerless streak as it is on a short 429 (only a committed batch ends it)', () => {
    expect(decideRateLimit({ kind: 'short', retryAfterSeconds: 3 }, 4, fallbackHours)).toMatchObject({ action: 'retry', streak: 4 });
  });

  it('waits durably for the quota as long as Spotify says, in the workflow, not in place', () => {
    expect(decideRateLimit({ kind: 'quota', retryAfterSeconds: 18_000 }, 0, fallbackHours)).toEqual({
      action: 'wait',
      kind: 'quota',
      waitMs: 18_000_000,
      source: 'spotify',
      streak: 0,
    });
  });

  it('waits RATE_LIMIT_FALLBACK_HOURS for a quota answer without Retry-After', () => {
    expect(decideRateLimit({ kind: 'quota', retryAfterSeconds: null }, 0, fallbackHours)).toEqual({
      action: 'wait',
      kind: 'quota',
      waitMs: 24 * hour,
      source: 'fallback',
      streak: 0,
    });
    expect(decideRateLimit({ kind: 'quota', retryAfterSeconds: null }, 0, 2)).toMatchObject({ waitMs: 2 * hour });
  });

  it('retries a headerless 429 in place with growing delays for about four and a half minutes', () => {
    const delays: number[] = [];
    for (let streak = 0; streak < HEADERLESS_RETRY_DELAYS_S.length; streak++) {
      const decision = decideRateLimit({ kind: 'headerless', retryAfterSeconds: null }, streak, fallbackHours);
      expect(decision).toMatchObject({ action: 'retry', kind: 'headerless', streak: streak + 1 });
      if (decision.action === 'retry') delays.push(decision.delaySeconds);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 120]);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(275);
  });

  it('then climbs the probe ladder: 15 min, 1 h, 4 h, 16 h, never beyond the fallback', () => {
    const waits: Array<{ waitMs: number; probe: number | undefined }> = [];
    for (let streak = HEADERLESS_RETRY_DELAYS_S.length; streak < HEADERLESS_RETRY_DELAYS_S.length + 6; streak++) {
      const decision = decideRateLimit({ kind: 'headerless', retryAfterSeconds: null }, streak, fallbackHours);
      expect(decision).toMatchObject({ action: 'wait', kind: 'headerless', source: 'probe', streak: streak + 1 });
      if (decision.action === 'wait') waits.push({ waitMs: decision.waitMs, probe: decision.probe });
    }
    expect(FIRST_PROBE_WAIT_MS).toBe(15 * minute);
    expect(waits).toEqual([
      { waitMs: 15 * minute, probe: 1 },
      { waitMs: hour, probe: 2 },
      { waitMs: 4 * hour, probe: 3 },
      { waitMs: 16 * hour, probe: 4 },
      { waitMs: 24 * hour, probe: 5 },
      { waitMs: 24 * hour, probe: 6 },
    ]);
    // A shorter fallback caps the ladder sooner.
    expect(decideRateLimit({ kind: 'headerless', retryAfterSeconds: null }, HEADERLESS_RETRY_DELAYS_S.length + 2, 2)).toMatchObject({ waitMs: 2 * hour, probe: 3 });
  });

  it('treats a 429 marked short but with a Retry-After over a minute as a durable wait', () => {
    expect(decideRateLimit({ kind: 'short', retryAfterSeconds: 61 }, 0, fallbackHours)).toMatchObject({ action: 'wait', kind: 'quota', waitMs: 61_000, source: 'spotify' });
  });
});

describe('rateLimitRetryFailure', () => {
  it('makes the activity retry after the decided delay (at least one second) and says why', () => {
    const short = rateLimitRetryFailure('on GET /v1/me/tracks', 'short', 12);
    expect(short.type).toBe('SpotifyRateLimited');
    expect(short.nextRetryDelay).toBe(12_000);
    expect(short.message).toBe('Spotify rate limit (30 s window) on GET /v1/me/tracks: retrying in 12 s');
    const headerless = rateLimitRetryFailure('on GET /v1/me/tracks', 'headerless', 0);
    expect(headerless.nextRetryDelay).toBe(1_000);
    expect(headerless.message).toMatch(/without Retry-After/);
  });
});
