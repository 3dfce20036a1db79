import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { incrementalSyncScheduleId } from '../ids.js';
import { incrementalScheduleAction, type WorkflowControlDeps } from '../temporal/workflow-control.js';

const hoursToMs = (hours: number) => Math.round(hours * 3_600_000);

/**
 * Creates the account's incremental-sync Schedule, or updates its interval when the configuration
 * changed. Overlapping runs are skipped; a run missed while the service was down is caught up once,
 * within one interval. Returns true when it created the schedule.
 */
export async function ensureIncrementalSchedule(deps: WorkflowControlDeps, accountId: string): Promise<boolean> {
  const scheduleId = incrementalSyncScheduleId(accountId);
  const everyMs = hoursToMs(deps.config.sync.incrementalIntervalHours);
  const handle = deps.client.schedule.getHandle(scheduleId);
  try {
    const description = await handle.describe();
    const current = description.spec.intervals?.[0];
    const currentMs = current ? Number(typeof current.every === 'number' ? current.every : msFromDuration(current.every)) : NaN;
    if (currentMs !== everyMs) {
      await handle.update((previous) => ({
        ...previous,
        spec: { intervals: [{ every: everyMs }] },
        policies: { ...previous.policies, catchupWindow: everyMs },
      }));
    }
    return false;
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  try {
    await deps.client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: everyMs }] },
      action: incrementalScheduleAction(deps, accountId),
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs, pauseOnFailure: false },
      memo: { accountId },
    });
    return true;
  } catch (error) {
    // Another process created it between describe and create.
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}

function msFromDuration(duration: unknown): number {
  if (typeof duration === 'number') return duration;
  if (typeof duration === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(duration.trim());
    if (!m) return NaN;
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
    return Number(m[1]) * unit;
  }
  return NaN;
}

/**
 * At worker start: every connected account has its schedule, with the configured interval. Nothing is
 * created twice, so restarts are harmless.
 */
export async function ensureAllIncrementalSchedules(deps: WorkflowControlDeps, accountIds: string[]): Promise<{ created: number; checked: number }> {
  let created = 0;
  for (const accountId of accountIds) if (await ensureIncrementalSchedule(deps, accountId)) created += 1;
  return { created, checked: accountIds.length };
}
