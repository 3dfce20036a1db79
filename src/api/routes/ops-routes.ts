import { createRoute, z } from '@hono/zod-openapi';
import { errorBodySchema } from '../errors.js';
import { createMetrics } from '../metrics.js';
import { newRouter, type RouteDeps } from '../router.js';
import { callerDepsOf, callerOf, seesEveryStatus } from '../caller.js';

const checksSchema = z.object({
  postgres: z.string().openapi({ example: 'ok' }),
  temporal: z.string().openapi({ example: 'ok' }),
});

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['operations'],
  summary: 'Readiness: Postgres answers `select 1` and Temporal its health check',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: z.object({ ok: z.literal(true), checks: checksSchema }) } } },
    503: {
      description: 'Not ready; the message and `checks` say what failed',
      content: { 'application/json': { schema: errorBodySchema.extend({ checks: checksSchema }).openapi('NotReady') } },
    },
  },
});

const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary:
    'Prometheus metrics, computed from Postgres at scrape time; the per-account series (login expiry) need a session or token when API_TOKEN is set or a household signed in',
  responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
});

const postgresTimeoutMs = 3_000;

async function checkPostgres(deps: RouteDeps): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      deps.db.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${postgresTimeoutMs} ms`)), postgresTimeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const describeFailure = (result: PromiseSettledResult<void>): string =>
  result.status === 'fulfilled' ? 'ok' : `failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`;

/** Liveness, readiness and metrics. */
export function opsRoutes(deps: RouteDeps) {
  const router = newRouter();
  const metrics = createMetrics(deps.db);

  router.openapi(healthRoute, (c) => c.json({ ok: true as const }, 200));

  router.openapi(readyRoute, async (c) => {
    const [postgres, temporal] = await Promise.allSettled([checkPostgres(deps), deps.temporal.check()]);
    const checks = { postgres: describeFailure(postgres), temporal: describeFailure(temporal) };
    if (postgres.status === 'fulfilled' && temporal.status === 'fulfilled') return c.json({ ok: true as const, checks }, 200);
    const failed = [postgres.status === 'rejected' ? 'Postgres' : null, temporal.status === 'rejected' ? 'Temporal' : null].filter(Boolean);
    if (postgres.status === 'rejected') deps.logger.warn('readiness: Postgres check failed', { reason: checks.postgres });
    return c.json({ error: { code: 'not_ready', message: `Not ready: ${failed.join(' and ')} not reachable` }, checks }, 503);
  });

  router.openapi(metricsRoute, async (c) => {
    // The aggregate series are open; the per-account labels (login expiry) only for a caller who may see those accounts' status.
    const caller = await callerOf(c, callerDepsOf(deps));
    const text = await metrics.render(caller.kind === 'anonymous' ? [] : seesEveryStatus(caller) ? 'every' : caller.kind === 'person' ? [caller.accountId] : []);
    return c.text(text, 200, { 'Content-Type': metrics.contentType });
  });

  return router;
}
