import { allHandlersFinished, condition, continueAsNew, log, patched, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { batchesCommitted, type RateLimitedResult } from './batch-result.js';
import { COLLECTIONS_PHASE_PATCH, initialSyncActivities, PLAYLISTS_LISTED_EARLY_PATCH } from './initial-sync-activities.js';
import { initialSyncStatusQuery, type BatchEntity, type InitialSyncPhase, type InitialSyncStatus, type PhaseProgress, type SyncStateName } from './contract.js';
import { useControl } from './control.js';
import { initialSyncDetails, initialSyncStatus, type InitialSyncView } from './initial-sync-view.js';
import { formatCount, formatProgress } from './format.js';
import { waitOutRateLimit } from './rate-limit-wait.js';
import { showState } from './show-state.js';
import { notify, notifyFailure } from './notify.js';
import { batchSummary } from './summaries.js';

/** State that survives continue-as-new. */
export interface InitialSyncCarried {
  step: number;
  batches: number;
  apiCalls: number;
  paused: boolean;
  runNumber: number;
  progress: Partial<Record<BatchEntity, PhaseProgress>>;
  /** The playlist listing was read after the saved tracks (PLAYLISTS_LISTED_EARLY_PATCH); absent before. */
  playlistsListed?: boolean;
}

export interface InitialSyncInput {
  accountId: string;
  /** Batches per workflow run before continuing as new (default 500; tests force small values). */
  maxBatchesPerRun?: number;
  /** Entities per batch (default: SYNC_INITIAL_BATCH_SIZE, read by the activities). */
  batchSize?: number;
  /**
   * How long one activity keeps running further batches of a phase (default 1,000 ms; 0: one batch per
   * activity). Quick batches then share the Temporal round-trips; a batch slower than this runs alone.
   */
  activityBudgetMs?: number;
  /** How soon a batch on a dead worker is retried elsewhere (default 15 s; 120 s in runs started before that). */
  heartbeatTimeoutSeconds?: number;
  carried?: InitialSyncCarried;
}

/**
 * The steps of the initial sync, in priority order. After the playlists, the artists and albums that
 * playlist-only tracks brought in are enriched; that still counts as the playlists phase for users.
 */
export const initialSyncSteps: readonly { phase: Exclude<InitialSyncPhase, 'complete'>; entity: BatchEntity }[] = [
  { phase: 'tracks', entity: 'tracks' },
  { phase: 'artists', entity: 'artists' },
  { phase: 'albums', entity: 'albums' },
  { phase: 'playlists', entity: 'playlists' },
  { phase: 'playlists', entity: 'artists' },
  { phase: 'playlists', entity: 'albums' },
  // The whole library: each collection in turn, then the artists of saved albums.
  { phase: 'collections', entity: 'savedAlbums' },
  { phase: 'collections', entity: 'followedArtists' },
  { phase: 'collections', entity: 'savedShows' },
  { phase: 'collections', entity: 'savedEpisodes' },
  { phase: 'collections', entity: 'savedAudiobooks' },
  { phase: 'collections', entity: 'artists' },
];

/** The steps before the collections phase: all a run started before it takes (COLLECTIONS_PHASE_PATCH). */
const STEPS_BEFORE_COLLECTIONS = 6;

/** See InitialSyncInput.activityBudgetMs. */
export const DEFAULT_ACTIVITY_BUDGET_MS = 1_000;

export async function initialSyncWorkflow(input: InitialSyncInput): Promise<InitialSyncStatus> {
  try {
    return await runInitialSync(input);
  } catch (error) {
    await notifyFailure(input.accountId, 'initial sync', error);
    throw error;
  }
}

async function runInitialSync(input: InitialSyncInput): Promise<InitialSyncStatus> {
  const { accountId } = input;
  const carried: InitialSyncCarried = input.carried ?? { step: 0, batches: 0, apiCalls: 0, paused: false, runNumber: 1, progress: {} };
  const maxBatchesPerRun = input.maxBatchesPerRun ?? 500;
  const { runBatch, recordSyncState } = initialSyncActivities(input.heartbeatTimeoutSeconds);

  let state: SyncStateName = 'running';
  let phase: InitialSyncPhase = initialSyncSteps[carried.step]?.phase ?? 'complete';
  let rateLimitedUntil: number | null = null;
  /** The wait in progress, for the UI details to say which case it is. */
  let waitingOn: RateLimitedResult | null = null;
  let batchesThisRun = 0;

  const view = (): InitialSyncView => {
    const { progress, batches, apiCalls, runNumber } = carried;
    return { accountId, state, phase, paused: control.paused, progress, batches, apiCalls, runNumber, rateLimitedUntil, waitingOn };
  };
  const status = (): InitialSyncStatus => initialSyncStatus(view());

  const control = useControl<SyncStateName>({
    name: 'initial sync',
    ids: { accountId },
    paused: carried.paused,
    enter,
    changed: refreshDetails,
    // Once resumed, back to the state shown before the pause (running if that was the pause itself).
    resumeTo: () => (state === 'paused' ? 'running' : state),
    loginLost: () => notify({ accountId, event: 'needs_reauth' }),
  });
  setHandler(initialSyncStatusQuery, () => ({ ...status() }));

  const details = (): string => initialSyncDetails(view());

  function refreshDetails(): void {
    setCurrentDetails(details());
  }

  async function enter(next: SyncStateName): Promise<void> {
    state = next;
    showState(phase, next, details());
    await recordSyncState({ accountId, state: next, phase });
  }

  /** The shared durable wait (pausable, shown as it goes), then back to work once resumed. */
  async function waitOutRateLimitThenResume(result: RateLimitedResult): Promise<void> {
    const entityProgress = carried.progress[result.entity as BatchEntity];
    const total = entityProgress?.total === null || entityProgress?.total === undefined ? '?' : formatCount(entityProgress.total);
    waitingOn = result;
    await waitOutRateLimit(result, {
      accountId,
      paused: () => control.paused,
      setRateLimitedUntil: (ms) => void (rateLimitedUntil = ms),
      enter,
      progress: `progress saved: ${formatCount(entityProgress?.synced ?? 0)} of ${total} ${result.entity}`,
    });
    waitingOn = null;
    await control.waitWhilePaused();
    await enter('running');
  }

  await enter(control.paused ? 'paused' : 'running');
  if (carried.runNumber > 1) log.info('continued as new', { accountId, runNumber: carried.runNumber, step: carried.step });

  // Asked only once the steps before it are done, so that histories recorded before it replay unchanged.
  const stepCount = (): number => (carried.step < STEPS_BEFORE_COLLECTIONS || patched(COLLECTIONS_PHASE_PATCH) ? initialSyncSteps.length : STEPS_BEFORE_COLLECTIONS);
  while (carried.step < stepCount()) {
    // Once the saved tracks are read, the playlist listing (the entries ahead, for the ETA) before the artists.
    const listing = carried.step === 1 && carried.playlistsListed !== true && patched(PLAYLISTS_LISTED_EARLY_PATCH);
    const step = listing ? { phase, entity: 'playlists' as const } : (initialSyncSteps[carried.step] as (typeof initialSyncSteps)[number]);
    if (phase !== step.phase) {
      phase = step.phase;
      await enter(state);
    }
    await control.waitWhilePaused();
    // Paused at the start (a pause sent with it, or carried over) and resumed before the loop got here.
    if (view().state === 'paused') await enter('running');
    const label = listing ? 'playlists: listing' : step.phase === step.entity ? step.entity : `${step.phase}: ${step.entity}`;
    const result = await runBatch[step.entity](
      { accountId, batchSize: input.batchSize, budgetMs: input.activityBudgetMs ?? DEFAULT_ACTIVITY_BUDGET_MS, ...(listing ? { listingOnly: true } : {}) },
      batchSummary(label, listing ? undefined : carried.progress[step.entity], input.batchSize),
    );
    carried.apiCalls += result.apiCalls;
    const committed = batchesCommitted(result);
    carried.batches += committed;
    batchesThisRun += committed;
    if (result.outcome === 'rate_limited') {
      carried.progress[step.entity] = { synced: result.synced, total: result.total, complete: false };
      await waitOutRateLimitThenResume(result);
      continue;
    }
    if (result.outcome === 'needs_reauth') {
      await control.waitForLogin();
      continue;
    }
    carried.progress[step.entity] = { synced: result.synced, total: result.total, complete: !listing && result.outcome === 'done' };
    refreshDetails();
    if (listing) {
      if (result.outcome === 'done') carried.playlistsListed = true;
    } else if (result.outcome === 'done') {
      log.info(`${step.entity} complete: ${formatProgress(result.synced, result.total)}`, { accountId });
      carried.step += 1;
    }
    if (carried.step < stepCount() && (batchesThisRun >= maxBatchesPerRun || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof initialSyncWorkflow>({
        ...input,
        carried: { ...carried, paused: control.paused, runNumber: carried.runNumber + 1 },
      });
    }
  }

  phase = 'complete';
  await enter('complete');
  // Once per initial sync: a reset starts a new chain of runs, which completes (and says so) again.
  await notify({ accountId, event: 'sync_complete', occasion: workflowInfo().firstExecutionRunId });
  log.info(`initial sync complete: ${formatCount(carried.batches)} batches, ${formatCount(carried.apiCalls)} Spotify calls`, { accountId });
  return status();
}
