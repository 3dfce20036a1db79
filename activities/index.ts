import { recordSyncState } from './shared/account-state.js';
import type { ActivityDeps } from './shared/deps.js';
import { syncStubsBatch } from './shared/enrich-batch.js';
import { syncPlaylistsBatch } from './sync/playlists-batch.js';
import { syncSavedTracksBatch } from './sync/saved-tracks-batch.js';
import { pollRecentlyPlayed } from './playback/playback-poll.js';
import { beginIncrementalRun, finishIncrementalRun } from './sync/incremental-run.js';
import { syncNewSavedTracksBatch } from './sync/new-saved-tracks-batch.js';
import type { SyncKind } from '../workflows/contract.js';
import type { BatchResult } from '../workflows/batch-result.js';
import { runBatchesWithinBudget } from './sync/batch-budget.js';
import { AppCallLimiters } from './shared/app-call-limiters.js';
import { checkHistoryImport } from './history-import/history-import-check.js';
import { importHistoryFile } from './history-import/history-import-file.js';
import { resolveHistoryImportBatch } from './history-import/history-import-resolve.js';
import { readHistoryImportCounts, recordHistoryImportState } from './history-import/history-import-row.js';
import { enrichHistoryImportBatch } from './history-import/history-import-enrich.js';
import { deleteHistoryImportUpload } from './history-import/history-import-uploads.js';
import { notifyEvent, type NotifyEventInput } from './notify/notify-event.js';
import { checkNotifications } from './notify/notification-checks.js';
import { syncCollectionBatch } from './sync/collection-batch.js';
import { syncCollectionIncrementalBatch } from './sync/collection-incremental-batch.js';
import type { BatchEntity, CollectionEntity } from '../workflows/contract.js';
import { recordRestoreState, restoreStep } from './restore/restore-step.js';

export type { ActivityDeps } from './shared/deps.js';
export type { NotifyEventInput } from './notify/notify-event.js';

export interface BatchInput {
  accountId: string;
  batchSize?: number;
  /** initial (default) or incremental: which checkpoints and batch size apply. */
  kind?: Extract<SyncKind, 'initial' | 'incremental'>;
  /** Keep running further batches of this phase while the activity has run for less than this (ms). */
  budgetMs?: number;
  /** Playlists only: read the listing alone, `done` once it is stored (the items wait for the playlists step). */
  listingOnly?: boolean;
}

/** A phase's batch activity: one batch or, given a budget and while batches are quick, several. */
function phaseBatch(deps: ActivityDeps, entity: BatchEntity, runBatch: (input: BatchInput) => Promise<BatchResult>) {
  return (input: BatchInput) => runBatchesWithinBudget(deps, { accountId: input.accountId, entity, kind: input.kind ?? 'initial' }, input.budgetMs, () => runBatch(input));
}

/**
 * All activities, bound to their dependencies (the worker passes real ones, tests may pass others).
 * Unless given, one call limiter per Spotify app is created here: one per worker.
 */
export function createActivities(given: ActivityDeps) {
  const { spotifyNow, now } = given;
  const quota = { now: spotifyNow ?? (() => (now ? now().getTime() : Date.now())), fallbackMs: given.config.sync.rateLimitFallbackHours * 3_600_000 };
  const deps: ActivityDeps = { ...given, callGates: given.callGates ?? new AppCallLimiters(given.db, given.config.spotify.maxConcurrency, quota) };
  return {
    syncSavedTracksBatch: phaseBatch(deps, 'tracks', (input) => syncSavedTracksBatch(deps, input)),
    syncArtistsBatch: phaseBatch(deps, 'artists', (input) => syncStubsBatch(deps, { ...input, entity: 'artists' })),
    syncAlbumsBatch: phaseBatch(deps, 'albums', (input) => syncStubsBatch(deps, { ...input, entity: 'albums' })),
    syncPlaylistsBatch: phaseBatch(deps, 'playlists', (input) => syncPlaylistsBatch(deps, input)),
    /** The collections phase: one page of one collection per batch, several while quick. */
    syncCollectionBatch: (input: BatchInput & { entity: CollectionEntity }) =>
      phaseBatch(deps, input.entity, () => syncCollectionBatch(deps, { accountId: input.accountId, entity: input.entity }))(input),
    /** The incremental sync's collections step: one page of one collection per batch, several while quick. */
    syncCollectionIncrementalBatch: (input: { accountId: string; entity: CollectionEntity; reconcile: boolean; budgetMs?: number }) =>
      runBatchesWithinBudget(deps, { accountId: input.accountId, entity: input.entity, kind: 'incremental' }, input.budgetMs, () => syncCollectionIncrementalBatch(deps, input)),
    syncNewSavedTracksBatch: (input: { accountId: string; reconcile: boolean; batchSize?: number }) => syncNewSavedTracksBatch(deps, input),
    beginIncrementalRun: (input: { accountId: string; workflowId: string }) => beginIncrementalRun(deps, input),
    finishIncrementalRun: (input: Parameters<typeof finishIncrementalRun>[1]) => finishIncrementalRun(deps, input),
    pollRecentlyPlayed: (input: { accountId: string }) => pollRecentlyPlayed(deps, input),
    recordSyncState: (input: Parameters<typeof recordSyncState>[1]) => recordSyncState(deps, input),
    checkHistoryImport: (input: { importId: string }) => checkHistoryImport(deps, input),
    importHistoryFile: (input: { importId: string; position: number }) => importHistoryFile(deps, input),
    resolveHistoryImportBatch: (input: { importId: string; batchSize?: number }) => resolveHistoryImportBatch(deps, input),
    enrichHistoryImportBatch: (input: Parameters<typeof enrichHistoryImportBatch>[1]) => enrichHistoryImportBatch(deps, input),
    readHistoryImportCounts: (input: { importId: string }) => readHistoryImportCounts(deps, input),
    recordHistoryImportState: (input: Parameters<typeof recordHistoryImportState>[1]) => recordHistoryImportState(deps, input),
    deleteHistoryImportUpload: (input: { importId: string }) => deleteHistoryImportUpload(deps, input),
    notifyEvent: (input: NotifyEventInput) => notifyEvent(deps, input),
    checkNotifications: (input: { accountId: string }) => checkNotifications(deps, input),
    restoreStep: (input: { restoreId: string }) => restoreStep(deps, input),
    recordRestoreState: (input: Parameters<typeof recordRestoreState>[1]) => recordRestoreState(deps, input),
  };
}

export type Activities = ReturnType<typeof createActivities>;
