import { createRoute, z } from '@hono/zod-openapi';
import { lastDeliveries, recentNotifications } from '../../notify/notification-store.js';
import { requireApiToken } from '../auth.js';
import { NotificationSettingsPage, type NotificationSettingsView } from '../pages/settings-notifications.js';
import { newRouter, type RouteDeps } from '../router.js';
import { reachableAccounts } from '../resolve-account.js';
import { pageContext, sendPage } from './page-response.js';

const settingsNotificationsRoute = createRoute({
  method: 'get',
  path: '/settings/notifications',
  tags: ['pages'],
  summary: 'The notification targets (NOTIFY_URLS, without their secrets), the last delivery to each, and the latest events',
  description: 'With API_TOKEN set, without the token it redirects to /sign-in.',
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    303: { description: 'To /sign-in (API_TOKEN set, no token)' },
  },
});

/** How many of the latest notifications the page lists. */
const RECENT_NOTIFICATIONS = 10;

/** `/settings/notifications`: what NOTIFY_URLS sends to, and how the last deliveries went. */
export function settingsNotificationsRoutes(deps: RouteDeps) {
  const { db, config } = deps;
  const router = newRouter();
  router.use('/settings/notifications', requireApiToken(config.apiToken, { onRefused: 'sign-in' }));
  router.openapi(settingsNotificationsRoute, async (c) => {
    const targets = config.notify.targets;
    const reachable = await reachableAccounts('read');
    const last = await lastDeliveries(
      db,
      targets.map((t) => t.key),
    );
    const view: NotificationSettingsView = {
      targets: targets.map((t) => ({ kind: t.kind, label: t.label, last: last.get(t.key) ?? null })),
      stallHours: config.notify.stallHours,
      // Another person's events are theirs: a person sees their own account's (and the instance's test messages).
      recent: (await recentNotifications(db, RECENT_NOTIFICATIONS * 5))
        .filter((n) => reachable === 'every' || n.accountId === null || reachable.includes(n.accountId))
        .slice(0, RECENT_NOTIFICATIONS),
    };
    return sendPage(c, <NotificationSettingsPage ctx={await pageContext(db, c, undefined)} view={view} />) as never;
  });
  return router;
}
