import type { Db } from '../../src/db/connect.js';
import type { SyncPhaseName, SyncStateName } from '../../workflows/contract.js';

/** The account's Spotify user id (undefined for an account not connected). */
export async function loadSpotifyUserId(db: Db, accountId: string): Promise<string | undefined> {
  const row = await db('accounts').where({ id: accountId }).first('spotify_user_id');
  return row?.spotify_user_id;
}

/** The account's sync state (undefined for an account not connected). */
export async function loadAccountSyncState(db: Db, accountId: string): Promise<SyncStateName | undefined> {
  const row = await db('accounts').where({ id: accountId }).first('sync_state');
  return row?.sync_state;
}

/**
 * Sets the account's sync state and phase (running again clears needs_reauth); when running again,
 * a rate-limit wait that is over no longer shows its reset time.
 */
export async function writeAccountSyncState(db: Db, accountId: string, state: SyncStateName, phase: SyncPhaseName, now: Date): Promise<void> {
  await db('accounts')
    .where({ id: accountId })
    .update({
      sync_state: state,
      sync_phase: phase,
      sync_state_changed_at: now,
      updated_at: now,
      ...(state === 'running' ? { needs_reauth: false } : {}),
    });
  if (state === 'running') {
    await db('sync_state').where({ account_id: accountId }).where('rate_limit_reset_at', '<=', now).update({ rate_limit_remaining: null });
  }
}
