import type { PlaylistItemRow } from '../../src/db/rows.js';
import { SpotifyForbiddenError, SpotifyNotFoundError } from '../../src/spotify/errors.js';
import type { SyncKind } from '../../workflows/contract.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { BatchRun, isRateLimit } from '../shared/batch-run.js';
import type { ActivityDeps } from '../shared/deps.js';
import { loadSpotifyUserId } from '../store/accounts-store.js';
import { rememberAppMode, resolveAppMode } from '../store/app-mode.js';
import { writeCatalog } from '../store/catalog-writer.js';
import { CatalogRows } from '../store/normalize.js';
import { pendingPlaylists, writePlaylistItems, type FinishedPlaylist, type PendingPlaylist } from '../store/playlist-items-store.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { pagePosition, readPages } from './read-pages.js';
import { addPlaylistPage, type PlaylistMedia } from './playlist-page-items.js';
import { writeMediaCatalog } from '../store/collections-writer.js';

/** Entries per call of `/me/playlists` and `/playlists/{id}/items`. */
export const PLAYLIST_PAGE = 50;

/** Where the items of the playlist in progress stand (sync_state.cursor, JSON). */
interface ItemsCursor {
  playlistId: string;
  offset: number;
}

interface ItemsResume {
  rows: unknown;
  items: PlaylistItemRow[];
  finished: FinishedPlaylist[];
  cleared: string[];
  cursor: ItemsCursor | null;
  skipped: number;
  /** Absent in heartbeats of attempts from before episodes were kept. */
  media?: PlaylistMedia;
}

/**
 * One batch of the playlists phase once the listing is stored: playlist by playlist, the items of those
 * whose `snapshot_id` differs from the stored items' snapshot, with a cursor inside the playlist in
 * progress. Playlists the app may not read (followed ones in development mode) keep their metadata
 * without a call; an unexpected 403 means the same. Empty playlists need no call either.
 */
export async function playlistItemsBatch(
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
  const media: PlaylistMedia = r?.media ?? { episodes: [], shows: [] };
  const now = run.now();

  const spotifyUserId = await loadSpotifyUserId(deps.db, accountId);
  const appMode = await resolveAppMode(deps.db, deps.config, accountId);
  const pending = await pendingPlaylists(deps.db, accountId);
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
    run.commit({ now, items: items.length + finished.length, skipped, rateLimited, state: { cursor: cursor ? JSON.stringify(cursor) : null } }, async (trx) => {
      await writeCatalog(trx, rows, now);
      await writeMediaCatalog(trx, media, now);
      await writePlaylistItems(trx, { accountId, syncStateId: state.id, items, cleared, finished, midPlaylist: cursor !== null, now });
    });

  let fetchedItems = 0;
  try {
    for (const p of queue) {
      if (fetchedItems >= batchSize) break;
      const readable = p.owner_id === spotifyUserId || p.collaborative;
      if (appMode === 'development' && !readable) {
        finish(p, false);
        continue;
      }
      if (p.total_items === 0) {
        cleared.add(p.id);
        finish(p, true);
        continue;
      }
      const offset = cursor?.playlistId === p.id ? cursor.offset : 0;
      if (offset === 0) cleared.add(p.id);
      const position = pagePosition(offset, null);
      let accessible = true;
      cursor = { playlistId: p.id, offset };
      try {
        await readPages(position, {
          fetch: (at) => run.client.getPlaylistItems(p.id, { limit: PLAYLIST_PAGE, offset: at }),
          onPage: (page, at) => {
            skipped += addPlaylistPage(page, at, { accountId, playlistId: p.id, rows, items, media });
            fetchedItems += Math.max(1, page.items.length);
            cursor = { playlistId: p.id, offset: at + page.items.length };
          },
          more: () => fetchedItems < batchSize,
          heartbeat: () => run.heartbeat(() => ({ rows: rows.toJSON(), items, finished, cleared: [...cleared], cursor, skipped, media })),
        });
      } catch (error) {
        if (!(error instanceof SpotifyForbiddenError || error instanceof SpotifyNotFoundError)) throw error;
        if (error instanceof SpotifyForbiddenError && appMode === 'unknown' && !readable) await rememberAppMode(deps.db, accountId, 'development');
        accessible = false;
      }
      const complete = position.atEnd;
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
