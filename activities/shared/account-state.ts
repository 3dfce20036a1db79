import { nowOf, type ActivityDeps } from './deps.js';
import type { SyncPhaseName, SyncStateName } from '../../workflows/contract.js';
import { writeAccountSyncState } from '../store/accounts-store.js';

/** Persists what the status API shows: the account's sync state and phase (running again: a wait that is over no longer shows its reset time). */
export async function recordSyncState(deps: ActivityDeps, input: { accountId: string; state: SyncStateName; phase: SyncPhaseName }): Promise<void> {
  await writeAccountSyncState(deps.db, input.accountId, input.state, input.phase, nowOf(deps));
}
