import { DEMO_CLIENT_ID } from '../../spotify/accounts.js';
import { createRoute, z } from '@hono/zod-openapi';
import { readAccountStatus } from '../../status/read-status.js';
import { requireApiToken } from '../auth.js';
import { ApiError, errorResponse } from '../errors.js';
import { boundedJsonBody } from '../json-body.js';
import { resolveAccount } from '../resolve-account.js';
import { newRouter, type RouteDeps } from '../router.js';
import { type ControlAction, controlActions, runControl } from '../sync-controls.js';
import { accountListSchema, accountStatusSchema, controlBodySchema, controlResultSchema, statusQuerySchema } from '../schemas.js';

const statusRoute = createRoute({
  method: 'get',
  path: '/status',
  tags: ['sync'],
  summary: 'Sync status of an account, from Postgres only (answers while Temporal is down)',
  security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[],
  request: { query: statusQuerySchema },
  responses: {
    200: {
      description: 'The status of the account named, or of the only account; a list when several are connected and none is named',
      content: { 'application/json': { schema: z.union([accountStatusSchema, accountListSchema]) } },
    },
    400: errorResponse('Bad query parameter'),
    401: errorResponse('No session or token (when API_TOKEN is set, or once a household signed in)'),
    404: errorResponse('Unknown account, another person’s, or no account connected yet (the connected ids are listed only to the operator)'),
  },
});

const actionDescriptions: Record<ControlAction, string> = {
  pause: 'Pause the initial sync and playback tracking (Temporal signal `pause`)',
  resume: 'Resume the initial sync and playback tracking (Temporal signal `resume`)',
  reset: 'Clear the initial-sync checkpoints and start it over; play history, saved data and the catalog stay',
};

function controlRoute(action: ControlAction, apiToken: string | undefined) {
  return createRoute({
    method: 'post',
    path: `/${action}`,
    tags: ['sync'],
    summary: actionDescriptions[action],
    security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[],
    middleware: [requireApiToken(apiToken), ...boundedJsonBody()] as const,
    request: {
      body: { required: false, content: { 'application/json': { schema: controlBodySchema } } },
    },
    responses: {
      202: { description: 'Accepted: the workflows got the signal (or the sync was restarted)', content: { 'application/json': { schema: controlResultSchema } } },
      400: errorResponse('Malformed JSON, a field of the wrong type, or several accounts and none named'),
      401: errorResponse('No session or token, or a wrong, revoked or ended one (when API_TOKEN is set, or once a household signed in)'),
      403: errorResponse('A personal token that may only read, or a request from another website'),
      404: errorResponse('Unknown account, another person’s, or no account connected yet'),
      413: errorResponse('Body larger than 16 KB'),
      415: errorResponse('Body sent without Content-Type: application/json'),
      503: errorResponse('Temporal is not reachable'),
    },
  });
}

/** `/api/sync`: status (Postgres only) and the controls (Temporal signals). */
export function syncRoutes(deps: RouteDeps) {
  const { db, config, now } = deps;
  const router = newRouter();

  router.openapi(statusRoute, async (c) => {
    const { accountId } = c.req.valid('query');
    // A person's own account unless named; only the operator (or an open instance) lists them.
    const resolved = await resolveAccount(db, accountId, 'status');
    if ('several' in resolved) return c.json({ accounts: resolved.several }, 200);
    const status = await readAccountStatus(db, resolved.accountId, {
      now: now(),
      incrementalIntervalHours: config.sync.incrementalIntervalHours,
      spotifyClientId: config.spotify.clientId ?? DEMO_CLIENT_ID,
      rateLimitFallbackHours: config.sync.rateLimitFallbackHours,
      temporalUi: config.temporal,
    });
    // Deleted between the two reads.
    if (!status) throw new ApiError(404, 'unknown_account', `No account with id "${resolved.accountId}"`);
    return c.json(status, 200);
  });

  for (const action of controlActions) {
    router.openapi(controlRoute(action, config.apiToken), async (c) => c.json(await runControl(deps, c.req.valid('json').accountId, action), 202));
  }

  return router;
}
