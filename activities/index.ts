import { recordSyncState } from './account-state.js';
import type { ActivityDeps } from './batch-run.js';
import { syncStubsBatch } from './enrich-batch.js';
import { syncPlaylistsBatch } from './playlists-batch.js';
import { syncSavedTracksBatch } from './saved-tracks-batch.js';
import { pollRecentlyPlayed } from './playback-poll.js';
import { beginIncrementalRun, finishIncrementalRun } from './incremental-run.js';
import { syncNewSavedTracksBatch } from './new-saved-tracks-batch.js';
import type { SyncKind } from '../src/db/rows.js';

export type { ActivityDeps } from './batch-run.js';

export interface BatchInput {
  accountId: string;
  batchSize?: number;
  /** initial (default) or incremental: which checkpoints and batch size apply. */
  kind?: Extract<SyncKind, 'initial' | 'incremental'>;
}

/** All activities, bound to their dependencies (the worker passes real ones, tests may pass others). */
export function createActivities(deps: ActivityDeps) {
  return {
    syncSavedTracksBatch: (input: BatchInput) => syncSavedTracksBatch(deps, input),
    syncArtistsBatch: (input: BatchInput) => syncStubsBatch(deps, { ...input, entity: 'artists' }),
    syncAlbumsBatch: (input: BatchInput) => syncStubsBatch(deps, { ...input, entity: 'albums' }),
    syncPlaylistsBatch: (input: BatchInput) => syncPlaylistsBatch(deps, input),
    syncNewSavedTracksBatch: (input: { accountId: string; reconcile: boolean; batchSize?: number }) => syncNewSavedTracksBatch(deps, input),
    beginIncrementalRun: (input: { accountId: string; workflowId: string }) => beginIncrementalRun(deps, input),
    finishIncrementalRun: (input: Parameters<typeof finishIncrementalRun>[1]) => finishIncrementalRun(deps, input),
    pollRecentlyPlayed: (input: { accountId: string }) => pollRecentlyPlayed(deps, input),
    recordSyncState: (input: Parameters<typeof recordSyncState>[1]) => recordSyncState(deps, input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
