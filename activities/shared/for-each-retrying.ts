import { isRetriedAtCall, retryDelayMs, type CallRetryPolicy } from '../../src/spotify/call-retry.js';

/** How a batch retries its own calls: the policy, and the service's round trip that scales its waits. */
export interface BatchCallRetry {
  policy: CallRetryPolicy;
  roundTripMs(): number | null;
}

/**
 * Runs `task` for every item, at most `width` at a time, and retries an item whose task failed
 * transiently (isRetriedAtCall) after the policy's backoff, at most `policy.attempts` times in all.
 *
 * It does not wait on its stragglers: once no task is running and every unfinished item is waiting out
 * a backoff, it returns those items as left over for a later batch, provided some item succeeded. So a
 * batch of 200 calls with a few faults ends when its last answer is in, not a backoff later; every run
 * makes progress, and an item that never succeeds is at last alone and fails the run. After a failure
 * that is not retried (or the last attempt's) no further task starts; the running ones finish, and
 * then that failure is thrown.
 */
export function forEachRetrying<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>, retry: BatchCallRetry): Promise<{ leftOver: T[] }> {
  interface Entry {
    item: T;
    failures: number;
    dueAt: number;
  }
  const queue: Entry[] = items.map((item) => ({ item, failures: 0, dueAt: 0 }));
  const lanes = Math.max(1, width);
  let running = 0;
  let succeeded = 0;
  let failure: { error: unknown } | null = null;
  let timer: NodeJS.Timeout | null = null;

  return new Promise((resolve, reject) => {
    const start = (entry: Entry): void => {
      running += 1;
      task(entry.item).then(
        () => {
          running -= 1;
          succeeded += 1;
          pump();
        },
        (error: unknown) => {
          running -= 1;
          entry.failures += 1;
          if (failure === null && isRetriedAtCall(error) && entry.failures < retry.policy.attempts) {
            entry.dueAt = Date.now() + retryDelayMs(retry.policy, entry.failures - 1, retry.roundTripMs());
            queue.push(entry);
          } else {
            failure ??= { error };
          }
          pump();
        },
      );
    };

    const pump = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (failure !== null) {
        if (running === 0) reject(failure.error);
        return;
      }
      const now = Date.now();
      while (running < lanes) {
        const due = queue.findIndex((entry) => entry.dueAt <= now);
        if (due < 0) break;
        start(queue.splice(due, 1)[0] as Entry);
      }
      if (queue.length === 0) {
        if (running === 0) resolve({ leftOver: [] });
        return;
      }
      if (running === 0 && succeeded > 0) {
        resolve({ leftOver: queue.map((entry) => entry.item) });
        return;
      }
      if (running < lanes) timer = setTimeout(pump, Math.max(0, Math.min(...queue.map((entry) => entry.dueAt)) - now));
    };

    pump();
  });
}
