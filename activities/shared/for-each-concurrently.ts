/**
 * Runs `task` for every item, at most `width` at a time, in order of start. After the first failure
 * no further task starts; those already running finish (what they fetched is kept by the caller), and
 * then the first failure is thrown. Width 1 is a plain loop.
 */
export async function forEachConcurrently<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/**
 * Lanes for the calls of a batch: twice the most calls the app's limiter lets out at once, so that a
 * page read's lane sleeping through a retry's backoff (its client retries at the call) never leaves
 * the limiter's slots unused; artist and album batches retry their own calls (forEachRetrying), where
 * a waiting call holds no lane. The limiter, not the lanes, bounds what is in flight. One at a time
 * stays a plain loop.
 */
export const callLanes = (maxConcurrency: number): number => (maxConcurrency <= 1 ? 1 : 2 * maxConcurrency);
