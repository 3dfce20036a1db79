import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares hashes, so neither the token's content nor its length leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** The cookie the sign-in form sets (HttpOnly, SameSite=Lax, Path=/). */
export const signInCookieName = 'spotify_sync_session';
/** How long a sign-in lasts in the browser. */
export const signInCookieMaxAgeSeconds = 30 * 24 * 3600;

/**
 * The cookie's value: an HMAC of a fixed label keyed by the API token, so the cookie never holds the
 * token itself, and changing API_TOKEN signs every browser out.
 */
export function signInCookieValue(apiToken: string): string {
  return createHmac('sha256', apiToken).update('spotify-sync sign-in v1').digest('base64url');
}

export type Credential = 'none-needed' | 'bearer' | 'cookie' | 'missing' | 'wrong';

/** What a request brings: a bearer header is judged first; without one (or with another scheme), the sign-in cookie. */
export function requestCredential(c: Context, apiToken: string | undefined): Credential {
  if (apiToken === undefined) return 'none-needed';
  const header = c.req.header('authorization');
  const bearer = header ? /^Bearer[ \t]+(\S+)\s*$/i.exec(header) : null;
  if (bearer) return tokensMatch(bearer[1]!, apiToken) ? 'bearer' : 'wrong';
  const cookie = getCookie(c, signInCookieName);
  if (cookie === undefined) return 'missing';
  return tokensMatch(cookie, signInCookieValue(apiToken)) ? 'cookie' : 'wrong';
}

/**
 * Whether the caller holds the API token, by header or sign-in cookie (always true when none is
 * configured). Routes that answer everyone but say more to the operator (account ids) ask this.
 */
export function callerHasApiToken(c: Context, apiToken: string | undefined): boolean {
  const credential = requestCredential(c, apiToken);
  return credential === 'none-needed' || credential === 'bearer' || credential === 'cookie';
}

const missingTokenError = () =>
  new ApiError(401, 'missing_api_token', 'This needs the API token: send the header Authorization: Bearer <API_TOKEN>, or sign in at /sign-in', {
    'WWW-Authenticate': 'Bearer realm="spotify-sync"',
  });

const wrongTokenError = () =>
  new ApiError(401, 'invalid_api_token', 'The API token is wrong: send the value of API_TOKEN as Authorization: Bearer <API_TOKEN>, or sign in again at /sign-in', {
    'WWW-Authenticate': 'Bearer realm="spotify-sync", error="invalid_token"',
  });

/**
 * The one gate of everything personal (library, history, exports, controls, starting a login): with
 * API_TOKEN set, a request needs `Authorization: Bearer <API_TOKEN>` or the sign-in cookie. Without
 * API_TOKEN it is open (the API listens on loopback by default). JSON routes answer 401; pages send a
 * person to the sign-in form and back.
 */
export function requireApiToken(apiToken: string | undefined, options: { onRefused?: 'json' | 'sign-in' } = {}) {
  return createMiddleware(async (c, next) => {
    const credential = requestCredential(c, apiToken);
    if (credential === 'none-needed' || credential === 'bearer' || credential === 'cookie') return next();
    if (options.onRefused === 'sign-in' && c.req.method === 'GET') {
      const url = new URL(c.req.url);
      c.header('Cache-Control', 'no-store');
      return c.redirect(`/sign-in?${new URLSearchParams({ next: url.pathname + url.search })}`, 303);
    }
    throw credential === 'missing' ? missingTokenError() : wrongTokenError();
  });
}

/** Where the sign-in form may send a person back to: a path of this site, never another origin. */
export function safeReturnPath(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return '/library';
  return next;
}
