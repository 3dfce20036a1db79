import { ApplicationFailure } from '@temporalio/activity';
import { loginExpiresAt } from '../../src/accounts/login-status.js';
import { deliverNotification, describeFailedTargets, failedAttempts } from '../../src/notify/deliver.js';
import { instanceLink } from '../../src/notify/links.js';
import { notificationExists, undeliveredNotifications } from '../../src/notify/notification-store.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { loadNotifiedAccount, syncProgressFacts, type NotifiedAccount } from '../store/notification-facts.js';
import { deliverRaisedEvent, loginOccasion, type RaisedEvent } from './notify-event.js';

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** Days before the login ends that `login_expiring` is sent (contract: 14 and 3). */
export const LOGIN_EXPIRING_THRESHOLDS = [14, 3] as const;

/** Notifications a target still lacks are sent again by the check for this long. */
const REDELIVERY_HORIZON_MS = dayMs;

/** `login_expiring`: the nearest threshold the login has passed, once per threshold and login. */
function loginExpiring(deps: ActivityDeps, account: NotifiedAccount, now: Date): RaisedEvent | null {
  if (account.needs_reauth || account.login_problem !== null) return null;
  const expiresAt = loginExpiresAt(new Date(account.authorized_at));
  const daysLeft = (expiresAt.getTime() - now.getTime()) / dayMs;
  const threshold = [...LOGIN_EXPIRING_THRESHOLDS].sort((a, b) => a - b).find((t) => daysLeft <= t);
  if (threshold === undefined) return null;
  return {
    event: 'login_expiring',
    occasion: `${threshold}d ${loginOccasion(account)}`,
    facts: { event: 'login_expiring', name: account.display_name ?? account.id, expiresAt, now },
    url: instanceLink(deps.config, '/auth/login'),
  };
}

/** `stalled`: a sync under way, not waiting on a known limit (a reset ahead, the app's quota wall), with no progress for NOTIFY_STALL_HOURS; once per stall. */
async function stalled(deps: ActivityDeps, account: NotifiedAccount, now: Date): Promise<RaisedEvent | null> {
  // Waiting for a new login is a known wait too (needs_reauth says so).
  if (account.needs_reauth || account.login_problem !== null) return null;
  const app = { clientId: deps.config.spotify.clientId, fallbackMs: deps.config.sync.rateLimitFallbackHours * hourMs };
  const facts = await syncProgressFacts(deps.db, account.id, now, app);
  const hours = deps.config.notify.stallHours;
  if (!facts.busy || facts.waitingOnLimit || facts.lastProgressAt === null) return null;
  if (now.getTime() - facts.lastProgressAt.getTime() < hours * hourMs) return null;
  return {
    event: 'stalled',
    occasion: facts.lastProgressAt.toISOString(),
    facts: { event: 'stalled', name: account.display_name ?? account.id, since: facts.lastProgressAt, hours },
    url: instanceLink(deps.config, '/sync-status', { accountId: account.id }),
  };
}

/**
 * The periodic check (the playback workflow runs it after every poll): `login_expiring` 14 and 3 days
 * before Spotify's six months, `stalled`, and the account's notifications a target still lacks (those
 * whose own retries ran out) sent again. Throws while a target fails, so its retries try again.
 */
export async function checkNotifications(deps: ActivityDeps, input: { accountId: string }): Promise<void> {
  if (deps.config.notify.targets.length === 0) return;
  const account = await loadNotifiedAccount(deps.db, input.accountId);
  if (!account) return;
  const now = nowOf(deps);
  const failures: string[] = [];
  const triedNow = new Set<string>();
  for (const raised of [loginExpiring(deps, account, now), await stalled(deps, account, now)]) {
    if (raised === null || (await notificationExists(deps.db, account.id, raised.event, raised.occasion))) continue;
    triedNow.add(`${raised.event} ${raised.occasion}`);
    await deliverRaisedEvent(deps, account, raised).catch((error: unknown) => void failures.push((error as Error).message));
  }
  for (const row of await undeliveredNotifications(deps.db, account.id, new Date(now.getTime() - REDELIVERY_HORIZON_MS))) {
    if (triedNow.has(`${row.event} ${row.occasion}`)) continue;
    const failed = failedAttempts(await deliverNotification({ db: deps.db, targets: deps.config.notify.targets, now: () => nowOf(deps) }, row, account.display_name));
    if (failed.length > 0) failures.push(`${row.event} not delivered to ${describeFailedTargets(failed)}`);
  }
  if (failures.length > 0) throw ApplicationFailure.create({ type: 'NotificationNotDelivered', message: failures.join('; ') });
}
