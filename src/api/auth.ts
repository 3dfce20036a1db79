import { createMiddleware } from 'hono/factory';
import { sessionCookieName } from './caller.js';
import { refusalOf } from './caller-gate.js';

export { tokensMatch } from './tokens-match.js';

/** The session cookie (a random value whose hash is in `sessions`): set by the Spotify sign-in and the token form at /sign-in. */
export const signInCookieName = sessionCookieName;

/**
 * A route that needs a caller: every route that is not public is behind the app's one gate
 * (caller-gate.ts) already; this says so in a route's own definition and refuses again should the
 * route be mounted where the gate does not run. (The name is kept from when API_TOKEN was the only key.)
 */
export function requireApiToken(_apiToken?: string | undefined, _options: { onRefused?: 'json' | 'sign-in' } = {}) {
  return createMiddleware(async (c, next) => {
    const caller = await c.get('callerPromise');
    if (caller?.kind === 'anonymous') throw refusalOf(caller);
    return next();
  });
}

/** Where the sign-in form may send a person back to: a path of this site, never another origin. */
export function safeReturnPath(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return '/library';
  return next;
}
