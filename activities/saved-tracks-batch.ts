import type { SavedTrackRow } from '../src/db/rows.js';
import type { Paging, SavedTrack } from '../src/spotify/schemas.js';
import { BatchRun, isRateLimit } from './batch-run.js';
import type { ActivityDeps } from './deps.js';
import { callLanes, forEachConcurrently } from './for-each-concurrently.js';
import type { BatchResult } from '../workflows/batch-result.js';
import { writeCatalog } from './store/catalog-writer.js';
import { CatalogRows } from './store/normalize.js';
import { loadSyncState } from './store/sync-state-store.js';

export const SAVED_TRACKS_PAGE = 50;

interface Resume {
  offset: number;
  total: number | null;
  skipped: number;
  items: number;
  rows: unknown;
  saves: [string, string][];
}

/**
 * One batch of the initial sync's tracks phase: up to `batchSize` saved tracks (pages of 50 from the
 * offset checkpoint), with their albums and artists as stubs, committed with the new offset.
 */
export async function syncSavedTracksBatch(deps: ActivityDeps, input: { accountId: string; batchSize?: number }): Promise<BatchResult> {
  const key = { accountId: input.accountId, entity: 'tracks', kind: 'initial' } as const;
  const state = await loadSyncState(deps.db, key);
  if (state.is_complete) {
    return { entity: 'tracks', outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  }
  const batchSize = input.batchSize ?? deps.config.sync.initialBatchSize;
  const run = new BatchRun<Resume>(deps, key, `tracks@${state.last_synced_offset}`);
  const r = run.resumed;
  let offset = r?.offset ?? state.last_synced_offset;
  let total = r?.total ?? state.total_estimated;
  let skipped = r?.skipped ?? 0;
  let items = r?.items ?? 0;
  const rows = r ? CatalogRows.fromJSON(r.rows) : new CatalogRows();
  const saves = new Map<string, string>(r?.saves ?? []);
  let done = false;

  const commit = (rateLimited: boolean) =>
    run.commit(
      {
        now: run.now(),
        items: saves.size,
        skipped,
        rateLimited,
        state: {
          last_synced_offset: offset,
          total_estimated: total,
          synced_count: state.synced_count + saves.size,
          is_complete: done,
          completed_at: done ? run.now() : null,
        },
      },
      async (trx) => {
        await writeCatalog(trx, rows, run.now());
        const saveRows: Omit<SavedTrackRow, 'synced_at'>[] = [...saves.entries()].map(([trackId, addedAt]) => ({
          account_id: input.accountId,
          track_id: trackId,
          added_at: new Date(addedAt),
          removed_at: null,
        }));
        if (saveRows.length > 0) {
          await trx('saved_tracks')
            .insert(saveRows.map((s) => ({ ...s, synced_at: run.now() })))
            .onConflict(['account_id', 'track_id'])
            .merge(['added_at', 'removed_at', 'synced_at']);
        }
      },
    );

  const heartbeat = () => run.heartbeat(() => ({ offset, total, skipped, items, rows: rows.toJSON(), saves: [...saves.entries()] }));
  const apply = (page: Paging<SavedTrack | null>) => {
    for (const entry of page.items) {
      if (entry && rows.addTrack(entry.track)) saves.set(entry.track.id, entry.added_at);
      else skipped += 1;
    }
    items += page.items.length;
    offset += page.items.length;
    total = page.total;
    done = page.items.length === 0 || offset >= page.total;
  };

  try {
    while (items < batchSize && !done) {
      // Once the total is known, the pages of the batch are fetched together; they are applied in
      // order, and only while each starts where the previous ended (a library that changed meanwhile
      // is read again from the first page that no longer fits).
      const offsets = [offset];
      if (total !== null) {
        for (let at = offset + SAVED_TRACKS_PAGE; at < total && items + offsets.length * SAVED_TRACKS_PAGE < batchSize; at += SAVED_TRACKS_PAGE) offsets.push(at);
      }
      const pages: (Paging<SavedTrack | null> | undefined)[] = [];
      let failure: { error: unknown } | null = null;
      try {
        await forEachConcurrently(offsets, callLanes(deps.config.spotify.maxConcurrency), async (at) => {
          pages[offsets.indexOf(at)] = await run.client.getSavedTracks({ limit: SAVED_TRACKS_PAGE, offset: at });
          heartbeat();
        });
      } catch (error) {
        failure = { error };
      }
      for (const [i, page] of pages.entries()) {
        if (!page || offsets[i] !== offset || done) break;
        apply(page);
      }
      heartbeat();
      if (failure) throw failure.error;
    }
  } catch (error) {
    if (items > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: state.synced_count + saves.size, total }));
  }
  const updated = await commit(false);
  return {
    entity: 'tracks',
    outcome: done ? 'done' : 'progress',
    items: saves.size,
    skipped,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
  };
}
