import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { html } from 'hono/html';
import { readAccountStatus } from '../../status/read-status.js';
import { callerHasApiToken } from '../auth.js';
import { ApiError, describeValidationError } from '../errors.js';
import { renderedBarStyles, StatusPage, type StatusView } from '../pages/status-page.js';
import { statusPageCss } from '../pages/status-page.css.js';
import { resolveAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';
import { statusQuerySchema } from '../schemas.js';
import { statusPageSecurityHeaders } from '../security-headers.js';
import { statusPageScript, statusPageScriptPath } from '../status-page-script.js';

/** What the status page shows, and its HTTP status. */
interface StatusPageView {
  view: StatusView;
  status: 200 | 400 | 401 | 404;
}

/** What the page shows first: the status the API would answer (read the same way), or why there is none. */
async function readStatusView(deps: RouteDeps, c: Context, accountId: string | undefined): Promise<StatusPageView> {
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

declare module 'hono' {
  interface ContextVariableMap {
    /** What the status page shows, read before its headers (statusViewOf). */
    statusPageView?: StatusPageView;
  }
}

function statusViewIn(c: Context): StatusPageView {
  const read = c.get('statusPageView');
  if (!read) throw new Error('the status page is rendered only after statusViewOf read its view');
  return read;
}

/** Reads the page's view (or the error a bad query gets) for the headers and the page. */
const statusViewOf = (deps: RouteDeps) =>
  createMiddleware(async (c, next) => {
    const query = statusQuerySchema.safeParse(c.req.query());
    c.set(
      'statusPageView',
      query.success
        ? await readStatusView(deps, c, query.data.accountId)
        : { view: { kind: 'error', message: describeValidationError('query', query.error as never) }, status: 400 },
    );
    await next();
  });

/** The page's status is read first (its inline styles are in its CSP), then its headers are set. */
const statusPageRoute = (deps: RouteDeps) =>
  createRoute({
    method: 'get',
    path: '/sync-status',
    tags: ['pages'],
    middleware: [statusViewOf(deps), statusPageSecurityHeaders((c) => renderedBarStyles(statusViewIn(c).view))] as const,
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
    return c.body(script.code, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  router.openapi(statusPageRoute(deps), async (c) => {
    const { view, status } = statusViewIn(c);
    const nonce = c.get('secureHeadersNonce');
    if (!nonce) throw new Error('the status page needs the nonce of its CSP');
    const script = await statusPageScript();
    c.header('Cache-Control', 'no-store');
    return c.html(html`<!doctype html>${<StatusPage view={view} now={deps.now()} nonce={nonce} script={script} />}`, status);
  });
  return router;
}
