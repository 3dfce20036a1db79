import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Db } from '../db/connect.js';
import type { WorkflowControlDeps } from '../temporal/workflow-control.js';
import { startInitialSync, terminateInitialSync } from './account-workflows.js';

export interface ResetResult {
  /** sync_state rows of the initial sync deleted (its checkpoints and progress). */
  checkpointsCleared: number;
  /** Playlists whose stored items will be fetched again. */
  playlistsReset: number;
}

/**
 * Clears what the initial sync remembers of an account so that it starts over: its checkpoints, the
 * snapshot marks of playlist items, and the account's state. Play history, saved data, the catalog and
 * the incremental and playback checkpoints stay. One transaction: all of it or nothing. Null when the
 * account does not exist. The caller starts the initial sync again afterwards (startInitialSync, as resetAccount does).
 */
export async function resetAccountCheckpoints(db: Db, accountId: string, now: Date = new Date()): Promise<ResetResult | null> {
  return db.transaction(async (trx) => {
    const account = await trx('accounts').where({ id: accountId }).forUpdate().first('id');
    if (!account) return null;
    const checkpointsCleared = await trx('sync_state').where({ account_id: accountId, phase: 'initial' }).delete();
    const playlistsReset = await trx('playlists').where({ account_id: accountId }).update({ items_snapshot_id: null });
    await trx('accounts').where({ id: accountId }).update({
      sync_state: 'not_started',
      sync_phase: 'tracks',
      sync_state_changed_at: now,
      updated_at: now,
    });
    return { checkpointsCleared, playlistsReset };
  });
}

/**
 * `reset` from the API and the CLI: ends the running initial sync (so it cannot write a checkpoint
 * after they are cleared), clears its checkpoints, and starts it afresh.
 */
export async function resetInitialSync(deps: WorkflowControlDeps, db: Db, accountId: string, now: Date = new Date()): Promise<void> {
  // Two resets at once: the other one's fresh run may have started (and checkpointed) between our
  // terminate and our clearing, so a start that finds a run ends that one and clears again.
  for (let attempt = 1; ; attempt++) {
    await terminateInitialSync(deps, accountId);
    await resetAccountCheckpoints(db, accountId, now);
    try {
      await startInitialSync(deps, accountId);
      return;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 5) throw error;
    }
  }
}
