import type { Knex } from 'knex';
import type { Db } from '../../src/db/connect.js';
import type { SyncStateRow } from '../../src/db/rows.js';
import type { EntityType, RateLimitKind, SyncKind } from '../../workflows/contract.js';
import type { SpotifyCallEvent } from '../../src/spotify/client.js';

export interface SyncStateKey {
  accountId: string;
  entity: EntityType;
  kind: SyncKind;
}

/** The checkpoint row of one entity in one sync kind, created on first use. */
export async function loadSyncState(db: Db | Knex.Transaction, key: SyncStateKey): Promise<SyncStateRow> {
  await db('sync_state').insert({ account_id: key.accountId, entity_type: key.entity, phase: key.kind }).onConflict(['account_id', 'entity_type', 'phase']).ignore();
  return (await db('sync_state').where({ account_id: key.accountId, entity_type: key.entity, phase: key.kind }).first())!;
}

export interface BatchCommit {
  key: SyncStateKey;
  /** Columns of sync_state to set (checkpoint, counts, completion). */
  state: Partial<Omit<SyncStateRow, 'id' | 'account_id' | 'entity_type' | 'phase'>>;
  history: { items: number; skipped: number; apiCalls: number; durationMs: number; rateLimited: boolean };
  calls: SpotifyCallEvent[];
  now: Date;
}

/**
 * Commits a batch: its rows (written by `writeRows`), the checkpoint, a sync_history row and the call
 * counters, in one transaction: all of it or none of it.
 */
export async function commitBatch(db: Db, commit: BatchCommit, writeRows: (trx: Knex.Transaction) => Promise<void>): Promise<SyncStateRow> {
  return db.transaction(async (trx) => {
    const { key } = commit;
    const current = await trx('sync_state').where({ account_id: key.accountId, entity_type: key.entity, phase: key.kind }).forUpdate().first();
    if (!current) throw new Error(`sync_state row missing for ${key.accountId}/${key.entity}/${key.kind}`);
    await writeRows(trx);
    const [updated] = await trx('sync_state')
      .where({ id: current.id })
      .update({
        ...commit.state,
        api_calls: trx.raw('api_calls + ?', [commit.history.apiCalls]),
        skipped_count: trx.raw('skipped_count + ?', [commit.history.skipped]),
        batches: trx.raw('batches + 1'),
        last_updated_at: commit.now,
      })
      .returning('*');
    await trx('sync_history').insert({
      account_id: key.accountId,
      phase: key.kind,
      entity_type: key.entity,
      batch_number: updated!.batches,
      checkpoint_offset: updated!.last_synced_offset,
      checkpoint_cursor: updated!.cursor,
      rate_limited: commit.history.rateLimited,
      items: commit.history.items,
      skipped: commit.history.skipped,
      api_calls: commit.history.apiCalls,
      duration_ms: commit.history.durationMs,
      created_at: commit.now,
    });
    await recordCalls(trx, key.accountId, commit.calls);
    return updated!;
  });
}

/**
 * Makes part of a batch durable before the batch ends: its rows and the progress they stand for,
 * in one transaction. No checkpoint, call counters or sync_history row: those stay the batch's.
 */
export async function commitStep(
  db: Db,
  key: SyncStateKey,
  state: Pick<SyncStateRow, 'synced_count' | 'last_updated_at'>,
  writeRows: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  await db.transaction(async (trx) => {
    await writeRows(trx);
    await trx('sync_state').where({ account_id: key.accountId, entity_type: key.entity, phase: key.kind }).update(state);
  });
}

export async function recordCalls(db: Db | Knex.Transaction, accountId: string, calls: SpotifyCallEvent[]): Promise<void> {
  const counts = new Map<string, { endpoint: string; outcome: string; calls: number }>();
  for (const call of calls) {
    const k = `${call.endpoint}\u0000${call.outcome}`;
    const entry = counts.get(k) ?? { endpoint: call.endpoint, outcome: call.outcome, calls: 0 };
    entry.calls += 1;
    counts.set(k, entry);
  }
  if (counts.size === 0) return;
  await db('spotify_calls')
    .insert([...counts.values()].map((c) => ({ account_id: accountId, ...c })))
    .onConflict(['account_id', 'endpoint', 'outcome'])
    .merge({ calls: db.raw('spotify_calls.calls + excluded.calls') });
}

export async function recordSyncError(db: Db, key: SyncStateKey, message: string | null, now: Date): Promise<void> {
  await loadSyncState(db, key);
  await db('sync_state').where({ account_id: key.accountId, entity_type: key.entity, phase: key.kind }).update({ error_message: message, last_updated_at: now });
}

const checkpointOf = (key: SyncStateKey) => ({ account_id: key.accountId, entity_type: key.entity, phase: key.kind });

/** Headerless 429s met in a row before this one (0 for a checkpoint row not created yet). */
export async function loadRateLimitStreak(db: Db, key: SyncStateKey): Promise<number> {
  const row = await db('sync_state').where(checkpointOf(key)).first('rate_limit_streak');
  return row?.rate_limit_streak ?? 0;
}

/** Records a 429, the wait ahead and the headerless streak on the checkpoint row (created on first use), for the status API. */
export async function recordRateLimitWait(db: Db, key: SyncStateKey, hit: { at: Date; resetAt: Date; kind: RateLimitKind; streak: number }): Promise<void> {
  const columns = {
    rate_limit_hit_at: hit.at,
    rate_limit_reset_at: hit.resetAt,
    rate_limit_kind: hit.kind,
    rate_limit_remaining: 0,
    rate_limit_streak: hit.streak,
    last_updated_at: hit.at,
  };
  await db('sync_state')
    .insert({ ...checkpointOf(key), ...columns })
    .onConflict(['account_id', 'entity_type', 'phase'])
    .merge(columns);
}

/** Records a 429 that skipped one run of a checkpoint (the playback poll: no wait, the next poll sees the plays again). */
export async function recordRateLimitSkip(db: Db, stateId: number, kind: RateLimitKind, now: Date): Promise<void> {
  await db('sync_state').where({ id: stateId }).update({ rate_limit_hit_at: now, rate_limit_kind: kind, last_updated_at: now });
}
