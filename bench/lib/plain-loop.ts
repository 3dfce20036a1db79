import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { catalogEntities, type BatchEntity, type InitialSyncPhase } from '../../workflows/contract.js';
import { DEFAULT_ACTIVITY_BUDGET_MS, initialSyncSteps } from '../../workflows/initial-sync.js';

/** The activity the workflow runs for each entity of its steps. */
const activityFor: Record<CatalogEntity, 'syncSavedTracksBatch' | 'syncArtistsBatch' | 'syncAlbumsBatch' | 'syncPlaylistsBatch'> = {
  tracks: 'syncSavedTracksBatch',
  artists: 'syncArtistsBatch',
  albums: 'syncAlbumsBatch',
  playlists: 'syncPlaylistsBatch',
};

type CatalogEntity = (typeof catalogEntities)[number];
const isCatalogEntity = (entity: BatchEntity): entity is CatalogEntity => (catalogEntities as readonly string[]).includes(entity);

/**
 * The initial sync without Temporal: the activities the worker registers (createActivities), called
 * one after another in this process, in the workflow's steps (initialSyncSteps), until each reports
 * `done`, with the same inputs (batch size and activity budget) and the same state records the
 * workflow makes. The activities log through `@temporalio/activity`, which needs an activity context:
 * a mock one gives it (its heartbeat is an in-process event, its logger silent).
 */
export async function plainInitialSync(
  deps: ActivityDeps,
  accountId: string,
  batchSize?: number,
  budgetMs = DEFAULT_ACTIVITY_BUDGET_MS,
): Promise<{ batches: number; apiCalls: number }> {
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const activities = createActivities(deps);
  const inContext = <R>(fn: () => Promise<R>): Promise<R> => env.run(fn);
  let batches = 0;
  let apiCalls = 0;
  let phase: InitialSyncPhase = 'tracks';
  await inContext(() => activities.recordSyncState({ accountId, state: 'running', phase }));
  for (const step of initialSyncSteps) {
    if (step.phase !== phase) {
      phase = step.phase;
      await inContext(() => activities.recordSyncState({ accountId, state: 'running', phase }));
    }
    for (;;) {
      const { entity } = step;
      const input = { accountId, batchSize, budgetMs };
      const result: BatchResult = await inContext(() => (isCatalogEntity(entity) ? activities[activityFor[entity]](input) : activities.syncCollectionBatch({ ...input, entity })));
      apiCalls += result.apiCalls;
      if (result.outcome === 'rate_limited' || result.outcome === 'needs_reauth') throw new Error(`plain loop cannot wait: ${result.outcome}`);
      batches += result.batches ?? 1;
      if (result.outcome === 'done') break;
    }
  }
  await inContext(() => activities.recordSyncState({ accountId, state: 'complete', phase: 'complete' }));
  return { batches, apiCalls };
}
