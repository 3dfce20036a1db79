import { describe, expect, it } from 'vitest';
import {
  SpotifyForbiddenError,
  SpotifyMalformedResponseError,
  SpotifyNotFoundError,
  SpotifyRateLimitError,
  SpotifyReauthRequiredError,
  SpotifyRequestError,
  SpotifyTransientError,
  isRetryableSpotifyError,
  parseRetryAfter,
  redactSecrets,
} from '../../../src/spotify/errors.js';

const NOW = Date.parse('2026-01-07T08:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    [null, null],
    ['', null],
    ['5', 5],
    [' 18000 ', 18000],
    ['0', 0],
    ['1.5', 2],
    ['tomorrow-ish', null],
    ['Wed, 07 Jan 2026 08:00:30 GMT', 30],
    ['Wed, 07 Jan 2026 13:00:00 GMT', 18000],
    ['Wed, 07 Jan 2026 07:00:00 GMT', 0],
  ])('%s → %s', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });
});

describe('errors', () => {
  it('are retryable only when transient, malformed or a short 429', () => {
    const endpoint = 'GET /v1/me';
    expect(isRetryableSpotifyError(new SpotifyTransientError(endpoint, { reason: 'server_error', status: 502, detail: '502' }))).toBe(true);
    expect(isRetryableSpotifyError(new SpotifyMalformedResponseError(endpoint, 'total: missing'))).toBe(true);
    expect(isRetryableSpotifyError(new SpotifyRateLimitError(endpoint, { kind: 'short', retryAfterSeconds: 3 }))).toBe(true);
    expect(isRetryableSpotifyError(new SpotifyRateLimitError(endpoint, { kind: 'quota', retryAfterSeconds: null }))).toBe(false);
    expect(isRetryableSpotifyError(new SpotifyReauthRequiredError('POST /api/token', null))).toBe(false);
    expect(isRetryableSpotifyError(new SpotifyForbiddenError(endpoint, null))).toBe(false);
    expect(isRetryableSpotifyError(new SpotifyNotFoundError(endpoint, null))).toBe(false);
    expect(isRetryableSpotifyError(new SpotifyRequestError(endpoint, 400, null))).toBe(false);
    expect(isRetryableSpotifyError(new Error('other'))).toBe(false);
    expect(isRetryableSpotifyError(undefined)).toBe(false);
  });

  it('have their class name and serialize their fields', () => {
    const error = new SpotifyRateLimitError('GET /v1/me/tracks', { kind: 'quota', retryAfterSeconds: 18000, reason: 'QUOTA_EXCEEDED' });
    expect(error.name).toBe('SpotifyRateLimitError');
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe('SpotifyRateLimitError: Spotify quota exceeded on GET /v1/me/tracks (QUOTA_EXCEEDED): retry after 18000 s');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'SpotifyRateLimitError',
      message: error.message,
      endpoint: 'GET /v1/me/tracks',
      status: 429,
      kind: 'quota',
      retryAfterSeconds: 18000,
      reason: 'QUOTA_EXCEEDED',
    });
  });

  it('redactSecrets removes every occurrence', () => {
    expect(redactSecrets('a SECRET1 b SECRET1 c SECRET2', ['SECRET1', 'SECRET2', null, undefined, ''])).toBe('a [redacted] b [redacted] c [redacted]');
  });
});
