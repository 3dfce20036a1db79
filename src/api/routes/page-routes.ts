import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../router.js';
import { renderStatusPage, statusPageCsp } from '../status-page.js';

const statusPageRoute = createRoute({
  method: 'get',
  path: '/sync-status',
  tags: ['pages'],
  summary: 'The status page: progress per phase, rate-limit banner, ETA, controls; refreshes every 5 s',
  description: 'Takes an optional `accountId` query parameter, read by the page itself.',
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } } },
});

/** The status page (HTML with inline CSS and JS). */
export function pageRoutes() {
  const router = newRouter();
  router.openapi(statusPageRoute, (c) => {
    const nonce = randomBytes(16).toString('base64');
    c.header('Content-Security-Policy', statusPageCsp(nonce));
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(renderStatusPage({ nonce }), 200);
  });
  return router;
}
