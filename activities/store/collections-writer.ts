import type { Knex } from 'knex';
import type { CollectionEntity } from '../../workflows/contract.js';
import type { AudiobookRow, EpisodeRow, ShowRow } from '../../src/db/rows.js';
import { writeCatalog } from './catalog-writer.js';
import { collectionTables, type CollectionRows } from './collection-rows.js';

/** Rows once per id (one upsert may not touch a row twice). */
const byId = <R extends { id: string }>(rows: Iterable<R>): R[] => [...new Map([...rows].map((r) => [r.id, r])).values()];

/** Writes shows, episodes and audiobooks (shows first: episodes point at them). Idempotent. */
export async function writeMediaCatalog(
  trx: Knex.Transaction,
  rows: { shows: Iterable<ShowRow>; episodes: Iterable<EpisodeRow>; audiobooks?: Iterable<AudiobookRow> },
  now: Date,
): Promise<void> {
  const shows = byId(rows.shows);
  const episodes = byId(rows.episodes);
  const audiobooks = byId(rows.audiobooks ?? []);
  if (shows.length > 0)
    await trx('shows')
      .insert(shows.map((r) => ({ ...r, updated_at: now })))
      .onConflict('id')
      .merge();
  if (episodes.length > 0)
    await trx('episodes')
      .insert(episodes.map((r) => ({ ...r, updated_at: now })))
      .onConflict('id')
      .merge();
  if (audiobooks.length > 0)
    await trx('audiobooks')
      .insert(audiobooks.map((r) => ({ ...r, updated_at: now })))
      .onConflict('id')
      .merge();
}

/**
 * A page of one collection: its catalog rows, then its saves upserted (a save seen again is active
 * again). A followed artist keeps the time it was first seen: Spotify gives no date for a follow.
 */
export async function writeCollectionPage(trx: Knex.Transaction, accountId: string, entity: CollectionEntity, rows: CollectionRows, now: Date): Promise<void> {
  await writeCatalog(trx, rows.catalog, now);
  await writeMediaCatalog(trx, { shows: rows.shows.values(), episodes: rows.episodes.values(), audiobooks: rows.audiobooks.values() }, now);
  if (rows.saves.size === 0) return;
  const { table, column } = collectionTables[entity];
  const dateColumn = entity === 'followedArtists' ? 'followed_at' : 'added_at';
  const saves = [...rows.saves.entries()].map(([id, at]) => ({ account_id: accountId, [column]: id, [dateColumn]: new Date(at), removed_at: null, synced_at: now }));
  // The five tables share their shape but not their id column: written untyped, by the names above.
  await trx<Record<string, unknown>>(table)
    .insert(saves)
    .onConflict(['account_id', column])
    .merge(entity === 'followedArtists' ? ['removed_at', 'synced_at'] : ['added_at', 'removed_at', 'synced_at']);
}

/** Saves of a collection not seen since `seenSince` (the start of a full read) get `removed_at`. Returns how many. */
export function softDeleteUnseenSaves(trx: Knex.Transaction, accountId: string, entity: CollectionEntity, seenSince: Date, now: Date): Promise<number> {
  const { table } = collectionTables[entity];
  return trx<Record<string, unknown>>(table).where({ account_id: accountId }).whereNull('removed_at').where('synced_at', '<', seenSince).update({ removed_at: now });
}
