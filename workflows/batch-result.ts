import type { EntityType } from './contract.js';

/**
 * What a batch activity tells the workflow. Plain data only (it is recorded in the workflow history):
 * counts and timings, never tokens.
 */
export interface BatchResult {
  entity: EntityType;
  /** progress: more to do; done: this entity is complete; rate_limited: wait retryAfterMs; needs_reauth: wait for a login. */
  outcome: 'progress' | 'done' | 'rate_limited' | 'needs_reauth';
  items: number;
  skipped: number;
  apiCalls: number;
  synced: number;
  total: number | null;
  retryAfterMs?: number;
  resetAt?: string;
  retryAfterSource?: 'spotify' | 'fallback';
  /**
   * Whole batches this activity committed (an activity may run several quick ones in a row). Absent in
   * results recorded before activities could: one for progress or done, else none.
   */
  batches?: number;
  /** What changed, for the incremental run's result (e.g. newSaves, removedSaves, playlistsRemoved). */
  counts?: Record<string, number>;
}

/** Whole batches a result stands for: its count, else one if it ended in progress or done. */
export function batchesCommitted(result: BatchResult): number {
  return result.batches ?? (result.outcome === 'progress' || result.outcome === 'done' ? 1 : 0);
}
