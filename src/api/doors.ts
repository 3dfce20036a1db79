import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.js';
import { answeredHostnames, crossSiteRefusal, type DoorsConfig, hostAnswered } from './request-origin.js';

/** Liveness, readiness and metrics hold no personal data, and are probed by names of their own (Prometheus scrapes `api:3000`). */
const openOpsPaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Every request names a Host the instance answers to: loopback, PUBLIC_URL's, or the Spotify redirect
 * URI's. A page of another site that re-points its own name at this address (DNS rebinding) is refused
 * before it reads anything.
 */
export function requireKnownHost(config: DoorsConfig) {
  const names = answeredHostnames(config);
  return createMiddleware(async (c, next) => {
    if (openOpsPaths.has(c.req.path) || hostAnswered(c, config, names)) return next();
    throw new ApiError(
      421,
      'unknown_host',
      'This server does not answer to that host name: open it at its own address, or set PUBLIC_URL to the URL people open it at (behind a reverse proxy)',
    );
  });
}

export const crossSiteRequestCode = 'cross_site_request';

/**
 * Every state-changing request goes through the one rule of `crossSiteRefusal` (Origin, Sec-Fetch-Site,
 * bearer exempt). `answersItself` names the routes that apply the same rule themselves to answer with a
 * page (the status page's buttons).
 */
export function refuseCrossSiteRequests(config: DoorsConfig, options: { answersItself?: RegExp } = {}) {
  return createMiddleware(async (c, next) => {
    if (options.answersItself?.test(c.req.path)) return next();
    const refusal = crossSiteRefusal(c, config);
    if (refusal === null) return next();
    throw new ApiError(403, crossSiteRequestCode, `Refused because ${refusal}: this works from this server's own pages, and scripts send Authorization: Bearer <token>`);
  });
}

/**
 * Answers of the API hold personal data (the library, history, status, exports): never stored by a
 * browser or a shared cache, unless a route says otherwise. (`nosniff` is on every answer: security-headers.ts.)
 */
export const noStoreApiAnswers = createMiddleware(async (c, next) => {
  await next();
  if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
});
