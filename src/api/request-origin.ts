import type { Context } from 'hono';
import type { Config } from '../config/load-config.js';

/** What the doors need to know of the configuration: where the instance is opened, and whether a proxy speaks for the browser. */
export type DoorsConfig = Pick<Config, 'publicUrl' | 'trustProxy'> & { spotify: Pick<Config['spotify'], 'redirectUri'> };

/** Loopback names: always answered (the default listening address, `npm run dev`, the tests). */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * The host names this instance answers to besides loopback: PUBLIC_URL's, and the host of the Spotify
 * redirect URI (the login comes back there, so people open the instance by that name).
 */
export function answeredHostnames(config: DoorsConfig): Set<string> {
  const names = new Set<string>();
  for (const url of [config.publicUrl, config.spotify.redirectUri]) {
    if (url) names.add(new URL(url).hostname.toLowerCase());
  }
  return names;
}

/**
 * The scheme the browser used: the request's own, or, with TRUST_PROXY, what the reverse proxy says in
 * X-Forwarded-Proto (its first value: the proxy nearest the browser writes it).
 */
export function requestProtocol(c: Context, trustProxy: boolean): 'http' | 'https' {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    if (forwarded === 'https' || forwarded === 'http') return forwarded;
  }
  return new URL(c.req.url).protocol === 'https:' ? 'https' : 'http';
}

/** The origins a page of this instance has: the one the request was made to, and PUBLIC_URL's. */
function ownOrigins(c: Context, config: DoorsConfig): Set<string> {
  const origins = new Set<string>([`${requestProtocol(c, config.trustProxy)}://${new URL(c.req.url).host}`.toLowerCase()]);
  if (config.publicUrl) origins.add(config.publicUrl.toLowerCase());
  return origins;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one rule against cross-site requests (OWASP's CSRF cheat sheet: Fetch Metadata, then the Origin
 * header), for every state-changing request: null when it may go on, else why not.
 * - A bearer header is exempt: a page of another site cannot send one without CORS, which this API never
 *   grants (Basic is not: browsers resend it by themselves).
 * - A browser says where a request comes from: `Sec-Fetch-Site` must be `same-origin` (or `none`, typed
 *   by the user); without it, `Origin` must be this instance's origin (or PUBLIC_URL's).
 * - A request that says neither is not a browser's cross-site request (curl, scripts, the tests) and goes
 *   on, unless it carries a cookie: a cookie is what a forged request would ride on, so it then needs a
 *   same-origin signal.
 */
export function crossSiteRefusal(c: Context, config: DoorsConfig): string | null {
  if (safeMethods.has(c.req.method)) return null;
  // Bearer only: a browser attaches Basic credentials (of a proxy in front, say) to any request on its own.
  if (/^Bearer\s/i.test(c.req.header('authorization') ?? '')) return null;
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? null : `it was sent from another website (Sec-Fetch-Site: ${site.slice(0, 20)})`;
  const origin = c.req.header('origin');
  if (origin !== undefined) return ownOrigins(c, config).has(origin.trim().toLowerCase()) ? null : 'it was sent from another website (its Origin is not this server)';
  if (c.req.header('cookie') !== undefined) return 'it carries a cookie but does not say where it comes from (no Origin or Sec-Fetch-Site header)';
  return null;
}

/** Whether the request's Host is one the instance answers to (loopback, PUBLIC_URL's, the redirect URI's): DNS rebinding is refused. */
export function hostAnswered(c: Context, config: DoorsConfig, names: Set<string> = answeredHostnames(config)): boolean {
  let hostname: string;
  try {
    hostname = new URL(c.req.url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return isLoopbackHostname(hostname) || names.has(hostname);
}
