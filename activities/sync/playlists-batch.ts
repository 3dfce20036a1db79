import { playlistItemCount, type SimplifiedPlaylist } from '../../src/spotify/schemas.js';
import type { SyncKind } from '../../workflows/contract.js';
import { BatchRun, isRateLimit } from '../shared/batch-run.js';
import type { ActivityDeps } from '../shared/deps.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { PLAYLIST_PAGE, playlistItemsBatch } from './playlist-items-batch.js';
import { softDeleteUnseen } from '../store/library-writer.js';
import { type PlaylistUpsert, upsertPlaylists } from '../store/playlists-store.js';
import { recordPlaylistDeletions } from '../store/playlist-versions-store.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { readPages } from './read-pages.js';

export function playlistRow(accountId: string, p: SimplifiedPlaylist, position: number, now: Date): PlaylistUpsert {
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
    total_items: playlistItemCount(p),
    images: JSON.stringify(p.images ?? []),
    list_position: position,
    removed_at: null,
    synced_at: now,
  };
}

/**
 * One batch of the playlists phase. First the listing (`/me/playlists`, 50 a call, metadata only);
 * then, playlist by playlist, the items of those whose `snapshot_id` differs from the stored items'
 * snapshot. Playlists the app may not read (followed ones in development mode) keep their metadata
 * without a call; an unexpected 403 means the same. Empty playlists need no call either.
 */
export async function syncPlaylistsBatch(deps: ActivityDeps, input: { accountId: string; kind?: SyncKind; batchSize?: number; listingOnly?: boolean }): Promise<BatchResult> {
  const { accountId } = input;
  const key = { accountId, entity: 'playlists', kind: input.kind ?? 'initial' } as const;
  const state = await loadSyncState(deps.db, key);
  if (state.is_complete) {
    return { entity: 'playlists', outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  }
  const batchSize = input.batchSize ?? (key.kind === 'incremental' ? deps.config.sync.incrementalBatchSize : deps.config.sync.initialBatchSize);
  const listed = (s: { total_estimated: number | null; last_synced_offset: number }): boolean => s.total_estimated !== null && s.last_synced_offset >= s.total_estimated;
  if (!input.listingOnly) return listed(state) ? playlistItemsBatch(deps, key, state, batchSize) : listingBatch(deps, key, state, batchSize);
  // The listing alone (the initial sync reads it early, for the ETA to know the entries ahead): `done` once listed.
  if (listed(state)) return { entity: 'playlists', outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  const result = await listingBatch(deps, key, state, batchSize);
  return result.outcome === 'progress' && listed(await loadSyncState(deps.db, key)) ? { ...result, outcome: 'done' } : result;
}

async function listingBatch(
  deps: ActivityDeps,
  key: { accountId: string; entity: 'playlists'; kind: SyncKind },
  state: Awaited<ReturnType<typeof loadSyncState>>,
  batchSize: number,
): Promise<BatchResult> {
  const run = new BatchRun<{ offset: number; total: number | null; rows: PlaylistUpsert[] }>(deps, key, `listing@${state.last_synced_offset}`);
  let offset = run.resumed?.offset ?? state.last_synced_offset;
  let total = run.resumed?.total ?? state.total_estimated;
  const rows = run.resumed?.rows ?? [];
  const now = run.now();
  let removed = 0;
  const commit = (rateLimited: boolean) =>
    run.commit({ now, items: rows.length, rateLimited, state: { last_synced_offset: offset, total_estimated: total } }, async (trx) => {
      await upsertPlaylists(trx, rows);
      // The incremental sync lists every playlist each run: what it did not see is gone from the library.
      if (key.kind === 'incremental' && total !== null && offset >= total) {
        removed = await softDeleteUnseen(trx, 'playlists', key.accountId, state.started_at, now);
        await recordPlaylistDeletions(trx, key.accountId, now);
      }
    });
  try {
    let fetched = 0;
    await readPages(
      { offset, total, atEnd: total !== null && offset >= total },
      {
        fetch: (at) => run.client.getMyPlaylists({ limit: PLAYLIST_PAGE, offset: at }),
        onPage: (page, at) => {
          page.items.forEach((p, i) => {
            if (p) rows.push(playlistRow(key.accountId, p, at + i, now));
          });
          fetched += page.items.length;
          offset = at + page.items.length;
          total = page.items.length === 0 ? offset : page.total;
        },
        more: () => fetched < batchSize,
        heartbeat: () => run.heartbeat({ offset, total, rows }),
      },
    );
  } catch (error) {
    if (rows.length > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: 0, total }));
  }
  await commit(false);
  // Items come next; the phase is not complete until they are.
  return { entity: 'playlists', outcome: 'progress', items: rows.length, skipped: 0, apiCalls: run.apiCalls, synced: 0, total, counts: { playlistsRemoved: removed } };
}
