import type { Db } from '../../src/db/connect.js';

/** Records a run that did nothing (finished as it started) and why; returns its id. */
export async function insertSkippedRun(db: Db, input: { accountId: string; workflowId: string; reason: string; now: Date }): Promise<number> {
  const [row] = await db('incremental_runs')
    .insert({ account_id: input.accountId, workflow_id: input.workflowId, started_at: input.now, finished_at: input.now, outcome: 'skipped', result: { reason: input.reason } })
    .returning('id');
  return row!.id;
}

/** When the account's saved tracks were last read in full: the last reconciling run, else the initial sync's tracks (0: never). */
export async function lastReconciledMs(db: Db, accountId: string): Promise<number> {
  const lastFull = await db('incremental_runs')
    .where({ account_id: accountId, outcome: 'completed' })
    .whereRaw("(result->>'reconciled')::boolean")
    .max({ at: 'finished_at' })
    .first();
  const initialTracks = await db('sync_state').where({ account_id: accountId, entity_type: 'tracks', phase: 'initial' }).first('completed_at');
  return Math.max(lastFull?.at ? new Date(lastFull.at).getTime() : 0, initialTracks?.completed_at ? new Date(initialTracks.completed_at).getTime() : 0);
}

/** Opens a running run with fresh incremental checkpoints (the last run's removed), in one transaction; returns its id. */
export async function openIncrementalRun(db: Db, input: { accountId: string; workflowId: string; now: Date }): Promise<number> {
  const row = await db.transaction(async (trx) => {
    await trx('sync_state').where({ account_id: input.accountId, phase: 'incremental' }).delete();
    const [inserted] = await trx('incremental_runs')
      .insert({ account_id: input.accountId, workflow_id: input.workflowId, started_at: input.now, outcome: 'running', result: {} })
      .returning('id');
    return inserted as { id: number };
  });
  return row.id as number;
}

export async function closeIncrementalRun(db: Db, input: { runId: number; outcome: 'completed' | 'failed'; result: Record<string, unknown>; now: Date }): Promise<void> {
  await db('incremental_runs').where({ id: input.runId }).update({ outcome: input.outcome, finished_at: input.now, result: input.result });
}
