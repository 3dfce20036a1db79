import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BatchResult } from './batch-result.js';
import type { BatchEntity } from './contract.js';

/** A dead worker's batch is retried after 15 s instead of 120 s (the activity options changed). */
export const HEARTBEAT_TIMEOUT_15S_PATCH = 'heartbeat-timeout-15s';

/** The initial sync reads the collections after the playlists (runs started before that end after the playlists). */
export const COLLECTIONS_PHASE_PATCH = 'collections-phase';

export type PhaseBatch = (input: { accountId: string; batchSize?: number; budgetMs?: number }) => Promise<BatchResult>;

/**
 * The initial sync's activities: each phase's batch, and the state it records. `heartbeatTimeoutSeconds`
 * unset: 15 s, or 120 s in runs started before that.
 */
export function initialSyncActivities(heartbeatTimeoutSeconds: number | undefined) {
  const activities = proxyActivities<Activities>({
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: `${heartbeatTimeoutSeconds ?? (patched(HEARTBEAT_TIMEOUT_15S_PATCH) ? 15 : 120)} seconds`,
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  // proxyActivities returns a Proxy: name each activity (its keys cannot be spread).
  const runBatch: Record<BatchEntity, PhaseBatch> = {
    tracks: activities.syncSavedTracksBatch,
    artists: activities.syncArtistsBatch,
    albums: activities.syncAlbumsBatch,
    playlists: activities.syncPlaylistsBatch,
    savedAlbums: (input) => activities.syncCollectionBatch({ ...input, entity: 'savedAlbums' }),
    followedArtists: (input) => activities.syncCollectionBatch({ ...input, entity: 'followedArtists' }),
    savedShows: (input) => activities.syncCollectionBatch({ ...input, entity: 'savedShows' }),
    savedEpisodes: (input) => activities.syncCollectionBatch({ ...input, entity: 'savedEpisodes' }),
    savedAudiobooks: (input) => activities.syncCollectionBatch({ ...input, entity: 'savedAudiobooks' }),
  };
  return { runBatch, recordSyncState: activities.recordSyncState };
}
