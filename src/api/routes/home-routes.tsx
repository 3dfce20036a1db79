import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { listPlays, readHistoryStats } from '../../library/history.js';
import { readLibraryOverview } from '../../library/overview.js';
import { listSavedTracks } from '../../library/saved-tracks.js';
import { readAccountStatus } from '../../status/read-status.js';
import { requireApiToken } from '../auth.js';
import { describeValidationError, toApiError } from '../errors.js';
import { accountOnlyQuerySchema } from '../library-schemas.js';
import { HomePage } from '../pages/home-page.js';
import { MessagePage, type PageContext } from '../pages/layout.js';
import { newRouter, type RouteDeps } from '../router.js';
import { pageContext, sendPage } from './page-response.js';

const homeRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['pages'],
  summary: 'The home page: what the instance holds at a glance, the sync, this week’s listening, recent plays and saves',
  description: 'Takes an optional `accountId` query parameter. With API_TOKEN set, without the token it redirects to /sign-in.',
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    303: { description: 'To /sign-in (API_TOKEN set, no token)' },
    400: { description: 'A bad query parameter (HTML page saying which)', content: { 'text/html': { schema: z.string() } } },
    404: { description: 'Unknown account (HTML page)', content: { 'text/html': { schema: z.string() } } },
  },
});

const weekDays = 7;

/** `/`: the home page. */
export function homeRoutes(deps: RouteDeps) {
  const { db, config, now } = deps;
  const router = newRouter();
  router.use('/', requireApiToken(config.apiToken, { onRefused: 'sign-in' }));

  router.openapi(homeRoute, (async (c: Context) => {
    const parsed = accountOnlyQuerySchema.safeParse(c.req.query());
    let ctx: PageContext = { account: null, accounts: [], path: c.req.path };
    try {
      ctx = await pageContext(db, c, parsed.success ? parsed.data.accountId : undefined);
      if (!parsed.success)
        return sendPage(c, <MessagePage title="Not a valid request" message={describeValidationError('query', parsed.error as never)} ctx={ctx} active="home" />, 400);
      if (!ctx.account) {
        return sendPage(
          c,
          <MessagePage
            title="Welcome to spotify-sync"
            message="No account is connected yet: log in with Spotify at /auth/login, or run npm run cli -- connect."
            ctx={ctx}
            active="home"
          />,
        );
      }
      const accountId = ctx.account.accountId;
      const today = now();
      const to = today.toISOString().slice(0, 10);
      const from = new Date(Date.parse(to) - (weekDays - 1) * 86_400_000).toISOString().slice(0, 10);
      const [status, overview, week, plays, saved] = await Promise.all([
        readAccountStatus(db, accountId, { now: today, incrementalIntervalHours: config.sync.incrementalIntervalHours, temporalUi: config.temporal }),
        readLibraryOverview(db, accountId),
        readHistoryStats(db, accountId, { from, to, bucket: 'day', top: 3, includeShort: false }, today),
        listPlays(db, accountId, { includeShort: false, limit: 8 }),
        listSavedTracks(db, accountId, { removed: 'false', sort: 'added', limit: 8 }),
      ]);
      if (!status) return sendPage(c, <MessagePage title="Not found" message={`No account with id "${accountId}"`} ctx={ctx} active="home" />, 404);
      return sendPage(c, <HomePage ctx={ctx} status={status} overview={overview} week={week} recentPlays={plays.items} recentlySaved={saved.items} now={today} />);
    } catch (error) {
      const callers = toApiError(error);
      if (callers && callers.status < 500) return sendPage(c, <MessagePage title="Not found" message={callers.message} ctx={ctx} active="home" />, callers.status);
      throw error;
    }
  }) as never);

  return router;
}
