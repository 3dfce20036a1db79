import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares hashes, so neither the token's content nor its length leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

const bearerToken = (header: string | undefined): string | undefined =>
  header ? /^Bearer[ \t]+(\S+)\s*$/i.exec(header)?.[1] : undefined;

/**
 * Whether the caller proved it holds the API token (always true when none is configured). Routes
 * that answer everyone but say more to the operator (account ids) ask this.
 */
export function callerHasApiToken(c: Context, apiToken: string | undefined): boolean {
  if (apiToken === undefined) return true;
  const given = bearerToken(c.req.header('authorization'));
  return given !== undefined && tokensMatch(given, apiToken);
}

/**
 * Requires `Authorization: Bearer <API_TOKEN>` when an API token is configured; without one the
 * controls are open (the API listens on loopback by default).
 */
export function requireApiToken(apiToken: string | undefined) {
  return createMiddleware(async (c, next) => {
    if (apiToken === undefined) return next();
    const given = bearerToken(c.req.header('authorization'));
    if (given === undefined) {
      throw new ApiError(
        401,
        'missing_api_token',
        'This action needs the API token: send the header Authorization: Bearer <API_TOKEN>',
        { 'WWW-Authenticate': 'Bearer realm="spotify-sync"' },
      );
    }
    if (!tokensMatch(given, apiToken)) {
      throw new ApiError(401, 'invalid_api_token', 'The API token is wrong: send the value of API_TOKEN as Authorization: Bearer <API_TOKEN>', {
        'WWW-Authenticate': 'Bearer realm="spotify-sync", error="invalid_token"',
      });
    }
    return next();
  });
}
