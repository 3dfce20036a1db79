import { nowOf, type ActivityDeps } from './deps.js';
import type { SyncPhaseName, SyncStateName } from '../../workflows/contract.js';

/** Persists what the status API shows: the account's sync state and phase. */
export async function recordSyncState(
  deps: ActivityDeps,
  input: { accountId: string; state: SyncStateName; phase: SyncPhaseName },
): Promise<void> {
  const now = nowOf(deps);
  await deps.db('accounts')
    .where({ id: input.accountId })
    .update({
      sync_state: input.state,
      sync_phase: input.phase,
      sync_state_changed_at: now,
      updated_at: now,
      ...(input.state === 'running' ? { needs_reauth: false } : {}),
    });
  if (input.state === 'running') {
    // A wait is over: clear the banner's reset time.
    await deps.db('sync_state')
      .where({ account_id: input.accountId })
      .where('rate_limit_reset_at', '<=', now)
      .update({ rate_limit_remaining: null });
  }
}
