import type { NotifyTarget } from '../config/notify-targets.js';
import type { Db } from '../db/connect.js';
import type { NotificationRow } from '../db/rows.js';
import type { NotificationBody, NotifyEventOrTest } from './events.js';
import { deliverOnce, type DeliveryAttempt } from './notification-store.js';
import { DeliveryError, sendNotification } from './send-notification.js';

export interface DeliveryDeps {
  db: Db;
  targets: NotifyTarget[];
  now: () => Date;
  fetch?: typeof fetch;
}

/** The body every target is sent, from the notification's row. */
export function bodyOf(row: NotificationRow, displayName: string | null): NotificationBody {
  return {
    event: row.event as NotifyEventOrTest,
    accountId: row.account_id,
    displayName,
    at: new Date(row.created_at).toISOString(),
    message: row.message,
    url: row.url,
  };
}

/**
 * Sends a notification to every target that has not had it (all at once), records each attempt, and
 * returns the attempts made (none: every target had it already).
 */
export async function deliverNotification(deps: DeliveryDeps, row: NotificationRow, displayName: string | null): Promise<DeliveryAttempt[]> {
  const body = bodyOf(row, displayName);
  const attempts = await deliverOnce(
    deps.db,
    row.id,
    deps.targets.map((t) => t.key),
    (pending) =>
      Promise.all(
        deps.targets
          .filter((t) => pending.includes(t.key))
          .map(async (target): Promise<DeliveryAttempt> => {
            try {
              await sendNotification(target, body, { fetch: deps.fetch });
              return { targetKey: target.key, targetLabel: target.label, ok: true, detail: null };
            } catch (error) {
              if (!(error instanceof DeliveryError)) throw error;
              return { targetKey: target.key, targetLabel: target.label, ok: false, detail: error.detail };
            }
          }),
      ),
    deps.now,
  );
  return attempts;
}

/** The attempts that failed. */
export const failedAttempts = (attempts: DeliveryAttempt[]): DeliveryAttempt[] => attempts.filter((a) => !a.ok);

/** One line for the failed targets of a delivery: labels and reasons, no URL. */
export function describeFailedTargets(failed: DeliveryAttempt[]): string {
  return failed.map((f) => `${f.targetLabel} ${f.detail ?? 'failed'}`).join('; ');
}
