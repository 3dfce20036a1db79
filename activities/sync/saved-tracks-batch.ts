import { BatchRun, isRateLimit } from '../shared/batch-run.js';
import type { ActivityDeps } from '../shared/deps.js';
import { callLanes } from '../shared/for-each-concurrently.js';
import { pagePosition, readPages } from './read-pages.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { writeCatalog } from '../store/catalog-writer.js';
import { upsertSavedTracks } from '../store/library-writer.js';
import { CatalogRows } from '../store/normalize.js';
import { loadSyncState } from '../store/sync-state-store.js';

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
  const position = pagePosition(r?.offset ?? state.last_synced_offset, r?.total ?? state.total_estimated);
  let skipped = r?.skipped ?? 0;
  let items = r?.items ?? 0;
  const rows = r ? CatalogRows.fromJSON(r.rows) : new CatalogRows();
  const saves = new Map<string, string>(r?.saves ?? []);

  const commit = (rateLimited: boolean) =>
    run.commit(
      {
        now: run.now(),
        items: saves.size,
        skipped,
        rateLimited,
        state: {
          last_synced_offset: position.offset,
          total_estimated: position.total,
          synced_count: state.synced_count + saves.size,
          is_complete: position.atEnd,
          completed_at: position.atEnd ? run.now() : null,
        },
      },
      async (trx) => {
        await writeCatalog(trx, rows, run.now());
        await upsertSavedTracks(trx, input.accountId, saves, run.now());
      },
    );

  const heartbeat = () => run.heartbeat(() => ({ offset: position.offset, total: position.total, skipped, items, rows: rows.toJSON(), saves: [...saves.entries()] }));

  try {
    await readPages(position, {
      fetch: (offset) => run.client.getSavedTracks({ limit: SAVED_TRACKS_PAGE, offset }),
      onPage: (page) => {
        for (const entry of page.items) {
          if (entry && rows.addTrack(entry.track)) saves.set(entry.track.id, entry.added_at);
          else skipped += 1;
        }
        items += page.items.length;
      },
      more: () => items < batchSize,
      heartbeat,
      // Once the total is known, the pages of the batch are fetched together.
      round: ({ offset, total }) => {
        const offsets = [offset];
        if (total !== null) {
          for (let at = offset + SAVED_TRACKS_PAGE; at < total && items + offsets.length * SAVED_TRACKS_PAGE < batchSize; at += SAVED_TRACKS_PAGE) offsets.push(at);
        }
        return offsets;
      },
      lanes: callLanes(deps.config.spotify.maxConcurrency),
    });
  } catch (error) {
    if (items > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: state.synced_count + saves.size, total: position.total }));
  }
  const updated = await commit(false);
  return {
    entity: 'tracks',
    outcome: position.atEnd ? 'done' : 'progress',
    items: saves.size,
    skipped,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
  };
}
