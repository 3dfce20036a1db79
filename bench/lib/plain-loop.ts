import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import type { InitialSyncPhase } from '../../workflows/definitions.js';
import { DEFAULT_ACTIVITY_BUDGET_MS } from '../../workflows/initial-sync.js';

type BatchActivity = 'syncSavedTracksBatch' | 'syncArtistsBatch' | 'syncAlbumsBatch' | 'syncPlaylistsBatch';

/** The steps of workflows/initial-sync.ts, in its order, by the activity each one runs. */
const steps: { phase: Exclude<InitialSyncPhase, 'complete'>; activity: BatchActivity }[] = [
  { phase: 'tracks', activity: 'syncSavedTracksBatch' },
  { phase: 'artists', activity: 'syncArtistsBatch' },
  { phase: 'albums', activity: 'syncAlbumsBatch' },
  { phase: 'playlists', activity: 'syncPlaylistsBatch' },
  { phase: 'playlists', activity: 'syncArtistsBatch' },
  { phase: 'playlists', activity: 'syncAlbumsBatch' },
];

/**
 * The initial sync without Temporal: the activities the worker registers (createActivities), called
 * one after another in this process until each reports `done`, with the same inputs (batch size and
 * activity budget) and the same state records the workflow makes. The activities log through `@temporalio/activity`, which needs an activity context:
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
  for (const step of steps) {
    if (step.phase !== phase) {
      phase = step.phase;
      await inContext(() => activities.recordSyncState({ accountId, state: 'running', phase }));
    }
    for (;;) {
      const result: BatchResult = await inContext(() => activities[step.activity]({ accountId, batchSize, budgetMs }));
      apiCalls += result.apiCalls;
      if (result.outcome === 'rate_limited' || result.outcome === 'needs_reauth') throw new Error(`plain loop cannot wait: ${result.outcome}`);
      batches += result.batches ?? 1;
      if (result.outcome === 'done') break;
    }
  }
  await inContext(() => activities.recordSyncState({ accountId, state: 'complete', phase: 'complete' }));
  return { batches, apiCalls };
}
