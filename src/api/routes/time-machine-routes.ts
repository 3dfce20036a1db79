import { createRoute, type z } from '@hono/zod-openapi';
import { diffVersions, listChanges, listVersions, readVersion } from '../../library/time-machine.js';
import { planRestore, readRestore, ScopeRequiredError, startRestore } from '../../restores/restores.js';
import { requireApiToken } from '../auth.js';
import { errorResponse } from '../errors.js';
import { boundedJsonBody } from '../json-body.js';
import { resolveReadAccount } from '../resolve-account.js';
import { actorOf, currentCaller } from '../caller.js';
import { clientAddress } from '../credential-throttle.js';
import { newRouter, type RouteDeps } from '../router.js';
import {
  changesPageSchema,
  changesQuerySchema,
  diffQuerySchema,
  diffSchema,
  playlistIdParamSchema,
  restoreBodySchema,
  restoreIdParamSchema,
  restorePlanSchema,
  restoreQuerySchema,
  restoreStartedSchema,
  restoreViewSchema,
  scopeRequiredSchema,
  versionPageSchema,
  versionParamSchema,
  versionsPageSchema,
  versionsQuerySchema,
} from '../time-machine-schemas.js';

const ok = <T extends z.ZodType>(schema: T) => ({ description: 'OK', content: { 'application/json': { schema } } });
const readErrors = {
  400: errorResponse('A bad query parameter (named in the message), a malformed cursor, or several accounts and none named'),
  401: errorResponse('Missing or wrong API token (when API_TOKEN is set)'),
  404: errorResponse('Unknown account, playlist or version'),
};

/** The login that grants the write scopes restores need (incremental consent). */
export const RESTORE_LOGIN_PATH = '/auth/login?scopes=restore';

/** The time machine (DESIGN.md): a playlist's versions, one version, a diff, the change log, restores. */
export function timeMachineRoutes(deps: RouteDeps) {
  const { db, config } = deps;
  const router = newRouter();
  const base = {
    security: [{ bearerAuth: [] }, { signInCookie: [] }] as Record<string, string[]>[],
    middleware: requireApiToken(config.apiToken),
  };

  router.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/library/playlists/{id}/versions',
      tags: ['time machine'],
      summary: 'Every version of a playlist the sync saw, newest first; a deletion is the last',
      request: { query: versionsQuerySchema, params: playlistIdParamSchema },
      responses: { 200: ok(versionsPageSchema), ...readErrors },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      return c.json(await listVersions(db, await resolveReadAccount(db, accountId), c.req.valid('param').id, query), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/library/playlists/{id}/versions/{version}',
      tags: ['time machine'],
      summary: 'A playlist as it was at one version: details and its entries in order, paginated',
      request: { query: versionsQuerySchema, params: versionParamSchema },
      responses: { 200: ok(versionPageSchema), ...readErrors },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      const { id, version } = c.req.valid('param');
      return c.json(await readVersion(db, await resolveReadAccount(db, accountId), id, version, query), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/library/playlists/{id}/diff',
      tags: ['time machine'],
      summary: 'What changed between two versions: entries added, removed and moved, details',
      request: { query: diffQuerySchema, params: playlistIdParamSchema },
      responses: { 200: ok(diffSchema), ...readErrors },
    }),
    async (c) => {
      const { accountId, from, to } = c.req.valid('query');
      return c.json(await diffVersions(db, await resolveReadAccount(db, accountId), c.req.valid('param').id, from, to), 200);
    },
  );

  router.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/library/changes',
      tags: ['time machine'],
      summary: 'The change log of the library, newest first: saves, removals, follows, unfollows, playlist edits and deletions',
      request: { query: changesQuerySchema },
      responses: { 200: ok(changesPageSchema), ...readErrors },
    }),
    async (c) => {
      const { accountId, ...query } = c.req.valid('query');
      return c.json(await listChanges(db, await resolveReadAccount(db, accountId), query), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/restores',
      tags: ['time machine'],
      summary: 'Plan (dryRun) or start a restore: a playlist recreated, rolled back or followed again; removed saves saved again',
      security: base.security,
      middleware: [requireApiToken(config.apiToken), ...boundedJsonBody()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: restoreBodySchema } } } },
      responses: {
        200: ok(restorePlanSchema),
        202: ok(restoreStartedSchema),
        400: errorResponse('A bad body (the field named), an unusable target, or several accounts and none named'),
        401: errorResponse('Missing or wrong API token (when API_TOKEN is set)'),
        404: errorResponse('Unknown account, playlist or version'),
        409: { description: 'The login did not grant the write scopes: log in at loginUrl to grant them', content: { 'application/json': { schema: scopeRequiredSchema } } },
        413: errorResponse('Body larger than 16 KB'),
        415: errorResponse('Body sent without Content-Type: application/json'),
        503: errorResponse('Temporal is not reachable'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const accountId = await resolveReadAccount(db, body.accountId);
      if (body.dryRun) return c.json({ plan: (await planRestore(db, accountId, body.target)).plan }, 200);
      const idempotencyKey = c.req.header('idempotency-key')?.slice(0, 200);
      const actor = actorOf(await currentCaller());
      try {
        const started = await deps.temporal.run((client) =>
          startRestore(
            { db, workflows: async () => ({ client, config }) },
            { accountId, target: body.target, idempotencyKey, actor, client: clientAddress(c, config.trustProxy), now: deps.now() },
          ),
        );
        return c.json({ restoreId: started.restoreId }, 202);
      } catch (error) {
        if (error instanceof ScopeRequiredError) {
          return c.json({ error: { code: 'scope_required' as const, message: error.message }, loginUrl: RESTORE_LOGIN_PATH }, 409);
        }
        throw error;
      }
    },
  );

  router.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/restores/{restoreId}',
      tags: ['time machine'],
      summary: 'A restore: its state, plan, progress and result (verified)',
      request: { query: restoreQuerySchema, params: restoreIdParamSchema },
      responses: { 200: ok(restoreViewSchema), ...readErrors },
    }),
    async (c) => {
      const accountId = await resolveReadAccount(db, c.req.valid('query').accountId);
      return c.json(await readRestore(db, accountId, c.req.valid('param').restoreId), 200);
    },
  );

  return router;
}
