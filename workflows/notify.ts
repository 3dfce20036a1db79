import { CancellationScope, ContinueAsNew, isCancellation, log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities, NotifyEventInput } from '../activities/index.js';

/** Runs started before notifications send none (their recorded histories have no notify activity). */
export const NOTIFY_PATCH = 'notify-events';

/**
 * The notify activity's options: a few quick retries here, so a workflow never waits long on a target
 * that is down; the playback workflow's periodic check (`checkNotifications`) sends what is still
 * missing again for a day. The activity sends each event once (an outbox keyed by account, event and
 * occasion), so a retry, a replay or a second workflow meeting the same event sends nothing twice.
 */
const notifyActivities = (summary: string) =>
  proxyActivities<Activities>({
    summary,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 6 },
  });

/**
 * Sends a notification (NOTIFY_URLS) from workflow code; a delivery that still fails after its retries
 * is logged and left to the periodic check, never failing the workflow.
 */
export async function notify(input: NotifyEventInput): Promise<void> {
  if (!patched(NOTIFY_PATCH)) return;
  try {
    await notifyActivities(`notify: ${input.event}`).notifyEvent(input);
  } catch (error) {
    log.warn('notification not delivered yet; the periodic check tries again', { accountId: input.accountId, event: input.event, error: String(error) });
  }
}

/**
 * For `restoreWorkflow`: tells the account's targets a restore is complete (call it once the restore
 * has verified its result). A workflow type of its own from the start needs no patch of its own, but
 * the shared one is harmless.
 */
export function notifyRestoreComplete(accountId: string, restoreId: string): Promise<void> {
  return notify({ accountId, event: 'restore_complete', restoreId });
}

/** The periodic check: `login_expiring`, `stalled`, and what a target still lacks. Failures wait for the next check. */
export async function checkNotifications(accountId: string): Promise<void> {
  if (!patched(NOTIFY_PATCH)) return;
  try {
    await notifyActivities('notification check: login expiry, stall, undelivered').checkNotifications({ accountId });
  } catch (error) {
    log.warn('notification check failed; the next one tries again', { accountId, error: String(error) });
  }
}

/**
 * `failed`: when a workflow ends in failure (an activity failed for good), once per workflow chain. A
 * cancellation or a continue-as-new is no failure.
 */
export async function notifyFailure(accountId: string, what: string, error: unknown): Promise<void> {
  if (isCancellation(error) || error instanceof ContinueAsNew) return;
  const { workflowType, firstExecutionRunId } = workflowInfo();
  await CancellationScope.nonCancellable(() => notify({ accountId, event: 'failed', occasion: `${workflowType} ${firstExecutionRunId}`, what }));
}
