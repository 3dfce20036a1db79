import { commitStep, type SyncStateKey } from '../store/sync-state-store.js';
import { writeCatalog } from '../store/catalog-writer.js';
import { CatalogRows, type FullAlbumLike, type FullArtistLike } from '../store/normalize.js';
import type { StubEntity } from '../store/stub-queries.js';
import type { ActivityDeps } from './deps.js';

/** A development-mode batch is 200 calls: what it fetched is committed this often, so a crash repeats little. */
export const STEP_COMMIT_MS = 1_000;

export type EnrichedObject = FullArtistLike | FullAlbumLike;

/** The catalog rows of fetched artists or albums. */
export function enrichedRows(entity: StubEntity, entries: Iterable<EnrichedObject>, now: Date): CatalogRows {
  const rows = new CatalogRows();
  for (const object of entries) {
    if (entity === 'artists') rows.addFullArtist(object as FullArtistLike, now);
    else rows.addFullAlbum(object as FullAlbumLike, now);
  }
  return rows;
}

/**
 * Steps of an enrichment batch: what was fetched becomes durable with the progress it stands for (rows
 * and synced_count together), without a checkpoint or sync_history row of its own: the batch stays
 * their unit. A step takes its objects out of `fetched`; a failed step puts them back, for the batch's
 * own commit to write.
 */
export function enrichSteps(deps: ActivityDeps, batch: { key: SyncStateKey; entity: StubEntity; syncedBefore: number; now: Date; fetched: Map<string, EnrichedObject> }) {
  const { key, entity, syncedBefore, now, fetched } = batch;
  /** Committed by steps of this attempt; the batch's own commit writes the rest. */
  const stepped = new Set<string>();
  let lastStepAt = Date.now();
  let stepping: Promise<void> | null = null;
  return {
    /** Starts a step if the last one is long enough ago and none is under way. */
    ifDue(): void {
      if (stepping || Date.now() - lastStepAt < STEP_COMMIT_MS || fetched.size === 0) return;
      lastStepAt = Date.now();
      const taken = [...fetched.entries()];
      for (const [id] of taken) fetched.delete(id);
      stepping = commitStep(deps.db, key, { synced_count: syncedBefore + stepped.size + taken.length, last_updated_at: now }, (trx) =>
        writeCatalog(
          trx,
          enrichedRows(
            entity,
            taken.map(([, o]) => o),
            now,
          ),
          now,
        ),
      )
        .then(() => taken.forEach(([id]) => stepped.add(id)))
        .catch(() => taken.forEach(([id, o]) => fetched.set(id, o))) // the batch's own commit writes them
        .finally(() => {
          stepping = null;
        });
    },
    /** Waits for the step under way, if any. */
    async settled(): Promise<void> {
      await stepping;
    },
  };
}
