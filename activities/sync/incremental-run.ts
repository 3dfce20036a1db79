import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { loadAccountSyncState } from '../store/accounts-store.js';
import { closeIncrementalRun, insertSkippedRun, lastReconciledMs, openIncrementalRun } from '../store/incremental-runs-store.js';

/** Full reconciliation of saved tracks happens at least this often. */
export const RECONCILE_EVERY_MS = 7 * 24 * 3_600_000;

export interface IncrementalRunStart {
  runId: number | null;
  skipped: string | null;
  reconcileDue: boolean;
}

/**
 * Opens an incremental run: skipped (no Spotify call) while the initial sync is not complete;
 * otherwise fresh incremental checkpoints, and whether the weekly full reconciliation is due.
 */
export async function beginIncrementalRun(deps: ActivityDeps, input: { accountId: string; workflowId: string }): Promise<IncrementalRunStart> {
  const { accountId } = input;
  const now = nowOf(deps);
  const syncState = await loadAccountSyncState(deps.db, accountId);
  if (!syncState) throw new Error(`account ${accountId} is not connected`);
  if (syncState !== 'complete') {
    const reason = 'skipped: initial sync in progress';
    const runId = await insertSkippedRun(deps.db, { accountId, workflowId: input.workflowId, reason, now });
    return { runId, skipped: reason, reconcileDue: false };
  }
  const lastReconciled = await lastReconciledMs(deps.db, accountId);
  const runId = await openIncrementalRun(deps.db, { accountId, workflowId: input.workflowId, now });
  return { runId, skipped: null, reconcileDue: now.getTime() - lastReconciled >= RECONCILE_EVERY_MS };
}

export async function finishIncrementalRun(deps: ActivityDeps, input: { runId: number; outcome: 'completed' | 'failed'; result: Record<string, unknown> }): Promise<void> {
  await closeIncrementalRun(deps.db, { ...input, now: nowOf(deps) });
}
