import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BatchResult } from './batch-result.js';
import type { BatchEntity, CollectionEntity, InitialSyncPhase, SyncStateName } from './contract.js';
import { summarized } from './summaries.js';

/** A dead worker's batch is retried after 15 s instead of 120 s (the activity options changed). */
export const HEARTBEAT_TIMEOUT_15S_PATCH = 'heartbeat-timeout-15s';

/** The initial sync reads the collections after the playlists (runs started before that end after the playlists). */
export const COLLECTIONS_PHASE_PATCH = 'collections-phase';

/**
 * The initial sync reads the playlist listing right after the saved tracks (one call per 50 playlists, not
 * read again later), so that the ETA knows the playlist entries ahead; runs started before that list them
 * in the playlists step.
 */
export const PLAYLISTS_LISTED_EARLY_PATCH = 'playlists-listed-early';

export type PhaseBatch = (input: { accountId: string; batchSize?: number; budgetMs?: number; listingOnly?: boolean }, summary: string) => Promise<BatchResult>;

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
  const collection =
    (entity: CollectionEntity): PhaseBatch =>
    (input, summary) =>
      summarized(activities.syncCollectionBatch, summary)({ ...input, entity });
  const runBatch: Record<BatchEntity, PhaseBatch> = {
    tracks: (input, summary) => summarized(activities.syncSavedTracksBatch, summary)(input),
    artists: (input, summary) => summarized(activities.syncArtistsBatch, summary)(input),
    albums: (input, summary) => summarized(activities.syncAlbumsBatch, summary)(input),
    playlists: (input, summary) => summarized(activities.syncPlaylistsBatch, summary)(input),
    savedAlbums: collection('savedAlbums'),
    followedArtists: collection('followedArtists'),
    savedShows: collection('savedShows'),
    savedEpisodes: collection('savedEpisodes'),
    savedAudiobooks: collection('savedAudiobooks'),
  };
  /** Records the state the status page reads (`record state: running · tracks`). */
  const recordSyncState = (input: { accountId: string; state: SyncStateName; phase: InitialSyncPhase }) =>
    summarized(activities.recordSyncState, `record state: ${input.state} · ${input.phase}`)(input);
  return { runBatch, recordSyncState };
}
