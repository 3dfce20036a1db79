import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { html } from 'hono/html';
import { readAccountStatus } from '../../status/read-status.js';
import { callerHasApiToken } from '../auth.js';
import { ApiError, describeValidationError } from '../errors.js';
import { renderedBarStyles, StatusPage, type StatusView } from '../pages/status-page.js';
import { statusPageCss } from '../pages/status-page.css.js';
import { resolveAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';
import { statusQuerySchema } from '../schemas.js';
import { statusPageScript, statusPageScriptPath } from '../status-page-script.js';

const statusPageRoute = createRoute({
  method: 'get',
  path: '/sync-status',
  tags: ['pages'],
  summary: 'The status page: progress per phase, rate-limit banner, ETA, controls; refreshes every 5 s',
  description:
    'Takes an optional `accountId` query parameter. Rendered with the status filled in (readable without JavaScript); its script, /assets/status-page.js, refreshes it.',
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    400: { description: 'A bad accountId (the page says why)', content: { 'text/html': { schema: z.string() } } },
    401: { description: 'Several accounts, none named, and no API token to list them (the page says so)', content: { 'text/html': { schema: z.string() } } },
    404: { description: 'Unknown account (the page says so)', content: { 'text/html': { schema: z.string() } } },
  },
});

const styleHash = (style: string) => `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`;

/**
 * Scripts run only with this response's nonce (the page's one script, from this origin); stylesheets
 * come from this origin; of inline styles only the bar widths this answer rendered are allowed, each by
 * its hash. The script sets widths later through the CSSOM, which style-src does not govern.
 */
export function statusPageCsp(nonce: string, barStyles: readonly string[] = []): string {
  const inlineStyles = barStyles.length > 0 ? ` 'unsafe-hashes' ${barStyles.map(styleHash).join(' ')}` : '';
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self'${inlineStyles}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What the page shows first: the status the API would answer (read the same way), or why there is none. */
async function readStatusView(deps: RouteDeps, c: Context, accountId: string | undefined): Promise<{ view: StatusView; status: 200 | 400 | 401 | 404 }> {
  try {
    const resolved = await resolveAccount(deps.db, accountId, { listAccounts: callerHasApiToken(c, deps.config.apiToken) });
    const accounts = 'several' in resolved ? resolved.several : null;
    const chosen = 'several' in resolved ? resolved.several[0]!.accountId : resolved.accountId;
    const status = await readAccountStatus(deps.db, chosen, {
      now: deps.now(),
      incrementalIntervalHours: deps.config.sync.incrementalIntervalHours,
      temporalUi: deps.config.temporal,
    });
    if (!status) throw new ApiError(404, 'unknown_account', `No account with id "${chosen}"`);
    return { view: { kind: 'status', status, accounts }, status: 200 };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'no_accounts') return { view: { kind: 'no-accounts' }, status: 200 };
    if (error.status === 401 || error.status === 404) return { view: { kind: 'error', message: error.message }, status: error.status };
    throw error;
  }
}

/** The status page, its stylesheet and its script. */
export function pageRoutes(deps: RouteDeps) {
  const router = newRouter();

  router.get('/assets/status-page.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(statusPageCss, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  router.get(statusPageScriptPath, async (c) => {
    const script = await statusPageScript();
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(script.code, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  router.openapi(statusPageRoute, async (c) => {
    const query = statusQuerySchema.safeParse(c.req.query());
    const { view, status } = query.success
      ? await readStatusView(deps, c, query.data.accountId)
      : { view: { kind: 'error', message: describeValidationError('query', query.error as never) } as const, status: 400 as const };
    const script = await statusPageScript();
    const nonce = randomBytes(16).toString('base64');
    c.header('Content-Security-Policy', statusPageCsp(nonce, renderedBarStyles(view)));
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(html`<!doctype html>${<StatusPage view={view} now={deps.now()} nonce={nonce} script={script} />}`, status);
  });
  return router;
}
