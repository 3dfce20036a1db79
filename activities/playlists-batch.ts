import type { Knex } from 'knex';
import type { PlaylistItemRow } from '../src/db/rows.js';
import type { SyncKind } from '../workflows/contract.js';
import { SpotifyForbiddenError, SpotifyNotFoundError } from '../src/spotify/errors.js';
import { rememberAppMode, resolveAppMode } from './store/app-mode.js';
import { BatchRun, isRateLimit } from './batch-run.js';
import type { ActivityDeps } from './deps.js';
import type { BatchResult } from '../workflows/batch-result.js';
import { writeCatalog } from './store/catalog-writer.js';
import { CatalogRows, type TrackLike } from './store/normalize.js';
import { loadSyncState } from './store/sync-state-store.js';

export const PLAYLIST_PAGE = 50;

/** Where the items of the playlist in progress stand (sync_state.cursor, JSON). */
interface ItemsCursor {
  playlistId: string;
  offset: number;
}

interface ListedPlaylist {
  id: string;
  name: string;
  description?: string | null;
  owner?: { id?: string | null; display_name?: string | null } | null;
  collaborative?: boolean | null;
  public?: boolean | null;
  snapshot_id: string;
  images?: unknown;
  items?: { total?: number | null } | null;
  tracks?: { total?: number | null } | null;
}

interface PendingPlaylist {
  id: string;
  snapshot_id: string;
  owner_id: string | null;
  collaborative: boolean;
  total_items: number;
}

export function playlistRow(accountId: string, p: ListedPlaylist, position: number, now: Date) {
  return {
    account_id: accountId,
    id: p.id,
    name: p.name,
    description: p.description ?? null,
    owner_id: p.owner?.id ?? null,
    owner_name: p.owner?.display_name ?? null,
    collaborative: p.collaborative ?? false,
    public: p.public ?? null,
    snapshot_id: p.snapshot_id,
    total_items: p.items?.total ?? p.tracks?.total ?? 0,
    images: JSON.stringify(p.images ?? []),
    list_position: position,
    removed_at: null,
    synced_at: now,
  };
}

export async function upsertPlaylists(trx: Knex.Transaction | Knex, rows: ReturnType<typeof playlistRow>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx('playlists')
    .insert(rows)
    .onConflict(['account_id', 'id'])
    .merge(['name', 'description', 'owner_id', 'owner_name', 'collaborative', 'public', 'snapshot_id', 'total_items', 'images', 'list_position', 'removed_at', 'synced_at']);
}

async function playlistProgress(trx: Knex.Transaction, accountId: string) {
  const row = await trx('playlists')
    .where({ account_id: accountId })
    .whereNull('removed_at')
    .select(
      trx.raw('count(*)::int as total'),
      trx.raw('count(*) filter (where items_snapshot_id is not distinct from snapshot_id)::int as synced'),
    )
    .first();
  return { total: Number(row?.total ?? 0), synced: Number(row?.synced ?? 0) };
}

/**
 * One batch of the playlists phase. First the listing (`/me/playlists`, 50 a call, metadata only);
 * then, playlist by playlist, the items of those whose `snapshot_id` differs from the stored items'
 * snapshot. Playlists the app may not read (followed ones in development mode) keep their metadata
 * without a call; an unexpected 403 means the same. Empty playlists need no call either.
 */
export async function syncPlaylistsBatch(
  deps: ActivityDeps,
  input: { accountId: string; kind?: SyncKind; batchSize?: number },
): Promise<BatchResult> {
  const { accountId } = input;
  const key = { accountId, entity: 'playlists', kind: input.kind ?? 'initial' } as const;
  const state = await loadSyncState(deps.db, key);
  if (state.is_complete) {
    return { entity: 'playlists', outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  }
  const batchSize = input.batchSize ?? (key.kind === 'incremental' ? deps.config.sync.incrementalBatchSize : deps.config.sync.initialBatchSize);
  const listed = state.total_estimated !== null && state.last_synced_offset >= state.total_estimated;
  return listed ? itemsBatch(deps, key, state, batchSize) : listingBatch(deps, key, state, batchSize);
}

async function listingBatch(
  deps: ActivityDeps,
  key: { accountId: string; entity: 'playlists'; kind: SyncKind },
  state: Awaited<ReturnType<typeof loadSyncState>>,
  batchSize: number,
): Promise<BatchResult> {
  const run = new BatchRun<{ offset: number; total: number | null; rows: ReturnType<typeof playlistRow>[] }>(deps, key, `listing@${state.last_synced_offset}`);
  let offset = run.resumed?.offset ?? state.last_synced_offset;
  let total = run.resumed?.total ?? state.total_estimated;
  const rows = run.resumed?.rows ?? [];
  const now = run.now();
  let removed = 0;
  const commit = (rateLimited: boolean) =>
    run.commit(
      { now, items: rows.length, rateLimited, state: { last_synced_offset: offset, total_estimated: total } },
      async (trx) => {
        await upsertPlaylists(trx, rows);
        // The incremental sync lists every playlist each run: what it did not see is gone from the library.
        if (key.kind === 'incremental' && total !== null && offset >= total) {
          removed = await trx('playlists')
            .where({ account_id: key.accountId })
            .whereNull('removed_at')
            .where('synced_at', '<', state.started_at)
            .update({ removed_at: now });
        }
      },
    );
  try {
    let fetched = 0;
    while (fetched < batchSize && (total === null || offset < total)) {
      const page = await run.client.getMyPlaylists({ limit: PLAYLIST_PAGE, offset });
      page.items.forEach((p, i) => {
        if (p) rows.push(playlistRow(key.accountId, p as ListedPlaylist, offset + i, now));
      });
      fetched += page.items.length;
      offset += page.items.length;
      total = page.items.length === 0 ? offset : page.total;
      run.heartbeat({ offset, total, rows });
    }
  } catch (error) {
    if (rows.length > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: 0, total }));
  }
  await commit(false);
  // Items come next; the phase is not complete until they are.
  return { entity: 'playlists', outcome: 'progress', items: rows.length, skipped: 0, apiCalls: run.apiCalls, synced: 0, total, counts: { playlistsRemoved: removed } };
}

interface ItemsResume {
  rows: unknown;
  items: PlaylistItemRow[];
  finished: { id: string; snapshotId: string; accessible: boolean }[];
  cleared: string[];
  cursor: ItemsCursor | null;
  skipped: number;
}

async function itemsBatch(
  deps: ActivityDeps,
  key: { accountId: string; entity: 'playlists'; kind: SyncKind },
  state: Awaited<ReturnType<typeof loadSyncState>>,
  batchSize: number,
): Promise<BatchResult> {
  const { accountId } = key;
  const run = new BatchRun<ItemsResume>(deps, key, `items@${state.cursor ?? ''}@${state.batches}`);
  const r = run.resumed;
  const rows = r ? CatalogRows.fromJSON(r.rows) : new CatalogRows();
  const items: PlaylistItemRow[] = r?.items ?? [];
  const finished = r?.finished ?? [];
  /** Playlists whose stored items are replaced (their fetch started at offset 0 in this batch). */
  const cleared = new Set(r?.cleared ?? []);
  let cursor: ItemsCursor | null = r?.cursor ?? (state.cursor ? (JSON.parse(state.cursor) as ItemsCursor) : null);
  let skipped = r?.skipped ?? 0;
  const now = run.now();

  const account = await deps.db('accounts').where({ id: accountId }).first('spotify_user_id');
  const appMode = await resolveAppMode(deps.db, deps.config, accountId);
  const pending = (await deps.db('playlists')
    .where({ account_id: accountId })
    .whereNull('removed_at')
    .whereRaw('items_snapshot_id is distinct from snapshot_id')
    .orderBy([{ column: 'list_position' }, { column: 'id' }])
    .select('id', 'snapshot_id', 'owner_id', 'collaborative', 'total_items')) as PendingPlaylist[];
  const queue = pending.filter((p) => !finished.some((f) => f.id === p.id));
  if (cursor) {
    // The playlist in progress goes first.
    const i = queue.findIndex((p) => p.id === cursor?.playlistId);
    if (i > 0) queue.unshift(...queue.splice(i, 1));
    if (i < 0) cursor = null;
  }

  const finish = (p: PendingPlaylist, accessible: boolean) => {
    finished.push({ id: p.id, snapshotId: p.snapshot_id, accessible });
    if (!accessible) cleared.add(p.id);
    cursor = null;
  };

  const commit = (rateLimited: boolean) =>
    run.commit(
      { now, items: items.length + finished.length, skipped, rateLimited, state: { cursor: cursor ? JSON.stringify(cursor) : null } },
      async (trx) => {
        await writeCatalog(trx, rows, now);
        if (cleared.size > 0) await trx('playlist_items').where({ account_id: accountId }).whereIn('playlist_id', [...cleared]).delete();
        for (let i = 0; i < items.length; i += 1000) {
          await trx('playlist_items').insert(items.slice(i, i + 1000)).onConflict(['account_id', 'playlist_id', 'position']).merge();
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
        const progress = await playlistProgress(trx, accountId);
        const complete = progress.synced === progress.total && cursor === null;
        await trx('sync_state')
          .where({ id: state.id })
          .update({ synced_count: progress.synced, total_estimated: progress.total, is_complete: complete, completed_at: complete ? now : null });
      },
    );

  let fetchedItems = 0;
  try {
    for (const p of queue) {
      if (fetchedItems >= batchSize) break;
      const readable = p.owner_id === account?.spotify_user_id || p.collaborative;
      if (appMode === 'development' && !readable) {
        finish(p, false);
        continue;
      }
      if (p.total_items === 0) {
        cleared.add(p.id);
        finish(p, true);
        continue;
      }
      let offset = cursor?.playlistId === p.id ? cursor.offset : 0;
      if (offset === 0) cleared.add(p.id);
      let accessible = true;
      let complete = false;
      while (fetchedItems < batchSize) {
        cursor = { playlistId: p.id, offset };
        let page;
        try {
          page = await run.client.getPlaylistItems(p.id, { limit: PLAYLIST_PAGE, offset });
        } catch (error) {
          if (!(error instanceof SpotifyForbiddenError || error instanceof SpotifyNotFoundError)) throw error;
          if (error instanceof SpotifyForbiddenError && appMode === 'unknown' && !readable) await rememberAppMode(deps.db, accountId, 'development');
          accessible = false;
          break;
        }
        page.items.forEach((entry, i) => {
          const track = (entry?.item ?? entry?.track ?? null) as TrackLike | null;
          if (entry && rows.addTrack(track)) {
            items.push({
              account_id: accountId,
              playlist_id: p.id,
              position: offset + i,
              track_id: track.id,
              added_at: entry.added_at ? new Date(entry.added_at) : null,
              added_by: entry.added_by?.id ?? null,
            });
          } else {
            skipped += 1;
          }
        });
        fetchedItems += Math.max(1, page.items.length);
        offset += page.items.length;
        cursor = { playlistId: p.id, offset };
        run.heartbeat(() => ({ rows: rows.toJSON(), items, finished, cleared: [...cleared], cursor, skipped }));
        if (page.items.length === 0 || offset >= page.total) {
          complete = true;
          break;
        }
      }
      if (!accessible) {
        items.splice(0, items.length, ...items.filter((it) => it.playlist_id !== p.id));
        finish(p, false);
      } else if (complete) {
        finish(p, true);
      } else {
        break; // batch full mid-playlist: the cursor carries on next batch
      }
    }
  } catch (error) {
    if (items.length > 0 || finished.length > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: state.synced_count, total: state.total_estimated }));
  }
  await commit(false);
  const updated = await loadSyncState(deps.db, key);
  return {
    entity: 'playlists',
    outcome: updated.is_complete ? 'done' : 'progress',
    items: items.length,
    skipped,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
    counts: { playlistsItemsFetched: finished.filter((f) => f.accessible).length },
  };
}
