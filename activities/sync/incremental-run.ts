import { nowOf, type ActivityDeps } from '../shared/deps.js';

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
  const account = await deps.db('accounts').where({ id: accountId }).first('sync_state');
  if (!account) throw new Error(`account ${accountId} is not connected`);
  if (account.sync_state !== 'complete') {
    const reason = 'skipped: initial sync in progress';
    const [row] = await deps.db('incremental_runs')
      .insert({ account_id: accountId, workflow_id: input.workflowId, started_at: now, finished_at: now, outcome: 'skipped', result: { reason } })
      .returning('id');
    return { runId: row.id as number, skipped: reason, reconcileDue: false };
  }
  const lastFull = await deps.db('incremental_runs')
    .where({ account_id: accountId, outcome: 'completed' })
    .whereRaw("(result->>'reconciled')::boolean")
    .max({ at: 'finished_at' })
    .first();
  const initialTracks = await deps.db('sync_state').where({ account_id: accountId, entity_type: 'tracks', phase: 'initial' }).first('completed_at');
  const lastReconciled = Math.max(lastFull?.at ? new Date(lastFull.at).getTime() : 0, initialTracks?.completed_at ? new Date(initialTracks.completed_at).getTime() : 0);
  const row = await deps.db.transaction(async (trx) => {
    await trx('sync_state').where({ account_id: accountId, phase: 'incremental' }).delete();
    const [inserted] = await trx('incremental_runs')
      .insert({ account_id: accountId, workflow_id: input.workflowId, started_at: now, outcome: 'running', result: {} })
      .returning('id');
    return inserted as { id: number };
  });
  return { runId: row.id as number, skipped: null, reconcileDue: now.getTime() - lastReconciled >= RECONCILE_EVERY_MS };
}

export async function finishIncrementalRun(
  deps: ActivityDeps,
  input: { runId: number; outcome: 'completed' | 'failed'; result: Record<string, unknown> },
): Promise<void> {
  await deps.db('incremental_runs')
    .where({ id: input.runId })
    .update({ outcome: input.outcome, finished_at: nowOf(deps), result: JSON.stringify(input.result) });
}
