import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Caller, callerOf, type CallerDeps } from './caller.js';
import { ApiError } from './errors.js';

/**
 * What anyone may open on an instance that needs a session or token: liveness, readiness and the
 * aggregate metrics (their per-account labels need a caller: metrics.ts), the API's description, the
 * assets, and the ways in (sign-in with Spotify or the token form, an invitation link, sign-out).
 */
const publicPaths = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/sign-in', '/sign-out', '/auth/login', '/auth/callback']);
const publicPrefixes = ['/assets/', '/join/'];

export const isPublicPath = (path: string): boolean => publicPaths.has(path) || publicPrefixes.some((prefix) => path.startsWith(prefix));

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export const missingCredentialError = () =>
  new ApiError(
    401,
    'missing_api_token',
    'This needs a session or a token: sign in at /sign-in, or send the header Authorization: Bearer <API_TOKEN> (or a personal token of /settings/tokens)',
    {
      'WWW-Authenticate': 'Bearer realm="spotify-sync"',
    },
  );

const refusals: Record<Extract<Caller, { kind: 'anonymous' }>['refused'], () => ApiError> = {
  missing: missingCredentialError,
  wrong: () =>
    new ApiError(
      401,
      'invalid_api_token',
      'The API token is wrong, or the personal token revoked: send API_TOKEN or a personal token of /settings/tokens as Authorization: Bearer <token>',
      {
        'WWW-Authenticate': 'Bearer realm="spotify-sync", error="invalid_token"',
      },
    ),
  ended: () =>
    new ApiError(401, 'session_ended', 'Your session ended (signed out, expired, or ended from another device): sign in again at /sign-in', {
      'WWW-Authenticate': 'Bearer realm="spotify-sync"',
    }),
};

/** Where a person without a session goes: the sign-in page, and back to the page asked for. */
function toSignIn(c: Context): Response {
  const url = new URL(c.req.url);
  // A form's post comes back to the page it was on (POST /sync-status/pause: /sync-status).
  const next = c.req.method === 'GET' ? url.pathname + url.search : url.pathname.replace(/\/[^/]*$/, '') || '/';
  c.header('Cache-Control', 'no-store');
  return c.redirect(`/sign-in?${new URLSearchParams({ next })}`, 303);
}

/**
 * The one gate (DESIGN.md, a household): identifies the caller of every request that is not public, and
 * refuses one with no accepted session or token (JSON 401 under /api, the sign-in page elsewhere), and
 * a read-only personal token on anything that changes state. A route added later is behind it by
 * construction; which account it then serves is resolve-account.ts's one rule.
 */
export function callerGate(deps: CallerDeps) {
  return createMiddleware(async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const caller = await callerOf(c, deps);
    if (caller.kind === 'anonymous') {
      if (!c.req.path.startsWith('/api/') && !c.req.header('authorization')) return toSignIn(c);
      throw refusals[caller.refused]();
    }
    if (caller.kind === 'person' && caller.scope === 'read' && !safeMethods.has(c.req.method)) {
      throw new ApiError(403, 'read_only_token', `The token "${caller.tokenName ?? ''}" may only read: make a control token at /settings/tokens to change anything`);
    }
    return next();
  });
}

/** The refusal of a caller that brought nothing accepted (for routes that ask themselves, such as the public ones). */
export const refusalOf = (caller: Extract<Caller, { kind: 'anonymous' }>): ApiError => refusals[caller.refused]();
