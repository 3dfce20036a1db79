import { DEMO_CLIENT_ID } from '../../spotify/accounts.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { listAccounts, readAccountStatus } from '../../status/read-status.js';
import { ApiError, describeValidationError } from '../errors.js';
import { type PanelOptions, StatusPage, StatusPanel, type StatusView } from '../pages/status-page.js';
import { statusPageCss } from '../pages/status-page.css.js';
import { outcomeText } from '../pages/status-text.js';
import { reachableAccounts, resolveAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';
import { accountIdSchema, statusQuerySchema } from '../schemas.js';
import { crossSiteRefusal } from '../request-origin.js';
import { statusPageSecurityHeaders } from '../security-headers.js';
import { statusPageScript, statusPageScriptPath } from '../status-page-script.js';
import { type ControlAction, controlActions, controlTargets, runControl } from '../sync-controls.js';
import { sendFragment, sendPage } from './page-response.js';

const statusPageRoute = createRoute({
  method: 'get',
  path: '/sync-status',
  tags: ['pages'],
  summary: 'The status page: progress per phase, rate-limit banner, ETA, controls; refreshes every 5 s',
  description:
    'Takes an optional `accountId` query parameter. Rendered by the server, readable and usable without JavaScript (it then reloads ' +
    'itself every 5 s); its script, /assets/status-page.js, swaps in /sync-status/panel every 5 s instead. The buttons are forms ' +
    'posting to /sync-status/{pause,resume,reset} (with `target` sync or playback: the sync and playback tracking are controlled apart), ' +
    'which answer 303 back to the page, saying what they did.',
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    400: { description: 'A bad accountId (the page says why)', content: { 'text/html': { schema: z.string() } } },
    303: { description: 'To /sign-in (API_TOKEN set, or a household signed in, and no session or token)' },
    404: { description: 'Unknown account, or another person’s (the page says so)', content: { 'text/html': { schema: z.string() } } },
  },
});

/** The page's query: the account, and what the page says after a control (the 303 of its form). */
const statusPageQuerySchema = statusQuerySchema.extend({
  confirm: z.literal('reset').optional(),
  done: z.enum(controlActions).optional(),
  delivered: z.coerce.number().int().min(0).max(1000).optional(),
  target: z.enum(controlTargets).optional(),
});
type StatusPageQuery = z.infer<typeof statusPageQuerySchema>;

/** What the page shows: the status the API would answer (read the same way), or why there is none. */
async function readStatusView(deps: RouteDeps, c: Context, accountId: string | undefined): Promise<{ view: StatusView; status: 200 | 401 | 404 }> {
  try {
    const resolved = await resolveAccount(deps.db, accountId, 'status');
    const chosen = 'several' in resolved ? resolved.several[0]!.accountId : resolved.accountId;
    // The picker: whenever the caller may see several accounts' status (the operator, the owner), the one named or not.
    const reachable = await reachableAccounts('status');
    const connected = 'several' in resolved ? resolved.several : (await listAccounts(deps.db)).filter((a) => reachable === 'every' || reachable.includes(a.accountId));
    const accounts = connected.length > 1 ? connected : null;
    const status = await readAccountStatus(deps.db, chosen, {
      now: deps.now(),
      incrementalIntervalHours: deps.config.sync.incrementalIntervalHours,
      spotifyClientId: deps.config.spotify.clientId ?? DEMO_CLIENT_ID,
      rateLimitFallbackHours: deps.config.sync.rateLimitFallbackHours,
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

/** The view of a query: a malformed one is a 400 saying why. */
async function viewOfQuery(deps: RouteDeps, c: Context): Promise<{ view: StatusView; status: ContentfulStatusCode; query: StatusPageQuery }> {
  const parsed = statusPageQuerySchema.safeParse(c.req.query());
  if (!parsed.success) return { view: { kind: 'error', message: describeValidationError('query', parsed.error as never) }, status: 400, query: {} };
  return { ...(await readStatusView(deps, c, parsed.data.accountId)), query: parsed.data };
}

const withQuery = (path: string, params: Record<string, string | undefined>): string => {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return query ? `${path}?${query}` : path;
};

interface PageState {
  view: StatusView;
  status: ContentfulStatusCode;
  accountId: string | undefined;
  options: PanelOptions;
  actionMessage: { text: string; failed: boolean } | null;
  reload: boolean;
}

async function sendStatusPage(deps: RouteDeps, c: Context, state: PageState) {
  const script = await statusPageScript();
  // The nonce secureHeaders put in this answer's CSP (statusPageSecurityHeaders, on the page's routes).
  const nonce = c.get('secureHeadersNonce') ?? '';
  const panelSrc = withQuery('/sync-status/panel', { accountId: state.accountId, confirm: state.options.confirmReset ? 'reset' : undefined });
  const page = (
    <StatusPage
      view={state.view}
      now={deps.now()}
      options={state.options}
      panelSrc={panelSrc}
      actionMessage={state.actionMessage}
      reload={state.reload}
      nonce={nonce}
      script={script}
    />
  );
  return sendPage(c, page, state.status);
}

/** The status page's buttons: they apply the site's one cross-site rule themselves, to answer with the page. */
export const statusPageControlPath = /^\/sync-status\/(pause|resume|reset)$/;

/** The status page, its panel, its controls, its stylesheet and its script. */
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

  // The page (and a control's answer, which is the page) under the policy that runs its one script.
  // (Registered per method, so that a method the page does not take still answers 405.)
  router.get('/sync-status', statusPageSecurityHeaders);
  router.post('/sync-status/:action{pause|resume|reset}', statusPageSecurityHeaders);

  router.openapi(statusPageRoute, async (c) => {
    const { view, status, query } = await viewOfQuery(deps, c);
    const confirmReset = query.confirm === 'reset';
    return (await sendStatusPage(deps, c, {
      view,
      status,
      accountId: query.accountId,
      options: { confirmReset },
      actionMessage: query.done ? { text: outcomeText(query.done, query.delivered ?? 0, query.target), failed: false } : null,
      reload: !confirmReset,
    })) as never;
  });

  // The panel alone, as the page shows it (same query, same account rules), for the page's script.
  router.get('/sync-status/panel', async (c) => {
    const { view, status, query } = await viewOfQuery(deps, c);
    return sendFragment(c, <StatusPanel view={view} now={deps.now()} options={{ confirmReset: query.confirm === 'reset' }} />, status);
  });

  // The buttons: a form post, answered with a 303 back to the page saying what happened (or the page saying why not).
  router.post('/sync-status/:action{pause|resume|reset}', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Form too large', 413) }), async (c) => {
    const action = c.req.param('action') as ControlAction;
    const form = await c.req.parseBody();
    const named = typeof form.accountId === 'string' && form.accountId !== '' ? accountIdSchema.safeParse(form.accountId) : undefined;
    const accountId = named?.success ? named.data : undefined;
    const back = (params: Record<string, string | undefined>) => withQuery('/sync-status', { accountId, ...params });
    try {
      if (crossSiteRefusal(c, deps.config) !== null) throw new ApiError(403, 'cross_site_form', `The ${action} button works from this server's status page only`);
      if (named && !named.success) throw new ApiError(400, 'invalid_request', describeValidationError('form', named.error as never));
      if (action === 'reset' && form.confirm !== 'yes') return c.redirect(back({ confirm: 'reset' }), 303);
      // The page's buttons name what they act on (the sync, or playback tracking); a form without it acts on both.
      const target = controlTargets.find((t) => t === form.target) ?? 'all';
      const result = await runControl(deps, accountId, action, target);
      return c.redirect(
        withQuery('/sync-status', { accountId: result.accountId, done: action, delivered: String(result.delivered.length), target: action === 'reset' ? undefined : target }),
        303,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const { view } = await readStatusView(deps, c, accountId);
      return sendStatusPage(deps, c, {
        view,
        status: error.status,
        accountId,
        options: { confirmReset: false },
        actionMessage: { text: error.message, failed: true },
        reload: false,
      });
    }
  });
  return router;
}
