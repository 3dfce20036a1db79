import type { NotifyTarget } from '../config/notify-targets.js';
import type { Db } from '../db/connect.js';
import { deliverNotification } from './deliver.js';
import { testMessage } from './events.js';
import { recordNotification, type DeliveryAttempt } from './notification-store.js';

/** `notify-test`: one test message to every target, recorded like any delivery (the settings page shows it). */
export async function sendTestNotification(deps: { db: Db; targets: NotifyTarget[]; now: () => Date; fetch?: typeof fetch }): Promise<DeliveryAttempt[]> {
  const at = deps.now();
  const row = await recordNotification(deps.db, { accountId: null, event: 'test', occasion: at.toISOString(), message: testMessage, url: null, at });
  return deliverNotification(deps, row, null);
}
