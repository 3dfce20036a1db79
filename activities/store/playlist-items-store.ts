import type { Knex } from 'knex';
import type { Db } from '../../src/db/connect.js';
import type { PlaylistItemRow } from '../../src/db/rows.js';
import { recordPlaylistVersions } from './playlist-versions-store.js';

/** A stored playlist whose items are behind its `snapshot_id`. */
export interface PendingPlaylist {
  id: string;
  snapshot_id: string;
  owner_id: string | null;
  collaborative: boolean;
  total_items: number;
}

/** A playlist whose items are all read (or that the app may not read), with the snapshot they stand for. */
export interface FinishedPlaylist {
  id: string;
  snapshotId: string;
  accessible: boolean;
}

/** The listed playlists whose stored items are behind their snapshot, in listing order. */
export async function pendingPlaylists(db: Db, accountId: string): Promise<PendingPlaylist[]> {
  return (await db('playlists')
    .where({ account_id: accountId })
    .whereNull('removed_at')
    .whereRaw('items_snapshot_id is distinct from snapshot_id')
    .orderBy([{ column: 'list_position' }, { column: 'id' }])
    .select('id', 'snapshot_id', 'owner_id', 'collaborative', 'total_items')) as PendingPlaylist[];
}

/**
 * Writes a batch's playlist items: the stored items of `cleared` playlists are replaced, the items
 * upserted by position, each finished playlist marked with its snapshot (and what Spotify listed but
 * was not stored), and the phase's progress on its checkpoint row: the playlists whose items match
 * their snapshot, complete when all do and no playlist is left mid-way. Each finished playlist's
 * snapshot is recorded as a version (playlist-versions-store.ts).
 */
export async function writePlaylistItems(
  trx: Knex.Transaction,
  batch: {
    accountId: string;
    syncStateId: number;
    items: PlaylistItemRow[];
    cleared: ReadonlySet<string>;
    finished: readonly FinishedPlaylist[];
    midPlaylist: boolean;
    now: Date;
  },
): Promise<void> {
  const { accountId, items, cleared, finished, now } = batch;
  if (cleared.size > 0)
    await trx('playlist_items')
      .where({ account_id: accountId })
      .whereIn('playlist_id', [...cleared])
      .delete();
  for (let i = 0; i < items.length; i += 1000) {
    await trx('playlist_items')
      .insert(items.slice(i, i + 1000))
      .onConflict(['account_id', 'playlist_id', 'position'])
      .merge();
  }
  for (const f of finished) {
    // Entries not stored (null, local, episodes) = what Spotify listed minus what we kept.
    await trx('playlists')
      .where({ account_id: accountId, id: f.id })
      .update({
        items_snapshot_id: f.snapshotId,
        items_accessible: f.accessible,
        skipped_items: f.accessible
          ? trx.raw('greatest(0, total_items - (select count(*) from playlist_items i where i.account_id = ? and i.playlist_id = ?))', [accountId, f.id])
          : 0,
        synced_at: now,
      });
  }
  // Each finished playlist's snapshot is a version of its history (the time machine).
  await recordPlaylistVersions(
    trx,
    accountId,
    finished.map((f) => f.id),
    now,
  );
  const progress = await playlistProgress(trx, accountId);
  const complete = progress.synced === progress.total && !batch.midPlaylist;
  await trx('sync_state')
    .where({ id: batch.syncStateId })
    .update({ synced_count: progress.synced, total_estimated: progress.total, is_complete: complete, completed_at: complete ? now : null });
}

async function playlistProgress(trx: Knex.Transaction, accountId: string) {
  const row = await trx('playlists')
    .where({ account_id: accountId })
    .whereNull('removed_at')
    .first<{ total: number; synced: number } | undefined>(
      trx.raw('count(*)::int as total'),
      trx.raw('count(*) filter (where items_snapshot_id is not distinct from snapshot_id)::int as synced'),
    );
  return { total: Number(row?.total ?? 0), synced: Number(row?.synced ?? 0) };
}
