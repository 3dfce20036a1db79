import { log, patched, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BatchResult, RateLimitedResult } from './batch-result.js';
import { collectionEntities, incrementalSyncStatusQuery, type CollectionEntity, type IncrementalStep, type IncrementalSyncStatus, type SyncStateName } from './contract.js';
import { useControl } from './control.js';
import { summarized } from './summaries.js';
import { formatCount } from './format.js';
import { waitOutRateLimit } from './rate-limit-wait.js';
import { showState } from './show-state.js';
import { incrementalSyncDetails, incrementalSyncStatus, type IncrementalSyncView } from './incremental-sync-view.js';
import { HEARTBEAT_TIMEOUT_15S_PATCH } from './initial-sync-activities.js';
import { DEFAULT_ACTIVITY_BUDGET_MS } from './initial-sync.js';

/** Runs started before the incremental sync read the collections (saved albums, follows, shows, episodes, audiobooks) skip that step. */
export const INCREMENTAL_COLLECTIONS_PATCH = 'incremental-collections';
import { notify, notifyFailure } from './notify.js';

export interface IncrementalSyncInput {
  accountId: string;
}

export interface IncrementalSyncResult {
  outcome: 'completed' | 'skipped';
  reason?: string;
  counts: Record<string, number>;
  apiCalls: number;
  durationMs: number;
}

type Step = IncrementalStep;

/**
 * One incremental run, started by the account's Schedule every SYNC_INCREMENTAL_INTERVAL_HOURS: new
 * saves (newest first, stopping at the first page with nothing new), playlists diffed by snapshot id,
 * then artists and albums that are new or whose details are older than 7 days. Skipped while the
 * initial sync is not complete. Rate limits are waited out with the initial sync's own durable wait,
 * and `pause`/`resume` work here as there (between batches and during a wait); the Schedule skips
 * runs that would overlap.
 */
export async function incrementalSyncWorkflow(input: IncrementalSyncInput): Promise<IncrementalSyncResult> {
  try {
    return await runIncrementalSync(input);
  } catch (error) {
    await notifyFailure(input.accountId, 'incremental sync', error);
    throw error;
  }
}

async function runIncrementalSync(input: IncrementalSyncInput): Promise<IncrementalSyncResult> {
  const { accountId } = input;
  const startedAt = Date.now();
  const a = proxyActivities<Activities>({
    startToCloseTimeout: '15 minutes',
    // A dead worker's batch is retried after 15 s (runs started before that keep 2 minutes).
    heartbeatTimeout: patched(HEARTBEAT_TIMEOUT_15S_PATCH) ? '15 seconds' : '2 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  const counts: Record<string, number> = {};
  let apiCalls = 0;
  let state: SyncStateName = 'running';
  let step: IncrementalSyncStatus['step'] = 'starting';
  let rateLimitedUntil: number | null = null;
  let waitingOn: RateLimitedResult | null = null;

  const control = useControl<SyncStateName>({
    name: 'incremental sync',
    ids: { accountId },
    enter: (next) => show(next),
    changed: () => setCurrentDetails(details(state)),
    loginLost: () => notify({ accountId, event: 'needs_reauth' }),
  });
  setHandler(incrementalSyncStatusQuery, (): IncrementalSyncStatus => incrementalSyncStatus(view()));

  function view(): IncrementalSyncView {
    return { accountId, state, paused: control.paused, step, counts, apiCalls, rateLimitedUntil, waitingOn };
  }

  function details(next: SyncStateName): string {
    return incrementalSyncDetails(view(), next);
  }

  const show = (next: SyncStateName) => {
    state = next;
    showState(step === 'complete' ? 'complete' : 'incremental', next, details(next));
  };

  const begin = await summarized(a.beginIncrementalRun, 'incremental sync: begin (skip if the initial sync runs)')({ accountId, workflowId: workflowInfo().workflowId });
  if (begin.skipped !== null) {
    step = 'complete';
    show('complete');
    log.info(begin.skipped, { accountId });
    return { outcome: 'skipped', reason: begin.skipped, counts, apiCalls: 0, durationMs: 0 };
  }
  const runId = begin.runId as number;

  /** Which batch of the step this is, for its summary. */
  let batchOfStep = 0;
  const batchNote = () => ` · batch ${formatCount(++batchOfStep)}`;
  let collection: CollectionEntity = 'savedAlbums';
  const batchFor: Record<Step, () => Promise<BatchResult>> = {
    collections: () =>
      summarized(
        a.syncCollectionIncrementalBatch,
        `incremental: ${collection}${batchNote()}`,
      )({ accountId, entity: collection, reconcile: begin.reconcileDue, budgetMs: DEFAULT_ACTIVITY_BUDGET_MS }),
    tracks: () =>
      summarized(a.syncNewSavedTracksBatch, `incremental: new saved tracks${begin.reconcileDue ? ' + reconcile' : ''}${batchNote()}`)({ accountId, reconcile: begin.reconcileDue }),
    playlists: () => summarized(a.syncPlaylistsBatch, `incremental: changed playlists${batchNote()}`)({ accountId, kind: 'incremental' }),
    artists: () => summarized(a.syncArtistsBatch, `incremental: artists${batchNote()}`)({ accountId, kind: 'incremental' }),
    albums: () => summarized(a.syncAlbumsBatch, `incremental: albums${batchNote()}`)({ accountId, kind: 'incremental' }),
  };

  async function runStep(s: Step): Promise<void> {
    step = s;
    batchOfStep = 0;
    show('running');
    for (;;) {
      await control.waitWhilePaused();
      const result = await batchFor[s]();
      apiCalls += result.apiCalls;
      for (const [k, v] of Object.entries(result.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
      if (result.outcome === 'done') return;
      if (result.outcome === 'rate_limited') {
        waitingOn = result;
        await waitOutRateLimit(result, {
          accountId,
          paused: () => control.paused,
          setRateLimitedUntil: (ms) => void (rateLimitedUntil = ms),
          enter: show,
          progress: `incremental ${s}`,
        });
        waitingOn = null;
        await control.waitWhilePaused();
        show('running');
      } else if (result.outcome === 'needs_reauth') {
        await control.waitForLogin();
      }
    }
  }

  await runStep('tracks');
  await runStep('playlists');
  await runStep('artists');
  await runStep('albums');
  // Full album objects can credit artists no track did.
  await runStep('artists');
  if (patched(INCREMENTAL_COLLECTIONS_PATCH)) {
    for (const entity of collectionEntities) {
      collection = entity;
      await runStep('collections');
    }
  }

  step = 'complete';
  const durationMs = Date.now() - startedAt;
  const reconciled = (counts.reconciled ?? 0) > 0;
  const followsRead = (counts.followsRead ?? 0) > 0;
  delete counts.reconciled;
  delete counts.followsRead;
  const result = { outcome: 'completed' as const, counts, apiCalls, durationMs };
  await summarized(
    a.finishIncrementalRun,
    `incremental sync: finish · ${formatCount(apiCalls)} calls`,
  )({ runId, outcome: 'completed', result: { ...counts, apiCalls, durationMs, reconciled, followsRead } });
  show('complete');
  log.info(`incremental sync complete: ${formatCount(counts.newSaves ?? 0)} new saves, ${formatCount(apiCalls)} Spotify calls`, { accountId });
  return result;
}
