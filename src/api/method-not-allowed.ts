import type { Context, NotFoundHandler } from 'hono';
import { errorBody } from './errors.js';

interface RouteEntry {
  method: string;
  path: string;
}

/** A Hono route path (`/api/library/artists/:id`, `/files/:name{.+\.csv}`, `/x/*`) as a whole-path regex. */
function pathPattern(path: string): RegExp {
  let source = '';
  for (const part of path.split(/(:[A-Za-z0-9_]+(?:\{[^}]*\})?\??|\*)/)) {
    if (part === '*') source += '.*';
    else if (part.startsWith(':')) {
      const custom = /\{([^}]*)\}/.exec(part)?.[1];
      source += custom ? `(?:${custom})` : '[^/]+';
      if (part.endsWith('?')) source += '?';
    } else source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}/?$`);
}

/** Paths of the API and the machinery: their 404 is the JSON error body, whoever asks. */
const jsonPaths = /^\/(api|_sim|auth|healthz|readyz|metrics|openapi\.json)(\/|$)/;

/** Whether a request no route took is a person's mistyped page (answered with an HTML page), not an API call. */
export const isPagePath = (c: Context): boolean => (c.req.method === 'GET' || c.req.method === 'HEAD') && !jsonPaths.test(c.req.path);

/**
 * The app's answer for a request no route took: 405 with an `Allow` header when the path is served
 * with other methods (HTTP semantics, and what API clients and fuzzers expect); else the JSON 404 for
 * the API, and `page` (the HTML 404 in the site's layout) for any other path a browser asks for.
 * `routes` is read at the first such request, once every route is registered.
 */
export function methodAwareNotFound(routes: () => RouteEntry[], page?: (c: Context) => Response | Promise<Response>): NotFoundHandler {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (c) => {
    table ??= routes()
      .filter((r) => r.method !== 'ALL' && r.path !== '*' && r.path !== '/*')
      .map((r) => ({ pattern: pathPattern(r.path), method: r.method }));
    const allowed = [...new Set(table.filter((r) => r.pattern.test(c.req.path)).map((r) => r.method))];
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD');
      c.header('Allow', allowed.sort().join(', '));
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`), 405);
    }
    if (page && isPagePath(c)) return page(c);
    return c.json(errorBody('not_found', `No route ${c.req.method} ${c.req.path}; see /openapi.json for the API`), 404);
  };
}
