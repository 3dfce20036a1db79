import type { Db } from '../../src/db/connect.js';
import type { AccountRow } from '../../src/db/rows.js';
import { loadAppQuota } from '../../src/quota/app-quota-store.js';
import { figureSpent, quotaWall } from '../../src/quota/quota-window.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';

/** What a notification says of its account: its name and its login. */
export type NotifiedAccount = Pick<AccountRow, 'id' | 'display_name' | 'authorized_at' | 'login_problem' | 'needs_reauth' | 'sync_state'>;

export async function loadNotifiedAccount(db: Db, accountId: string): Promise<NotifiedAccount | undefined> {
  return db('accounts').where({ id: accountId }).first('id', 'display_name', 'authorized_at', 'login_problem', 'needs_reauth', 'sync_state');
}

/** An incremental run still open after this long was cut off (its workflow terminated), not stalled. */
const OPEN_RUN_HORIZON_MS = 7 * 86_400_000;

export interface SyncProgressFacts {
  /** A sync is under way: the initial sync runs (not paused, not waiting), or an incremental run is open. */
  busy: boolean;
  /** It waits out a rate limit whose end is known: a reset time still ahead, or its app's quota wall (the quota known and spent for this window). */
  waitingOnLimit: boolean;
  /** The last sign of progress: a checkpoint, a change of state, the start of the open run. */
  lastProgressAt: Date | null;
}

/** Whether the account's syncs are moving (the `stalled` check). `app`: the Spotify app the account calls with (unset: the demo app), whose quota wall is a known wait. */
export async function syncProgressFacts(db: Db, accountId: string, now: Date, app: { clientId: string | undefined; fallbackMs: number }): Promise<SyncProgressFacts> {
  const account = await db('accounts').where({ id: accountId }).first('sync_state', 'sync_state_changed_at');
  if (!account) return { busy: false, waitingOnLimit: false, lastProgressAt: null };
  const openRun = await db('incremental_runs')
    .where({ account_id: accountId, outcome: 'running' })
    .whereNull('finished_at')
    .where('started_at', '>', new Date(now.getTime() - OPEN_RUN_HORIZON_MS))
    .max({ at: 'started_at' })
    .first();
  // The syncs' checkpoints only: the playback poll moves its own row every few minutes, whatever the syncs do.
  const syncRows = () => db('sync_state').where({ account_id: accountId }).whereIn('phase', ['initial', 'incremental']);
  const checkpoint = await syncRows().max({ at: 'last_updated_at' }).first();
  const limit = await syncRows().where('rate_limit_reset_at', '>', now).first('id');
  // At the app's quota wall no call goes out until the window is free again: a wait whose end is known.
  const quota = await loadAppQuota(db, app.clientId ?? DEMO_CLIENT_ID);
  const atWall = quotaWall(quota, now.getTime(), app.fallbackMs) !== null || figureSpent(quota, now.getTime(), app.fallbackMs);
  const times = [account.sync_state_changed_at, openRun?.at, checkpoint?.at].filter((t): t is Date => t !== null && t !== undefined).map((t) => new Date(t));
  return {
    busy: account.sync_state === 'running' || Boolean(openRun?.at),
    waitingOnLimit: account.sync_state === 'rate_limited' || limit !== undefined || atWall,
    lastProgressAt: times.length === 0 ? null : new Date(Math.max(...times.map((t) => t.getTime()))),
  };
}
