import type { EntityType } from './contract.js';

/** Counts and timings of a batch activity's run. Plain data only (it is recorded in the workflow history), never tokens. */
interface BatchCounts {
  entity: EntityType;
  items: number;
  skipped: number;
  apiCalls: number;
  synced: number;
  total: number | null;
  /**
   * Whole batches this activity committed (an activity may run several quick ones in a row). Absent in
   * results recorded before activities could: one for progress or done, else none.
   */
  batches?: number;
  /** What changed, for the incremental run's result (e.g. newSaves, removedSaves, playlistsRemoved). */
  counts?: Record<string, number>;
}

/**
 * A durable wait the activity decided on (activities/shared/rate-limit-policy.ts); the workflow sleeps exactly
 * `retryAfterMs` and then runs the batch again, whose first call is the probe.
 */
export interface RateLimitWait {
  outcome: 'rate_limited';
  retryAfterMs: number;
  resetAt: string;
  /** `spotify`: its Retry-After; `fallback`: RATE_LIMIT_FALLBACK_HOURS; `probe`: a rung of the probe ladder. */
  retryAfterSource: 'spotify' | 'fallback' | 'probe';
  /** Absent in results recorded before headerless 429s had a kind of their own (those were quota waits). */
  rateLimitKind?: 'quota' | 'headerless';
  /** For `probe`: which durable wait of the ladder this is (1: the first). */
  probe?: number;
}

/**
 * What a batch activity tells the workflow: `progress`, more to do; `done`, this entity is complete;
 * `rate_limited`, wait as it says; `needs_reauth`, wait for a new login.
 */
export type BatchResult = BatchCounts & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

export type RateLimitedResult = BatchResult & RateLimitWait;

/** Whole batches a result stands for: its count, else one if it ended in progress or done. */
export function batchesCommitted(result: BatchResult): number {
  return result.batches ?? (result.outcome === 'progress' || result.outcome === 'done' ? 1 : 0);
}
