import type { Db } from '../db/connect.js';
import type { SyncHistoryRow } from '../db/rows.js';
import type { BatchEntity } from '../../workflows/contract.js';
import type { CallsLeftFacts } from './calls-left.js';

/**
 * The account's artists and albums still without details: those credited on its saved and playlist
 * tracks, and the artists of those tracks' albums (what the enrichment phases fetch).
 */
async function countStubs(db: Db, accountId: string): Promise<CallsLeftFacts['stubs']> {
  const result = await db.raw(
    `with mine as (
       select track_id from saved_tracks where account_id = :accountId
       union select track_id from playlist_items where account_id = :accountId),
     my_albums as (select distinct t.album_id from tracks t join mine m on m.track_id = t.id)
     select
       (select count(*)::int from albums a join my_albums m on m.album_id = a.id where a.details_synced_at is null) as albums,
       (select count(*)::int from artists a where a.details_synced_at is null and a.id in (
          select ta.artist_id from track_artists ta join mine m on m.track_id = ta.track_id
          union select aa.artist_id from album_artists aa join my_albums m on m.album_id = aa.album_id)) as artists`,
    { accountId },
  );
  const row = result.rows[0] as { artists: number; albums: number } | undefined;
  return { artists: row?.artists ?? 0, albums: row?.albums ?? 0 };
}

/** Item pages of the playlists whose items are still to read (not read at their snapshot, not refused). */
async function playlistItemPages(db: Db, accountId: string): Promise<number> {
  const result = await db.raw(
    `select coalesce(sum(greatest(1, ceil(total_items / 50.0))), 0)::int as pages from playlists
     where account_id = :accountId and removed_at is null and items_snapshot_id is distinct from snapshot_id and items_accessible is not false`,
    { accountId },
  );
  return (result.rows[0] as { pages: number } | undefined)?.pages ?? 0;
}

/** Entities per call in this sync's batches, per entity (only where both were counted). */
function measuredPerCall(history: SyncHistoryRow[]): CallsLeftFacts['measuredPerCall'] {
  const sums = new Map<BatchEntity, { items: number; calls: number }>();
  for (const batch of history) {
    if (batch.entity_type === 'playback') continue;
    const sum = sums.get(batch.entity_type) ?? { items: 0, calls: 0 };
    sum.items += batch.items;
    sum.calls += batch.api_calls;
    sums.set(batch.entity_type, sum);
  }
  const measured: CallsLeftFacts['measuredPerCall'] = {};
  for (const [entity, { items, calls }] of sums) if (items > 0 && calls > 0) measured[entity] = items / calls;
  return measured;
}

/** What is known of the work the initial sync has left (calls-left.ts counts its calls). */
export async function readWorkLeft(
  db: Db,
  accountId: string,
  facts: { phases: CallsLeftFacts['phases']; history: SyncHistoryRow[]; appMode: CallsLeftFacts['appMode'] },
): Promise<CallsLeftFacts> {
  const [stubs, pages] = await Promise.all([countStubs(db, accountId), playlistItemPages(db, accountId)]);
  return { phases: facts.phases, stubs, playlistItemPages: pages, measuredPerCall: measuredPerCall(facts.history), appMode: facts.appMode };
}
