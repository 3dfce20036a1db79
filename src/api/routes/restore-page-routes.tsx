import type { Context } from 'hono';
import { ApiError } from '../errors.js';
import { planRestore, readRestore, ScopeRequiredError, startRestore, type RestoreTarget } from '../../restores/restores.js';
import { requireApiToken } from '../auth.js';
import { toApiError } from '../errors.js';
import { actorOf, currentCaller } from '../caller.js';
import { clientAddress } from '../credential-throttle.js';
import { MessagePage, withAccount, type PageContext } from '../pages/layout.js';
import { RestoreProgressPage, SavedRestorePlanPage } from '../pages/restore-pages.js';
import { newRouter, type RouteDeps } from '../router.js';
import { pageContext, sendPage as send } from './page-response.js';
import { RESTORE_LOGIN_PATH } from './time-machine-routes.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A date of the form (YYYY-MM-DD, the start of that day in UTC) or an instant, as an ISO instant; undefined when neither. */
function sinceOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

function targetOf(form: Record<string, unknown>): RestoreTarget {
  if (form.kind === 'saved') {
    const since = sinceOf(form.since);
    if (since === undefined) throw new ApiError(400, 'invalid_since', 'since must be a date');
    return { kind: 'saved', since };
  }
  const version = Number(form.version);
  if (form.kind !== 'playlist' || typeof form.playlistId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(form.playlistId) || !Number.isInteger(version) || version < 1) {
    throw new ApiError(400, 'invalid_target', 'the form names a playlist and one of its versions, or a date for saved items');
  }
  return { kind: 'playlist', playlistId: form.playlistId, version };
}

/**
 * The restore button of the pages: `GET /restores/saved?since=` (the plan of saving removed items
 * again, shown first), `POST /restores` (a form of this server's own pages, which the doors check
 * like every POST: it starts the restore and redirects to its page), `GET /restores/:restoreId`
 * (its progress, then its verified result).
 */
export function restorePageRoutes(deps: RouteDeps) {
  const { db, config } = deps;
  const router = newRouter();
  const gate = requireApiToken(config.apiToken, { onRefused: 'sign-in' });
  for (const path of ['/restores', '/restores/*']) router.use(path, gate);

  async function answer(c: Context, render: (ctx: PageContext & { account: NonNullable<PageContext['account']> }) => Promise<Response>): Promise<Response> {
    let ctx: PageContext = { account: null, accounts: [], path: c.req.path };
    try {
      ctx = await pageContext(db, c, c.req.query('accountId'));
      if (!ctx.account) throw new ApiError(404, 'no_accounts', 'No account is connected yet: log in with Spotify at /auth/login, or run npm run cli -- connect.');
      return await render(ctx as PageContext & { account: NonNullable<PageContext['account']> });
    } catch (error) {
      if (error instanceof ScopeRequiredError) {
        return send(
          c,
          <MessagePage title="Restores need the write scopes" message={`${error.message}: log in at ${RESTORE_LOGIN_PATH} to grant them.`} ctx={ctx} active="library" />,
          409,
        );
      }
      const callers = toApiError(error);
      if (callers && callers.status < 500) {
        return send(c, <MessagePage title={callers.status === 404 ? 'Not found' : 'Not a valid request'} message={callers.message} ctx={ctx} active="library" />, callers.status);
      }
      throw error;
    }
  }

  router.get('/restores/saved', (c) =>
    answer(c, async (ctx) => {
      const since = sinceOf(c.req.query('since'));
      if (since === undefined) throw new ApiError(400, 'invalid_since', 'since must be a date');
      const { plan } = await planRestore(db, ctx.account.accountId, { kind: 'saved', since });
      return send(c, <SavedRestorePlanPage ctx={ctx} since={since} plan={plan} />);
    }),
  );

  router.post('/restores', (c) =>
    answer(c, async (ctx) => {
      const form = (await c.req.parseBody().catch(() => ({}))) as Record<string, unknown>;
      const target = targetOf(form);
      const actor = actorOf(await currentCaller());
      const started = await deps.temporal.run((client) =>
        startRestore(
          { db, workflows: async () => ({ client, config }) },
          { accountId: ctx.account.accountId, target, actor, client: clientAddress(c, config.trustProxy), now: deps.now() },
        ),
      );
      return c.redirect(withAccount(`/restores/${started.restoreId}`, ctx), 303);
    }),
  );

  router.get('/restores/:restoreId', (c) =>
    answer(c, async (ctx) => {
      const restoreId = c.req.param('restoreId');
      if (!uuid.test(restoreId)) throw new ApiError(404, 'unknown_restore', 'no such restore');
      return send(c, <RestoreProgressPage ctx={ctx} restore={await readRestore(db, ctx.account.accountId, restoreId)} />);
    }),
  );

  return router;
}
