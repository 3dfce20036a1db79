import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares hashes, so neither the token's content nor its length leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * Requires `Authorization: Bearer <API_TOKEN>` when an API token is configured; without one the
 * controls are open (the API listens on loopback by default).
 */
export function requireApiToken(apiToken: string | undefined) {
  return createMiddleware(async (c, next) => {
    if (apiToken === undefined) return next();
    const header = c.req.header('authorization');
    const match = header ? /^Bearer[ \t]+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new ApiError(
        401,
        'missing_api_token',
        'This action needs the API token: send the header Authorization: Bearer <API_TOKEN>',
        { 'WWW-Authenticate': 'Bearer realm="spotify-sync"' },
      );
    }
    if (!tokensMatch(match[1]!, apiToken)) {
      throw new ApiError(401, 'invalid_api_token', 'The API token is wrong: send the value of API_TOKEN as Authorization: Bearer <API_TOKEN>', {
        'WWW-Authenticate': 'Bearer realm="spotify-sync", error="invalid_token"',
      });
    }
    return next();
  });
}
