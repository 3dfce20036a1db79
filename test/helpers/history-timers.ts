import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

/** The length (ms) of every durable timer a workflow started, in order: what a user waits. */
export function timerLengthsMs(history: History): number[] {
  return (history.events ?? [])
    .map((e) => e.timerStartedEventAttributes?.startToFireTimeout)
    .filter((d): d is NonNullable<typeof d> => d !== null && d !== undefined)
    .map((d) => Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6));
}

/** The attempt numbers of the activity tasks that completed or failed for good (retries in place show as attempt > 1). */
export function activityAttempts(history: History): number[] {
  return (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt).filter((a): a is number => typeof a === 'number');
}
