import { loadSyncState, type SyncStateKey } from '../store/sync-state-store.js';
import { batchesCommitted, type BatchResult } from '../../workflows/batch-result.js';
import { SHORT_RATE_LIMIT_MAX_SECONDS } from '../../src/spotify/errors.js';
import { rateLimitRetryFailure } from '../shared/rate-limit-policy.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';

/**
 * Runs consecutive batches of one phase in one activity while they are quick: after each committed
 * batch, another starts if the activity has run for less than `budgetMs`. Every batch still commits
 * its rows and checkpoint on its own (and gets its own sync_history row); only the Temporal
 * round-trips (an activity task and a workflow task per activity) are shared. A batch slower than the
 * budget (any development-mode batch against the real Spotify) runs alone, exactly as with no budget.
 *
 * A failure after at least one committed batch ends the activity with what was committed: the next
 * activity starts from that checkpoint and meets the failure itself, under the retry policy. For a
 * short 429 it does so without calling Spotify: the window the failed batch recorded is still closed.
 */
export async function runBatchesWithinBudget(deps: ActivityDeps, key: SyncStateKey, budgetMs: number | undefined, runBatch: () => Promise<BatchResult>): Promise<BatchResult> {
  const startedAt = Date.now();
  await waitOutShortWindow(deps, key);
  let sum: BatchResult | undefined;
  for (;;) {
    let result: BatchResult;
    try {
      result = await runBatch();
    } catch (error) {
      if (sum) return sum;
      throw error;
    }
    sum = sum ? add(sum, result) : { ...result, batches: batchesCommitted(result) };
    if (result.outcome !== 'progress' || !budgetMs || Date.now() - startedAt >= budgetMs) return sum;
  }
}

function add(sum: BatchResult, next: BatchResult): BatchResult {
  let counts: Record<string, number> | undefined;
  if (sum.counts || next.counts) {
    counts = { ...sum.counts };
    for (const [key, n] of Object.entries(next.counts ?? {})) counts[key] = (counts[key] ?? 0) + n;
  }
  return {
    ...next,
    items: sum.items + next.items,
    skipped: sum.skipped + next.skipped,
    apiCalls: sum.apiCalls + next.apiCalls,
    batches: batchesCommitted(sum) + batchesCommitted(next),
    ...(counts ? { counts } : {}),
  };
}

/**
 * Fails the activity, for its retry policy to wait, while a short (30 s window) rate limit that an
 * earlier batch of this phase recorded is still in force: calling Spotify now would only meet it again.
 */
async function waitOutShortWindow(deps: ActivityDeps, key: SyncStateKey): Promise<void> {
  const state = await loadSyncState(deps.db, key);
  if (state.rate_limit_kind !== 'short' || !state.rate_limit_reset_at) return;
  const leftMs = new Date(state.rate_limit_reset_at).getTime() - nowOf(deps).getTime();
  if (leftMs <= 0 || leftMs > SHORT_RATE_LIMIT_MAX_SECONDS * 1000) return;
  throw rateLimitRetryFailure('met by the previous batch', 'short', Math.ceil(leftMs / 1000));
}
