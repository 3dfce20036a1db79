import { createRoute, z } from '@hono/zod-openapi';
import { createErrorHandler } from './errors.js';
import { headWithoutBody } from './head-requests.js';
import { methodAwareNotFound } from './method-not-allowed.js';
import { silentLogger } from './logger.js';
import { requestCredential, requireApiToken, signInCookieName } from './auth.js';
import { authRoutes } from './routes/auth-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { libraryPageRoutes } from './routes/library-page-routes.js';
import { libraryRoutes } from './routes/library-routes.js';
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
  };

  const app = newRouter();
  app.onError(createErrorHandler(routeDeps.logger));
  app.notFound(methodAwareNotFound(() => app.routes, pageNotFound(routeDeps)));
  app.use(siteSecurityHeaders);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The value of API_TOKEN; required by the controls, the library, history and exports, and the login when it is set',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'signInCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: signInCookieName,
    description: 'Set by the sign-in form at /sign-in; serves in place of the bearer header',
  });

  app.use('*', headWithoutBody);
  // The doors (docs/security.md): a Host this instance answers to, throttled guesses, no cross-site writes.
  app.use('*', requireKnownHost(routeDeps.config));
  app.use(
    '*',
    throttleCredentials(new CredentialThrottle(routeDeps.now), routeDeps.config.trustProxy, (c) => requestCredential(c, routeDeps.config.apiToken) === 'bearer'),
  );
  app.use('*', refuseCrossSiteRequests(routeDeps.config, { answersItself: statusPageControlPath }));
  app.use('/api/*', noStoreApiAnswers);
  app.route('/api/sync', syncRoutes(routeDeps));
  app.route('/api', libraryRoutes(routeDeps));
  app.route('/api/export', exportRoutes(routeDeps));
  // Starting a login spends the app's shared quota and adds an account: with API_TOKEN set it needs the token too.
  app.use('/auth/*', requireApiToken(routeDeps.config.apiToken, { onRefused: 'sign-in' }));
  app.route('/api/history/imports', historyImportRoutes(routeDeps));
  app.route('/', historyImportPages(routeDeps));
  app.route('/auth', authRoutes(routeDeps));
  app.route('/', signInRoutes(routeDeps));
  app.route('/', homeRoutes(routeDeps));
  app.route('/', pageRoutes(routeDeps));
  app.route('/', libraryPageRoutes(routeDeps));
  app.route('/', opsRoutes(routeDeps));
  app.route('/', settingsNotificationsRoutes(routeDeps));

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
