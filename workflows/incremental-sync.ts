import { condition, log, patched, proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BatchResult } from './batch-result.js';
import {
  incrementalSyncStatusQuery,
  reauthorizedSignal,
  syncPhaseKey,
  syncStateKey,
  type IncrementalStep,
  type IncrementalSyncStatus,
  type SyncStateName,
} from './contract.js';
import { formatCount, formatUtc } from './format.js';
import { HEARTBEAT_TIMEOUT_15S_PATCH } from './initial-sync.js';

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
 * initial sync is not complete. Rate limits are waited out on a durable timer like the initial sync;
 * the Schedule skips runs that would overlap.
 */
export async function incrementalSyncWorkflow(input: IncrementalSyncInput): Promise<IncrementalSyncResult> {
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
  let reauthorized = false;

  setHandler(reauthorizedSignal, () => void (reauthorized = true));
  setHandler(incrementalSyncStatusQuery, (): IncrementalSyncStatus => ({
    workflow: 'incrementalSyncWorkflow',
    accountId,
    state,
    step,
    counts: { ...counts },
    apiCalls,
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
  }));

  const show = (next: SyncStateName) => {
    state = next;
    upsertSearchAttributes([
      { key: syncPhaseKey, value: step === 'complete' ? 'complete' : `incremental` },
      { key: syncStateKey, value: next },
    ]);
    const parts = [`incremental ${step}`, `${formatCount(apiCalls)} calls`];
    if (next === 'rate_limited' && rateLimitedUntil !== null) parts.push(`rate-limited until ${formatUtc(rateLimitedUntil)}`);
    else if (next !== 'running') parts.push(next.replace('_', ' '));
    setCurrentDetails(parts.join(' · '));
  };

  const begin = await a.beginIncrementalRun({ accountId, workflowId: workflowInfo().workflowId });
  if (begin.skipped !== null) {
    step = 'complete';
    show('complete');
    log.info(begin.skipped, { accountId });
    return { outcome: 'skipped', reason: begin.skipped, counts, apiCalls: 0, durationMs: 0 };
  }
  const runId = begin.runId as number;

  const batchFor: Record<Step, () => Promise<BatchResult>> = {
    tracks: () => a.syncNewSavedTracksBatch({ accountId, reconcile: begin.reconcileDue }),
    playlists: () => a.syncPlaylistsBatch({ accountId, kind: 'incremental' }),
    artists: () => a.syncArtistsBatch({ accountId, kind: 'incremental' }),
    albums: () => a.syncAlbumsBatch({ accountId, kind: 'incremental' }),
  };

  async function runStep(s: Step): Promise<void> {
    step = s;
    show('running');
    for (;;) {
      const result = await batchFor[s]();
      apiCalls += result.apiCalls;
      for (const [k, v] of Object.entries(result.counts ?? {})) counts[k] = (counts[k] ?? 0) + v;
      if (result.outcome === 'done') return;
      if (result.outcome === 'rate_limited') {
        const waitMs = result.retryAfterMs ?? 24 * 3_600_000;
        rateLimitedUntil = Date.now() + waitMs;
        log.warn(`rate limit hit during incremental ${s}, will resume at ${formatUtc(rateLimitedUntil)}`, { accountId });
        show('rate_limited');
        await sleep(waitMs);
        rateLimitedUntil = null;
        show('running');
      } else if (result.outcome === 'needs_reauth') {
        show('needs_reauth');
        reauthorized = false;
        await condition(() => reauthorized);
        show('running');
      }
    }
  }

  await runStep('tracks');
  await runStep('playlists');
  await runStep('artists');
  await runStep('albums');
  // Full album objects can credit artists no track did.
  await runStep('artists');

  step = 'complete';
  const durationMs = Date.now() - startedAt;
  const reconciled = (counts.reconciled ?? 0) > 0;
  delete counts.reconciled;
  const result = { outcome: 'completed' as const, counts, apiCalls, durationMs };
  await a.finishIncrementalRun({ runId, outcome: 'completed', result: { ...counts, apiCalls, durationMs, reconciled } });
  show('complete');
  log.info(`incremental sync complete: ${formatCount(counts.newSaves ?? 0)} new saves, ${formatCount(apiCalls)} Spotify calls`, { accountId });
  return result;
}
