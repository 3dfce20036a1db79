import { createRoute, z } from '@hono/zod-openapi';
import { createErrorHandler } from './errors.js';
import { headWithoutBody } from './head-requests.js';
import { methodAwareNotFound } from './method-not-allowed.js';
import { silentLogger } from './logger.js';
import { contextStorage } from 'hono/context-storage';
import { signInCookieName } from './auth.js';
import { callerGate } from './caller-gate.js';
import { callerDepsOf, householdFormedCache } from './caller.js';
import { householdRoutes } from './routes/household-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { libraryPageRoutes } from './routes/library-page-routes.js';
import { restorePageRoutes } from './routes/restore-page-routes.js';
import { libraryRoutes } from './routes/library-routes.js';
import { timeMachineRoutes } from './routes/time-machine-routes.js';
import { signInRoutes } from './routes/sign-in-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { pageRoutes } from './routes/page-routes.js';
import { homeRoutes } from './routes/home-routes.js';
import { pageNotFound } from './routes/not-found-page.js';
import { syncRoutes } from './routes/sync-routes.js';
import { historyImportPages, historyImportRoutes } from './routes/history-import-routes.js';
import { settingsNotificationsRoutes } from './routes/settings-notifications-routes.js';
import { type AppDeps, newRouter, type RouteDeps } from './router.js';
import { siteSecurityHeaders } from './security-headers.js';
import { spotifyAccountsLogin } from './spotify-login.js';
import { createTemporalAccess } from './temporal-access.js';
import { CredentialThrottle, throttleCredentials } from './credential-throttle.js';
import { noStoreApiAnswers, refuseCrossSiteRequests, requireKnownHost } from './doors.js';
import { statusPageControlPath } from './routes/page-routes.js';

export type { AppDeps } from './router.js';

const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  tags: ['operations'],
  summary: 'This API described (OpenAPI 3.0), generated from the schemas that validate its inputs',
  responses: { 200: { description: 'OpenAPI document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
});

/**
 * The HTTP API and status page (DESIGN.md, HTTP contract). Everything it holds is its own: the
 * Temporal connection (made on first use), the metrics registry and the pending logins.
 */
export function createApp(deps: AppDeps) {
  const routeDeps: RouteDeps = {
    db: deps.db,
    config: deps.config,
    temporal: createTemporalAccess(deps.temporal),
    connect: deps.connect,
    now: deps.now ?? (() => new Date()),
    logger: deps.logger ?? silentLogger,
    spotifyLogin: deps.spotifyLogin ?? spotifyAccountsLogin,
    householdFormed: householdFormedCache(deps.db),
  };
  const callerDeps = callerDepsOf(routeDeps);

  const app = newRouter();
  app.onError(createErrorHandler(routeDeps.logger));
  app.notFound(methodAwareNotFound(() => app.routes, pageNotFound(routeDeps)));
  app.use(siteSecurityHeaders);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A personal token (made at /settings/tokens or with `tokens create`: `read` or `control`, its person’s account only) or API_TOKEN (the machine token: every account). ' +
      'Needed by everything but /healthz, /readyz, /metrics, /openapi.json and the sign-in routes when API_TOKEN is set or once a household signed in',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'signInCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: signInCookieName,
    description: 'The session cookie, set by signing in with Spotify (/auth/login) or by the API_TOKEN form at /sign-in; serves in place of the bearer header',
  });

  // The request in flight is reachable from the account rules (resolve-account.ts), which are handed no context.
  app.use('*', contextStorage());
  app.use('*', headWithoutBody);
  // The doors (docs/security.md): a Host this instance answers to, throttled guesses, no cross-site writes.
  app.use('*', requireKnownHost(routeDeps.config));
  app.use(
    '*',
    throttleCredentials(new CredentialThrottle(routeDeps.now), routeDeps.config.trustProxy, async (c) => {
      const caller = await c.get('callerPromise');
      return (caller?.kind === 'operator' || caller?.kind === 'person') && /^Bearer\s/i.test(c.req.header('authorization') ?? '');
    }),
  );
  app.use('*', refuseCrossSiteRequests(routeDeps.config, { answersItself: statusPageControlPath }));
  // Who the request is, and the account it may mean: one gate for every route, those added later included (docs/security.md).
  app.use('*', callerGate(callerDeps));
  app.use('/api/*', noStoreApiAnswers);
  app.route('/api/sync', syncRoutes(routeDeps));
  app.route('/api', libraryRoutes(routeDeps));
  app.route('/api', timeMachineRoutes(routeDeps));
  app.route('/api/export', exportRoutes(routeDeps));
  app.route('/api/history/imports', historyImportRoutes(routeDeps));
  app.route('/', historyImportPages(routeDeps));
  app.route('/auth', authRoutes(routeDeps));
  app.route('/', signInRoutes(routeDeps));
  app.route('/', homeRoutes(routeDeps));
  app.route('/', pageRoutes(routeDeps));
  app.route('/', libraryPageRoutes(routeDeps));
  app.route('/', restorePageRoutes(routeDeps));
  app.route('/', opsRoutes(routeDeps));
  app.route('/', settingsNotificationsRoutes(routeDeps));
  app.route('/', householdRoutes(routeDeps));

  app.openapi(openApiRoute, (c) =>
    c.json(
      app.getOpenAPIDocument({
        openapi: '3.0.0',
        info: {
          title: 'spotify-sync',
          version: '0.1.0',
          description: 'Status, controls, login, library, history and exports of the spotify-sync daemon. Errors are `{error: {code, message}}`.',
        },
      }) as unknown as Record<string, unknown>,
      200,
    ),
  );

  return app;
}

export type App = ReturnType<typeof createApp>;
