import { describe, expect, it } from 'vitest';
import { LOGIN_LIFETIME_DAYS, LOGIN_WARNING_DAYS, loginProblemOf, loginStatus, refusalMessages } from '../../../src/accounts/login-status.js';
import { SpotifyAccessRefusedError, SpotifyForbiddenError, SpotifyReauthRequiredError, accessRefusalOf } from '../../../src/spotify/errors.js';

const dayMs = 86_400_000;
const loggedIn = new Date('2026-03-01T09:00:00Z');
const at = (days: number) => new Date(loggedIn.getTime() + days * dayMs);
const account = (overrides: Partial<Parameters<typeof loginStatus>[0]> = {}) => ({
  authorized_at: loggedIn,
  login_problem: null,
  needs_reauth: false,
  ...overrides,
});

describe('loginStatus', () => {
  it('counts six months (182 days) from the login and warns from 14 days before', () => {
    const ok = loginStatus(account(), at(LOGIN_LIFETIME_DAYS - LOGIN_WARNING_DAYS - 0.001));
    expect(ok).toEqual({ authorizedAt: loggedIn.toISOString(), expiresAt: at(182).toISOString(), state: 'ok', message: null });
    expect(loginStatus(account(), at(LOGIN_LIFETIME_DAYS - LOGIN_WARNING_DAYS)).state).toBe('expiring');
    expect(loginStatus(account(), at(183)).message).toMatch(/Spotify may stop answering any moment/);
  });

  it('names the day the login ends, before and after it, and counts from the latest login only', () => {
    expect(loginStatus(account(), at(175)).message).toBe('Spotify ends this login on 2026-08-30 (six months after it was made). Log in again before then to keep syncing.');
    expect(loginStatus(account({ login_problem: 'invalid_grant', needs_reauth: true }), at(200)).message).toMatch(/^Spotify ended this login on 2026-08-30,/);
    // A new login (a new authorized_at) starts the six months again.
    expect(loginStatus(account({ authorized_at: at(170) }), at(175))).toMatchObject({ state: 'ok', expiresAt: at(170 + LOGIN_LIFETIME_DAYS).toISOString() });
  });

  it('tells an ended login from a revoked one, and names each refusal', () => {
    expect(loginStatus(account({ login_problem: 'invalid_grant', needs_reauth: true }), at(182)).state).toBe('expired');
    expect(loginStatus(account({ login_problem: 'invalid_grant', needs_reauth: true }), at(30)).state).toBe('revoked');
    // Accounts flagged before login_problem existed read as a refused refresh token.
    expect(loginStatus(account({ needs_reauth: true }), at(30)).state).toBe('revoked');
    for (const problem of ['user_not_registered', 'owner_premium_required'] as const) {
      expect(loginStatus(account({ login_problem: problem, needs_reauth: true }), at(1))).toMatchObject({ state: problem, message: refusalMessages[problem] });
    }
  });

  it('classifies Spotify’s refusals by their texts, and only those', () => {
    expect(accessRefusalOf('User not registered in the Developer Dashboard')).toBe('user_not_registered');
    expect(accessRefusalOf('Check settings on developer.spotify.com/dashboard, the user may not be registered.')).toBe('user_not_registered');
    expect(
      accessRefusalOf(
        'Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.',
      ),
    ).toBe('owner_premium_required');
    for (const ordinary of ['Forbidden', 'Insufficient client scope', null]) expect(accessRefusalOf(ordinary)).toBeNull();
    expect(loginProblemOf(new SpotifyReauthRequiredError('POST /api/token', 'Refresh token revoked'))).toBe('invalid_grant');
    expect(loginProblemOf(new SpotifyAccessRefusedError('GET /v1/me', 'owner_premium_required', null))).toBe('owner_premium_required');
    expect(loginProblemOf(new SpotifyForbiddenError('GET /v1/artists', 'Forbidden'))).toBeNull();
  });
});
