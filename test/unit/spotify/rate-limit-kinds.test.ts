import { describe, expect, it } from 'vitest';
// rateLimitError is the classifier every 429 goes through (the Web API and the Accounts clients).
import { rateLimitError } from '../../../src/spotify/errors.js';
import { SHORT_RATE_LIMIT_MAX_SECONDS } from '../../../src/spotify/errors.js';

const NOW = Date.parse('2026-01-07T08:00:00Z');
const endpoint = 'GET /v1/me/tracks';
const classify = (headers: Record<string, string>, body: unknown = undefined) => rateLimitError(endpoint, new Headers(headers), body, NOW);

describe('the three kinds of 429', () => {
  it('is short with a Retry-After of at most a minute (the ~30 s window)', () => {
    expect(SHORT_RATE_LIMIT_MAX_SECONDS).toBe(60);
    expect(classify({ 'retry-after': '4' })).toMatchObject({ kind: 'short', retryAfterSeconds: 4, endpoint, status: 429, reason: null });
    expect(classify({ 'retry-after': '60' })).toMatchObject({ kind: 'short', retryAfterSeconds: 60 });
  });

  it('is the quota with a longer Retry-After, even without a reason', () => {
    expect(classify({ 'retry-after': '61' })).toMatchObject({ kind: 'quota', retryAfterSeconds: 61 });
    expect(classify({ 'retry-after': '86400' })).toMatchObject({ kind: 'quota', retryAfterSeconds: 86_400 });
  });

  it('reads Retry-After as an HTTP date too, relative to now', () => {
    expect(classify({ 'retry-after': 'Wed, 07 Jan 2026 08:00:20 GMT' })).toMatchObject({ kind: 'short', retryAfterSeconds: 20 });
    expect(classify({ 'retry-after': 'Wed, 07 Jan 2026 10:00:00 GMT' })).toMatchObject({ kind: 'quota', retryAfterSeconds: 7_200 });
  });

  it('is the quota when the body says QUOTA_EXCEEDED, nested or at the top, whatever Retry-After says', () => {
    expect(classify({ 'retry-after': '5' }, { error: { status: 429, message: 'quota', reason: 'QUOTA_EXCEEDED' } })).toMatchObject({
      kind: 'quota',
      retryAfterSeconds: 5,
      reason: 'QUOTA_EXCEEDED',
    });
    expect(classify({}, { reason: 'QUOTA_EXCEEDED' })).toMatchObject({ kind: 'quota', retryAfterSeconds: null, reason: 'QUOTA_EXCEEDED' });
  });

  it('is headerless with neither a usable Retry-After nor the quota reason, whatever else the body holds', () => {
    expect(classify({})).toMatchObject({ kind: 'headerless', retryAfterSeconds: null, reason: null });
    expect(classify({ 'retry-after': 'soon' }, 'Too Many Requests')).toMatchObject({ kind: 'headerless', retryAfterSeconds: null });
    expect(classify({}, { error: { status: 429, message: 'API rate limit exceeded', reason: 'SOMETHING_ELSE' } })).toMatchObject({
      kind: 'headerless',
      reason: 'SOMETHING_ELSE',
    });
  });

  it('says in its message what kind it is and how long to wait', () => {
    expect(classify({ 'retry-after': '4' }).message).toBe('Spotify rate limit (30 s window) on GET /v1/me/tracks: retry after 4 s');
    expect(classify({}, { reason: 'QUOTA_EXCEEDED' }).message).toBe('Spotify quota exceeded on GET /v1/me/tracks (QUOTA_EXCEEDED): no Retry-After');
    expect(classify({}).message).toBe('Spotify rate limit on GET /v1/me/tracks: no Retry-After');
  });
});
