import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The names every layer shares (DESIGN.md contract): sync states, phases, entities, the live status of
 * each workflow, its signals, query and search attributes. Workflows, activities, the database rows,
 * the status API and its schemas, the CLI and the tests all take them from here. Deterministic and
 * free of I/O, so workflow code may import it.
 */

/** An account's sync state (`accounts.sync_state`, the `state` of the status API, `SyncState`). */
export const syncStates = ['not_started', 'running', 'paused', 'rate_limited', 'needs_reauth', 'failed', 'complete'] as const;
export type SyncStateName = (typeof syncStates)[number];

/**
 * The collections the `collections` phase reads after the playlists (DESIGN.md "The whole library"):
 * each is a batch entity and a `phases[]` entry of the status.
 */
export const collectionEntities = ['savedAlbums', 'followedArtists', 'savedShows', 'savedEpisodes', 'savedAudiobooks'] as const;
export type CollectionEntity = (typeof collectionEntities)[number];

/** `tracks`..`playlists` are the initial sync's first phases, in order, and entities of their own. */
export const catalogEntities = ['tracks', 'artists', 'albums', 'playlists'] as const;

/** What a batch activity works on. */
export const batchEntities = [...catalogEntities, ...collectionEntities] as const;
export type BatchEntity = (typeof batchEntities)[number];

/** The initial sync's phase (`accounts.sync_phase`, the `phase` of the status API, `SyncPhase`). */
export const syncPhases = [...catalogEntities, 'collections', 'complete'] as const;
export type SyncPhaseName = (typeof syncPhases)[number];
/** Kept for the workflow's own vocabulary: the initial sync's phases are the sync phases. */
export type InitialSyncPhase = SyncPhaseName;

/** `sync_state.entity_type`: the batch entities plus the playback poll's checkpoint. */
export const entityTypes = [...batchEntities, 'playback'] as const;
export type EntityType = (typeof entityTypes)[number];

/** `sync_state.phase`: which sync a checkpoint belongs to. */
export const syncKinds = ['initial', 'incremental', 'playback', 'history_import'] as const;
export type SyncKind = (typeof syncKinds)[number];

/**
 * The kinds of 429 Spotify sends: `short`, its 30 s window (a Retry-After of at most a minute);
 * `quota`, the app's daily quota (`QUOTA_EXCEEDED`, or a longer Retry-After); `headerless`, neither a
 * Retry-After nor a reason (an ordinary window 429 as often as not).
 */
export const rateLimitKinds = ['short', 'quota', 'headerless'] as const;
export type RateLimitKind = (typeof rateLimitKinds)[number];

/** `incremental_runs.outcome`. */
export const incrementalOutcomes = ['completed', 'skipped', 'rate_limited', 'needs_reauth', 'failed', 'running'] as const;
export type IncrementalOutcome = (typeof incrementalOutcomes)[number];

/**
 * What Spotify last refused about an account (`accounts.login_problem`): the refresh token
 * (`invalid_grant`: six months passed, or access revoked), a user a development-mode app does not
 * serve, or the app owner's lapsed Premium.
 */
export const loginProblems = ['invalid_grant', 'user_not_registered', 'owner_premium_required'] as const;
export type LoginProblem = (typeof loginProblems)[number];

/** The `login.state` of the status API (see src/accounts/login-status.ts for when each applies). */
export const loginStates = ['ok', 'expiring', 'expired', 'revoked', 'user_not_registered', 'owner_premium_required'] as const;
export type LoginState = (typeof loginStates)[number];

/** The incremental sync's steps, in the order one run takes them. */
export const incrementalSteps = ['tracks', 'playlists', 'artists', 'albums', 'collections'] as const;
export type IncrementalStep = (typeof incrementalSteps)[number];

export interface PhaseProgress {
  synced: number;
  total: number | null;
  complete: boolean;
}

/** Live state of an initial sync, as answered by its `status` query (and returned when it completes). */
export interface InitialSyncStatus {
  workflow: 'initialSyncWorkflow';
  accountId: string;
  state: SyncStateName;
  phase: SyncPhaseName;
  paused: boolean;
  progress: Partial<Record<BatchEntity, PhaseProgress>>;
  batches: number;
  apiCalls: number;
  rateLimitedUntil: string | null;
  runNumber: number;
}

/** Live state of an incremental run, as answered by its `status` query. */
export interface IncrementalSyncStatus {
  workflow: 'incrementalSyncWorkflow';
  accountId: string;
  state: SyncStateName;
  paused: boolean;
  step: IncrementalStep | 'starting' | 'complete';
  counts: Record<string, number>;
  apiCalls: number;
  rateLimitedUntil: string | null;
}

/** Live state of the playback poller, as answered by its `status` query. */
export interface PlaybackStatus {
  workflow: 'playbackWorkflow';
  accountId: string;
  state: SyncStateName;
  paused: boolean;
  polls: number;
  playsRecorded: number;
  gaps: number;
  lastPollAt: string | null;
  pollMinutes: number;
  runNumber: number;
}

/** A history import's state (`history_imports.state`, the `import.state` of the status API, `SyncState`). */
export const historyImportStates = ['running', 'paused', 'rate_limited', 'needs_reauth', 'failed', 'complete'] as const;
export type HistoryImportState = (typeof historyImportStates)[number];

/**
 * A history import's phases: every file checked (nothing written), the plays stored, their tracks
 * resolved, the artists and albums those tracks brought enriched.
 */
export const historyImportPhases = ['checking', 'plays', 'resolving', 'enriching', 'complete'] as const;
export type HistoryImportPhase = (typeof historyImportPhases)[number];

/**
 * Every value `SyncPhase` takes: the initial sync's phases, then `incremental`, `playback` and `import`
 * for the workflows of those names.
 */
export const searchAttributePhases = [...syncPhases, 'incremental', 'playback', 'import', 'restore'] as const;
export type SearchAttributePhase = (typeof searchAttributePhases)[number];

/** What a history import has done so far. */
export interface HistoryImportCounts {
  plays: number;
  duplicates: number;
  skipped: number;
  unresolved: number;
  resolved: number;
  apiCalls: number;
}

/** Live state of a history import, as answered by its `status` query (and returned when it ends). */
export interface HistoryImportStatus {
  workflow: 'historyImportWorkflow';
  accountId: string;
  importId: string;
  state: HistoryImportState;
  phase: HistoryImportPhase;
  paused: boolean;
  files: { done: number; total: number };
  counts: HistoryImportCounts;
  rateLimitedUntil: string | null;
  error: string | null;
}

/** A restore's state (`restores.state`, the `state` of GET /api/restores/:restoreId): the sync's states plus `needs_scope`. */
export const restoreStates = [...syncStates, 'needs_scope'] as const;
export type RestoreState = (typeof restoreStates)[number];

/** Live state of a restore, as answered by its `status` query (and returned when it ends). */
export interface RestoreStatus {
  workflow: 'restoreWorkflow';
  accountId: string;
  restoreId: string;
  state: RestoreState;
  paused: boolean;
  progress: { done: number; total: number };
  apiCalls: number;
  rateLimitedUntil: string | null;
  verified: boolean | null;
}

export type WorkflowStatus = InitialSyncStatus | IncrementalSyncStatus | PlaybackStatus | HistoryImportStatus | RestoreStatus;

/**
 * The task queue of the playback poll's activities: a queue of its own beside the workflows' queue
 * (`TEMPORAL_TASK_QUEUE`), polled by every worker, so a poll never waits behind a sync's batches.
 */
export function playbackActivityTaskQueue(taskQueue: string): string {
  return `${taskQueue}-playback`;
}

/** Signals (wire names `pause`, `resume`, `reauthorized`). */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const reauthorizedSignal = defineSignal('reauthorized');
export const accountSignals = { pause: pauseSignal, resume: resumeSignal, reauthorized: reauthorizedSignal } as const;
export type AccountSignal = keyof typeof accountSignals;

/** The `status` query of each workflow, typed by what that workflow answers (one wire name: `status`). */
export const initialSyncStatusQuery = defineQuery<InitialSyncStatus>('status');
export const incrementalSyncStatusQuery = defineQuery<IncrementalSyncStatus>('status');
export const playbackStatusQuery = defineQuery<PlaybackStatus>('status');
export const historyImportStatusQuery = defineQuery<HistoryImportStatus>('status');
export const restoreStatusQuery = defineQuery<RestoreStatus>('status');

/** Keyword search attributes upserted on every transition. */
export const accountIdKey = defineSearchAttributeKey('AccountId', SearchAttributeType.KEYWORD);
export const syncPhaseKey = defineSearchAttributeKey('SyncPhase', SearchAttributeType.KEYWORD);
export const syncStateKey = defineSearchAttributeKey('SyncState', SearchAttributeType.KEYWORD);
export const searchAttributeKeys = [accountIdKey, syncPhaseKey, syncStateKey];
/** For `temporal server start-dev --search-attribute ...`. */
export const searchAttributeCliArgs = searchAttributeKeys.flatMap((k) => ['--search-attribute', `${k.name}=Keyword`]);
