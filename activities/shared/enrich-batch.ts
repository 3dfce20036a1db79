import type { Knex } from 'knex';
import type { SyncKind } from '../../workflows/contract.js';
import { rememberAppMode, resolveAppMode } from '../store/app-mode.js';
import { BatchRun, isRateLimit } from './batch-run.js';
import { nowOf, type ActivityDeps } from './deps.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { writeCatalog } from '../store/catalog-writer.js';
import type { FullAlbumLike, FullArtistLike } from '../store/normalize.js';
import { selectStubs, type StubEntity } from '../store/stub-queries.js';
import { openStubsPhase } from '../store/stubs-phase.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { enrichedRows, enrichSteps } from './enrich-steps.js';
import { fetchSeveral, fetchSingle } from './enrich-calls.js';
import { callLanes } from './for-each-concurrently.js';
import { forEachRetrying } from './for-each-retrying.js';

/** The incremental sync refreshes artist and album details older than this. */
export const DETAILS_FRESH_FOR_MS = 7 * 24 * 3_600_000;

/** Ids per call of the several-at-once endpoints. */
export const BATCH_ENDPOINT_LIMIT: Record<StubEntity, number> = { artists: 50, albums: 20 };

interface Resume {
  /** What was fetched and not yet committed (a step commits the rest as it goes). */
  fetched: [string, FullArtistLike | FullAlbumLike][];
  done: string[];
  mode: 'batch' | 'single';
}

/** Lets a caller write its own bookkeeping in the batch's transaction (the history import counts its calls). */
export interface StubsBatchHooks {
  /** Runs inside the batch's commit, with the calls the batch spent. */
  onCommit?(trx: Knex.Transaction, apiCalls: number): Promise<void>;
}

/**
 * One batch of artist or album enrichment: up to `batchSize` stubs of the account, fetched with the
 * several-at-once endpoint where the app may (50 artists or 20 albums a call), else one by one. A
 * 403/404 from the batch endpoint switches the account to single calls for good. Used by the initial
 * sync's artists and albums phases, by the enrichment after playlists, by the incremental sync and by
 * the history import (activities/history-import/history-import-enrich.ts).
 */
export async function syncStubsBatch(
  deps: ActivityDeps,
  input: { accountId: string; entity: StubEntity; kind?: SyncKind; batchSize?: number },
  hooks: StubsBatchHooks = {},
): Promise<BatchResult> {
  const { accountId, entity } = input;
  const key = { accountId, entity, kind: input.kind ?? 'initial' } as const;
  const incremental = key.kind === 'incremental';
  const batchSize = input.batchSize ?? (incremental ? deps.config.sync.incrementalBatchSize : deps.config.sync.initialBatchSize);
  const staleBefore = incremental ? new Date(nowOf(deps).getTime() - DETAILS_FRESH_FOR_MS) : null;
  const loaded = await loadSyncState(deps.db, key);
  const state = await openStubsPhase(deps.db, loaded, { entity, accountId, staleBefore });
  if (!state) return { entity, outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: loaded.synced_count, total: loaded.total_estimated };

  const stubs = await selectStubs(deps.db, entity, accountId, batchSize, staleBefore);
  const noMoreAfterThis = stubs.length < batchSize;
  const run = new BatchRun<Resume>(deps, key, `${entity}@${stubs[0]?.id ?? ''}`, { retriesOwnCalls: true });
  // A resumed attempt keeps only what is still a stub: what the dead attempt committed in steps is not.
  const stubIds = new Set(stubs.map((s) => s.id));
  const resumed = run.resumed && Array.isArray(run.resumed.fetched) ? run.resumed : undefined;
  const fetched = new Map((resumed?.fetched ?? []).filter(([id]) => stubIds.has(id)));
  const done = new Set((resumed?.done ?? []).filter((id) => fetched.has(id)));
  const appMode = await resolveAppMode(deps.db, deps.config, accountId);
  let mode: 'batch' | 'single' = resumed?.mode ?? (appMode === 'development' ? 'single' : 'batch');
  const now = run.now();

  const store = (id: string, full: FullArtistLike | FullAlbumLike | null) => {
    // An id Spotify no longer knows keeps its stub data but counts as enriched: no stub stays forever.
    const stubName = stubs.find((s) => s.id === id)?.name ?? id;
    fetched.set(id, full ?? { id, name: stubName });
    done.add(id);
  };
  const steps = enrichSteps(deps, { key, entity, syncedBefore: state.synced_count, now, fetched });

  const commit = (rateLimited: boolean) => {
    const finished = noMoreAfterThis && done.size === stubs.length;
    return run.commit(
      {
        now,
        items: done.size,
        rateLimited,
        state: {
          cursor: [...done].sort().at(-1) ?? state.cursor,
          synced_count: state.synced_count + done.size,
          total_estimated: Math.max(state.total_estimated ?? 0, state.synced_count + done.size),
          is_complete: finished,
          completed_at: finished ? now : null,
        },
      },
      async (trx) => {
        await writeCatalog(trx, enrichedRows(entity, fetched.values(), now), now);
        await hooks.onCommit?.(trx, run.apiCalls);
      },
    );
  };

  const fetchChunk = async (chunk: string[]): Promise<boolean> => {
    const objects = await fetchSeveral(deps.db, run.client, { accountId, entity }, chunk);
    if (!objects) mode = 'single';
    else chunk.forEach((id, i) => store(id, objects[i] ?? null));
    return objects !== null;
  };
  const fetchOne = async (id: string): Promise<void> => store(id, await fetchSingle(run.client, entity, id));
  const heartbeat = () => {
    run.heartbeat(() => ({ fetched: [...fetched.entries()], done: [...done], mode }));
    steps.ifDue();
  };

  try {
    const pending = () => stubs.map((s) => s.id).filter((id) => !done.has(id));
    const chunks = () => {
      const ids = pending();
      const out: string[][] = [];
      for (let i = 0; i < ids.length; i += BATCH_ENDPOINT_LIMIT[entity]) out.push(ids.slice(i, i + BATCH_ENDPOINT_LIMIT[entity]));
      return out;
    };
    // While the app mode is unknown, one call finds it out: a refused batch call must not go out twice.
    if (mode === 'batch' && appMode === 'unknown' && pending().length > 0) {
      await forEachRetrying(
        chunks().slice(0, 1),
        1,
        async (chunk) => {
          if (await fetchChunk(chunk)) await rememberAppMode(deps.db, accountId, 'extended');
          heartbeat();
        },
        run.callRetry,
      );
    }
    // A call still waiting out a retry when the rest is done is left a stub: the next batch takes it up.
    const width = callLanes(deps.config.spotify.maxConcurrency);
    if (mode === 'batch') {
      await forEachRetrying(
        chunks(),
        width,
        async (chunk) => {
          await fetchChunk(chunk);
          heartbeat();
        },
        run.callRetry,
      );
    }
    if (mode === 'single') {
      await forEachRetrying(
        pending(),
        width,
        async (id) => {
          await fetchOne(id);
          heartbeat();
        },
        run.callRetry,
      );
    }
  } catch (error) {
    await steps.settled();
    if (done.size > 0) await commit(isRateLimit(error));
    return run.settleFailure(error, () => ({ synced: state.synced_count + done.size, total: state.total_estimated }));
  }
  await steps.settled();
  const updated = await commit(false);
  return {
    entity,
    outcome: updated.is_complete ? 'done' : 'progress',
    items: done.size,
    skipped: 0,
    apiCalls: run.apiCalls,
    synced: updated.synced_count,
    total: updated.total_estimated,
    counts: { [entity === 'artists' ? 'artistsRefreshed' : 'albumsRefreshed']: done.size },
  };
}
