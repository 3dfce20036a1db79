import { BatchRun, isRateLimit } from '../shared/batch-run.js';
import type { ActivityDeps } from '../shared/deps.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { writeCatalog } from '../store/catalog-writer.js';
import { softDeleteUnseen, upsertSavedTracks } from '../store/library-writer.js';
import { CatalogRows } from '../store/normalize.js';
import { activeSavedTrackIds, countActiveSaves } from '../store/saved-tracks-reads.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { SAVED_TRACKS_PAGE } from './saved-tracks-batch.js';
import { pagePosition, readPages } from './read-pages.js';

/** sync_state.cursor of the incremental tracks step. */
interface Cursor {
  /** `new`: reading newest first until a page brings nothing new; `reconcile`: reading every page. */
  mode: 'new' | 'reconcile';
  newSaves: number;
}

/**
 * One batch of the incremental tracks step. Saved tracks come newest first, so reading stops at the
 * first page with nothing new, unless Spotify's total then disagrees with the mirror (something was
 * removed) or the weekly reconciliation is due: then every page is read, each seen save is marked,
 * and at the end saves not seen are soft-deleted (`removed_at`). Re-saved tracks come back as new.
 */
export async function syncNewSavedTracksBatch(deps: ActivityDeps, input: { accountId: string; reconcile: boolean; batchSize?: number }): Promise<BatchResult> {
  const { accountId } = input;
  const key = { accountId, entity: 'tracks', kind: 'incremental' } as const;
  const state = await loadSyncState(deps.db, key);
  if (state.is_complete) {
    return { entity: 'tracks', outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  }
  const batchSize = input.batchSize ?? deps.config.sync.incrementalBatchSize;
  const cursor: Cursor = state.cursor ? (JSON.parse(state.cursor) as Cursor) : { mode: input.reconcile ? 'reconcile' : 'new', newSaves: 0 };
  // Heartbeats here are liveness only: a retried batch reads its pages again (there are few: 50 tracks).
  const run = new BatchRun<{ offset: number }>(deps, key, `incremental-tracks@${state.last_synced_offset}`);
  const now = run.now();
  const activeBefore = await countActiveSaves(deps.db, accountId);
  const rows = new CatalogRows();
  const seen = new Map<string, string>();
  let newSaves = 0;
  let offset = state.last_synced_offset;
  let total = state.total_estimated;
  let skipped = 0;
  let done = false;
  let removed = 0;

  const commit = (rateLimited: boolean) =>
    run.commit(
      {
        now,
        items: seen.size,
        skipped,
        rateLimited,
        state: {
          last_synced_offset: offset,
          total_estimated: total,
          synced_count: state.synced_count + newSaves,
          cursor: JSON.stringify({ ...cursor, newSaves: cursor.newSaves + newSaves }),
          is_complete: done,
          completed_at: done ? now : null,
        },
      },
      async (trx) => {
        await writeCatalog(trx, rows, now);
        await upsertSavedTracks(trx, accountId, seen, now);
        if (done && cursor.mode === 'reconcile') removed = await softDeleteUnseen(trx, 'saved_tracks', accountId, state.started_at, now);
      },
    );

  try {
    let items = 0;
    await readPages(pagePosition(offset, total), {
      fetch: (at) => run.client.getSavedTracks({ limit: SAVED_TRACKS_PAGE, offset: at }),
      onPage: async (page, at, ends) => {
        const pageIds: string[] = [];
        for (const entry of page.items) {
          if (entry && rows.addTrack(entry.track)) {
            seen.set(entry.track.id, entry.added_at);
            pageIds.push(entry.track.id);
          } else skipped += 1;
        }
        const active = await activeSavedTrackIds(deps.db, accountId, pageIds);
        const newOnPage = pageIds.filter((id) => !active.has(id)).length;
        newSaves += newOnPage;
        items += page.items.length;
        offset = at + page.items.length;
        total = page.total;
        if (cursor.mode === 'new' && newOnPage === 0) {
          // Nothing new here, so nothing older is new either. Do the totals agree?
          const mirrorTotal = activeBefore + newSaves;
          if (mirrorTotal === page.total) done = true;
          else cursor.mode = 'reconcile';
        }
        if (ends) done = true;
      },
      more: () => items < batchSize && !done,
      heartbeat: () => run.heartbeat({ offset }),
    });
  } catch (error) {
    if (seen.size > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: state.synced_count + newSaves, total }));
  }
  await commit(false);
  return {
    entity: 'tracks',
    outcome: done ? 'done' : 'progress',
    items: newSaves,
    skipped,
    apiCalls: run.apiCalls,
    synced: state.synced_count + newSaves,
    total,
    counts: { newSaves, removedSaves: removed, reconciled: done && cursor.mode === 'reconcile' ? 1 : 0 },
  };
}
