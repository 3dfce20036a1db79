import type { Db } from '../db/connect.js';
import type { NotificationRow } from '../db/rows.js';
import type { NotifyEventOrTest } from './events.js';

/**
 * The notifications' SQL: the outbox (each event once: account, event and occasion are unique) and
 * the delivery log (every attempt per target). The worker's activities, `notify-test` and the settings
 * page all go through here.
 */

export interface NewNotification {
  accountId: string | null;
  event: NotifyEventOrTest;
  occasion: string;
  message: string;
  url: string | null;
  at: Date;
}

/** The event's row: inserted the first time, the same row every time after (its message and time stay the first ones). */
export async function recordNotification(db: Db, n: NewNotification): Promise<NotificationRow> {
  const row = { account_id: n.accountId, event: n.event, occasion: n.occasion, message: n.message, url: n.url, created_at: n.at };
  if (n.accountId === null) {
    const [inserted] = await db('notifications').insert(row).returning('*');
    return inserted as NotificationRow;
  }
  await db('notifications').insert(row).onConflict(['account_id', 'event', 'occasion']).ignore();
  return (await db('notifications').where({ account_id: n.accountId, event: n.event, occasion: n.occasion }).first()) as NotificationRow;
}

/** Whether an event already has its row (a check may then skip building it). */
export async function notificationExists(db: Db, accountId: string, event: NotifyEventOrTest, occasion: string): Promise<boolean> {
  return (await db('notifications').where({ account_id: accountId, event, occasion }).first('id')) !== undefined;
}

/** An account's notifications some target still lacks, from `since` on (oldest first). */
export async function undeliveredNotifications(db: Db, accountId: string, since: Date): Promise<NotificationRow[]> {
  return db('notifications').where({ account_id: accountId }).whereNull('delivered_at').where('created_at', '>=', since).orderBy('id');
}

export interface DeliveryAttempt {
  targetKey: string;
  targetLabel: string;
  ok: boolean;
  detail: string | null;
}

/**
 * Runs `send` for the targets of `keys` that have not had the notification yet, under a lock on its row
 * (two workers delivering the same event wait for each other, so no target gets it twice), records
 * each attempt, and marks the notification delivered once every target has it.
 */
export async function deliverOnce(
  db: Db,
  notificationId: number,
  targetKeys: string[],
  send: (pendingKeys: string[]) => Promise<DeliveryAttempt[]>,
  now: () => Date,
): Promise<DeliveryAttempt[]> {
  return db.transaction(async (trx) => {
    await trx('notifications').where({ id: notificationId }).forUpdate().first('id');
    const done = new Set<string>(await trx('notification_deliveries').where({ notification_id: notificationId, ok: true }).pluck('target_key'));
    const pending = targetKeys.filter((k) => !done.has(k));
    const attempts = pending.length === 0 ? [] : await send(pending);
    const at = now();
    if (attempts.length > 0) {
      await trx('notification_deliveries').insert(
        attempts.map((a) => ({ notification_id: notificationId, target_key: a.targetKey, target_label: a.targetLabel, attempted_at: at, ok: a.ok, detail: a.detail })),
      );
    }
    if (attempts.every((a) => a.ok)) await trx('notifications').where({ id: notificationId }).whereNull('delivered_at').update({ delivered_at: at });
    return attempts;
  });
}

export interface LastDelivery {
  attemptedAt: Date;
  ok: boolean;
  detail: string | null;
  event: string;
}

/** The last attempt to each target (by key), for the settings page. */
export async function lastDeliveries(db: Db, targetKeys: string[]): Promise<Map<string, LastDelivery>> {
  if (targetKeys.length === 0) return new Map();
  const rows = await db('notification_deliveries as d')
    .join('notifications as n', 'n.id', 'd.notification_id')
    .whereIn('d.target_key', targetKeys)
    .distinctOn('d.target_key')
    .orderBy([{ column: 'd.target_key' }, { column: 'd.attempted_at', order: 'desc' }, { column: 'd.id', order: 'desc' }])
    .select<{ target_key: string; attempted_at: Date; ok: boolean; detail: string | null; event: string }[]>('d.target_key', 'd.attempted_at', 'd.ok', 'd.detail', 'n.event');
  return new Map(rows.map((r) => [r.target_key, { attemptedAt: new Date(r.attempted_at), ok: r.ok, detail: r.detail, event: r.event }]));
}

export interface RecentNotification {
  event: string;
  accountId: string | null;
  displayName: string | null;
  at: Date;
  deliveredAt: Date | null;
}

/** The latest notifications, newest first, for the settings page. */
export async function recentNotifications(db: Db, limit: number): Promise<RecentNotification[]> {
  const rows = await db('notifications as n')
    .leftJoin('accounts as a', 'a.id', 'n.account_id')
    .orderBy([
      { column: 'n.created_at', order: 'desc' },
      { column: 'n.id', order: 'desc' },
    ])
    .limit(limit)
    .select<{ event: string; account_id: string | null; display_name: string | null; created_at: Date; delivered_at: Date | null }[]>(
      'n.event',
      'n.account_id',
      'a.display_name',
      'n.created_at',
      'n.delivered_at',
    );
  return rows.map((r) => ({
    event: r.event,
    accountId: r.account_id,
    displayName: r.display_name,
    at: new Date(r.created_at),
    deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
  }));
}
