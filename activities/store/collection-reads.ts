import type { Db } from '../../src/db/connect.js';
import type { CollectionEntity } from '../../workflows/contract.js';
import { collectionTables } from './collection-rows.js';

/** How many saves (or follows) of one collection are active (not removed). */
export async function countActiveCollection(db: Db, accountId: string, entity: CollectionEntity): Promise<number> {
  const { table } = collectionTables[entity];
  return Number((await db<Record<string, unknown>>(table).where({ account_id: accountId }).whereNull('removed_at').count({ n: '*' }).first())?.n ?? 0);
}

/** Of `ids`, those active in one collection of the account. */
export async function activeCollectionIds(db: Db, accountId: string, entity: CollectionEntity, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { table, column } = collectionTables[entity];
  return new Set(await db<Record<string, unknown>>(table).where({ account_id: accountId }).whereNull('removed_at').whereIn(column, ids).pluck(column));
}

/** When the account's followed artists were last read whole: the last incremental run that did, else the initial sync's read (0: never). */
export async function lastFollowsReadMs(db: Db, accountId: string): Promise<number> {
  const lastRun = await db('incremental_runs')
    .where({ account_id: accountId, outcome: 'completed' })
    .whereRaw("(result->>'followsRead')::boolean")
    .max({ at: 'finished_at' })
    .first();
  // An initial read skipped for want of user-follow-read read nothing: the first incremental run after a new login reads them.
  const initial = await db('sync_state').where({ account_id: accountId, entity_type: 'followedArtists', phase: 'initial' }).whereNull('missing_scope').first('completed_at');
  return Math.max(lastRun?.at ? new Date(lastRun.at).getTime() : 0, initial?.completed_at ? new Date(initial.completed_at).getTime() : 0);
}
