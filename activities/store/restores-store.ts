import type { Knex } from 'knex';
import type { RestorePlan } from '../../src/versions/restore-plan.js';
import type { RestoreState } from '../../workflows/contract.js';

/** A restore as its activity reads it (restores). */
export interface RestoreRow {
  id: string;
  account_id: string;
  target: { kind: 'playlist'; playlistId: string; version?: number } | { kind: 'saved'; since: string; kinds?: string[] };
  plan: RestorePlan;
  target_uris: string[];
  details: { name: string; description: string | null; public: boolean | null } | null;
  state: RestoreState;
  playlist_id: string | null;
  created: boolean;
  done: number;
  total: number;
  written_snapshot_id: string | null;
  replaced: boolean;
  api_calls: number;
  rate_limit_streak: number;
}

export async function loadRestore(db: Knex, restoreId: string): Promise<RestoreRow> {
  const row = (await db('restores').where({ id: restoreId }).first()) as RestoreRow | undefined;
  if (!row) throw new Error(`no restore ${restoreId}`);
  return row;
}

/** The checkpoint after a write: what is written, and the snapshot Spotify answered for it. */
export async function checkpointRestore(
  db: Knex,
  restoreId: string,
  checkpoint: Partial<Pick<RestoreRow, 'playlist_id' | 'created' | 'done' | 'written_snapshot_id' | 'replaced' | 'api_calls' | 'rate_limit_streak' | 'state'>> & {
    rate_limited_until?: Date | null;
  },
  now: Date,
): Promise<void> {
  await db('restores')
    .where({ id: restoreId })
    .update({ ...checkpoint, updated_at: now });
}

/** The restore's end: its result, and its state. */
export async function finishRestore(
  db: Knex,
  restoreId: string,
  end: { state: RestoreState; apiCalls: number; result: { playlistId: string | null; created: boolean; added: number; removed: number; notRestorable: number; verified: boolean } },
  now: Date,
): Promise<void> {
  await db('restores')
    .where({ id: restoreId })
    .update({ state: end.state, api_calls: end.apiCalls, result: JSON.stringify(end.result), rate_limited_until: null, updated_at: now });
}
