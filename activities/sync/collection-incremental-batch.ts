import { BatchRun } from '../shared/batch-run.js';
import { isInsufficientScope } from '../../src/spotify/errors.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import type { CollectionEntity } from '../../workflows/contract.js';
import { CollectionRows } from '../store/collection-rows.js';
import { activeCollectionIds, countActiveCollection, lastFollowsReadMs } from '../store/collection-reads.js';
import { softDeleteUnseenSaves, writeCollectionPage } from '../store/collections-writer.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { readCollectionPage, scopeKnownMissing, skipForMissingScope, type CollectionPageRead } from './collection-batch.js';

/** Followed artists (no order, no date: only a whole read finds a change) are read whole at most this often. */
export const FOLLOWS_READ_EVERY_MS = 24 * 3_600_000;

/** sync_state.cursor of one collection's incremental read. */
interface Cursor {
  /** `new`: newest first until a page brings nothing new; `reconcile`: every page, then unseen saves removed; `skip`: not due. */
  mode: 'new' | 'reconcile' | 'skip';
  /** The follow list's `after` cursor. */
  after: string | null;
  /** Active saves before this run's first page. */
  activeBefore: number;
  added: number;
}

/**
 * One batch (one page, one call) of a collection's incremental read (DESIGN.md "The whole library").
 * Saved albums, shows, episodes and audiobooks come newest first: reading stops at the first page with
 * nothing new, unless Spotify's total then disagrees with the mirror (something was removed) or the
 * weekly reconciliation is due; then every page is read and saves not seen are soft-deleted
 * (`removed_at`). Followed artists come in no order and without a date, so they are read whole, at most
 * once a day, and follows not seen are soft-deleted the same way. Counts `<entity>Added` and
 * `<entity>Removed` when a collection changed, and `followsRead` when the follows were read whole.
 */
export async function syncCollectionIncrementalBatch(deps: ActivityDeps, input: { accountId: string; entity: CollectionEntity; reconcile: boolean }): Promise<BatchResult> {
  const { accountId, entity } = input;
  const key = { accountId, entity, kind: 'incremental' } as const;
  const state = await loadSyncState(deps.db, key);
  const doneResult: BatchResult = { entity, outcome: 'done', items: 0, skipped: 0, apiCalls: 0, synced: state.synced_count, total: state.total_estimated };
  if (state.is_complete) return doneResult;
  const cursor: Cursor = state.cursor ? (JSON.parse(state.cursor) as Cursor) : await firstCursor(deps, accountId, entity, input.reconcile);
  if (cursor.mode === 'skip') {
    const now = nowOf(deps);
    await deps
      .db('sync_state')
      .where({ id: state.id })
      .update({ is_complete: true, completed_at: now, last_updated_at: now, cursor: JSON.stringify(cursor) });
    return doneResult;
  }
  const run = new BatchRun<Record<string, never>>(deps, key, `incremental-${entity}@${state.last_synced_offset}:${cursor.after ?? ''}`);
  const rows = new CollectionRows(run.now());
  // A login without the collection's scope: skipped (no call when the login is known to lack it), the rest goes on.
  if (state.last_synced_offset === 0 && cursor.after === null && (await scopeKnownMissing(deps, accountId, entity))) return skipForMissingScope(run, entity, state);
  let page: CollectionPageRead;
  try {
    page = await readCollectionPage(run.client, entity, { offset: state.last_synced_offset, cursor: cursor.after }, rows);
    run.heartbeat({});
  } catch (error) {
    if (isInsufficientScope(error)) return skipForMissingScope(run, entity, state);
    return run.settleFailure(error, () => ({ synced: state.synced_count, total: state.total_estimated }));
  }
  const ids = [...rows.saves.keys()];
  const active = await activeCollectionIds(deps.db, accountId, entity, ids);
  const added = ids.filter((id) => !active.has(id)).length;
  let done = page.ends;
  if (cursor.mode === 'new' && added === 0) {
    // Nothing new here, so nothing older is new either. Do the totals agree?
    if (cursor.activeBefore + cursor.added === page.total) done = true;
    else cursor.mode = 'reconcile';
  }
  const next: Cursor = { ...cursor, after: page.next.cursor, added: cursor.added + added };
  const now = run.now();
  let removed = 0;
  await run.commit(
    {
      now,
      items: rows.saves.size,
      skipped: page.skipped,
      rateLimited: false,
      state: {
        last_synced_offset: page.next.offset,
        cursor: JSON.stringify(next),
        total_estimated: page.total,
        synced_count: state.synced_count + added,
        is_complete: done,
        completed_at: done ? now : null,
        missing_scope: null,
      },
    },
    async (trx) => {
      // A follow keeps the time it was first seen; a save seen again is active again.
      await writeCollectionPage(trx, accountId, entity, rows, now);
      // A read that reached the end saw every save since this run began: the rest were removed.
      if (page.ends || (done && next.mode === 'reconcile')) removed = await softDeleteUnseenSaves(trx, accountId, entity, state.started_at, now);
    },
  );
  const counts: Record<string, number> = {};
  if (added > 0) counts[`${entity}Added`] = added;
  if (removed > 0) counts[`${entity}Removed`] = removed;
  if (done && entity === 'followedArtists') counts.followsRead = 1;
  return {
    entity,
    outcome: done ? 'done' : 'progress',
    items: added,
    skipped: page.skipped,
    apiCalls: run.apiCalls,
    synced: state.synced_count + added,
    total: page.total,
    counts,
  };
}

async function firstCursor(deps: ActivityDeps, accountId: string, entity: CollectionEntity, reconcile: boolean): Promise<Cursor> {
  const activeBefore = await countActiveCollection(deps.db, accountId, entity);
  if (entity !== 'followedArtists') return { mode: reconcile ? 'reconcile' : 'new', after: null, activeBefore, added: 0 };
  const due = nowOf(deps).getTime() - (await lastFollowsReadMs(deps.db, accountId)) >= FOLLOWS_READ_EVERY_MS;
  return { mode: due ? 'reconcile' : 'skip', after: null, activeBefore, added: 0 };
}
