import {
  ActivityCancellationType,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  historyImportStatusQuery,
  pauseSignal,
  reauthorizedSignal,
  resumeSignal,
  syncPhaseKey,
  syncStateKey,
  type HistoryImportCounts,
  type HistoryImportPhase,
  type HistoryImportState,
  type HistoryImportStatus,
} from './contract.js';
import { formatCount, formatUtc } from './format.js';
import type { RateLimitWait } from './batch-result.js';
import { waitOutRateLimit } from './rate-limit-wait.js';

export type { HistoryImportStatus } from './contract.js';

export interface HistoryImportInput {
  accountId: string;
  importId: string;
  /** How soon a file being read on a dead worker is read on by another (default 60 s). */
  heartbeatTimeoutSeconds?: number;
}

/** What one resolution or enrichment batch tells the workflow. */
type StepResult = { counts: HistoryImportCounts } & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

/** Imports started before enrichment was part of the import complete after resolution. */
export const ENRICHMENT_PATCH = 'history-import-enriches-stubs';

/** The account's stubs, enriched as the incremental sync does: full albums can credit artists no track did. */
const enrichmentSteps = ['artists', 'albums', 'artists'] as const;

const noCounts: HistoryImportCounts = { plays: 0, duplicates: 0, skipped: 0, unresolved: 0, resolved: 0, apiCalls: 0 };

/**
 * Imports the files of one data export (DESIGN.md, History import): first every file is read once and
 * checked, writing nothing (bad input changes nothing); then each file is read in chunks, each chunk
 * committed with its checkpoint; then the tracks the plays name are resolved, and the artists and albums
 * those tracks brought in are enriched (through the same client, batches, rate-limit handling and durable
 * waits as the sync), so the import leaves no stub and reports complete only after that. Pause takes effect within a heartbeat: the file
 * activity is cancelled and stops after its last committed chunk; resume reads on from the checkpoint.
 */
export async function historyImportWorkflow(input: HistoryImportInput): Promise<HistoryImportStatus> {
  const { accountId, importId } = input;
  const heartbeatTimeout = `${input.heartbeatTimeoutSeconds ?? 60} seconds`;
  const retry = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' };
  const quick = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry });
  const files = proxyActivities<Activities>({
    // A file of a decade's plays, or a 2 GB one, is read in one activity; the heartbeat proves it alive.
    startToCloseTimeout: '12 hours',
    heartbeatTimeout,
    retry,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const resolution = proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '2 minutes', retry });
  // The sync's artist and album batches' timeouts: a dead worker's batch is retried elsewhere within 15 s.
  const enrichment = proxyActivities<Activities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '15 seconds', retry });

  let state: HistoryImportState = 'running';
  let phase: HistoryImportPhase = 'checking';
  let paused = false;
  let reauthorized = false;
  let counts: HistoryImportCounts = { ...noCounts };
  const fileProgress = { done: 0, total: 0 };
  let rateLimitedUntil: number | null = null;
  let error: string | null = null;
  let cancelFileRead: (() => void) | null = null;
  let enriching: (typeof enrichmentSteps)[number] | null = null;

  const status = (): HistoryImportStatus => ({
    workflow: 'historyImportWorkflow',
    accountId,
    importId,
    state: paused && state === 'running' ? 'paused' : state,
    phase,
    paused,
    files: { ...fileProgress },
    counts: { ...counts },
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
    error,
  });

  setHandler(pauseSignal, () => {
    paused = true;
    cancelFileRead?.();
    refreshDetails();
  });
  setHandler(resumeSignal, () => {
    paused = false;
    refreshDetails();
  });
  setHandler(reauthorizedSignal, () => void (reauthorized = true));
  setHandler(historyImportStatusQuery, () => ({ ...status() }));

  function refreshDetails(): void {
    const parts = [
      enriching ? `import enriching ${enriching}` : `import ${phase}`,
      `files ${formatCount(fileProgress.done)}/${formatCount(fileProgress.total)}`,
      `${formatCount(counts.plays)} plays`,
      `${formatCount(counts.duplicates)} duplicates`,
      `${formatCount(counts.unresolved)} unresolved`,
    ];
    const shown = paused ? 'paused' : state;
    if (shown === 'rate_limited' && rateLimitedUntil !== null) parts.push(`rate-limited until ${formatUtc(rateLimitedUntil)}`);
    else if (shown !== 'running') parts.push(shown.replace('_', ' '));
    setCurrentDetails(parts.join(' · '));
  }

  async function enter(next: HistoryImportState): Promise<void> {
    state = next;
    upsertSearchAttributes([
      { key: syncPhaseKey, value: 'import' },
      { key: syncStateKey, value: next },
    ]);
    refreshDetails();
    await quick.recordHistoryImportState({ importId, state: next, phase, error });
  }

  async function waitWhilePaused(): Promise<void> {
    if (!paused) return;
    await enter('paused');
    log.info('history import paused', { accountId, importId });
    await condition(() => !paused);
    log.info('history import resumed', { accountId, importId });
    await enter('running');
  }

  await enter('running');

  // 1. Check every file, writing nothing.
  const checked = await files.checkHistoryImport({ importId });
  fileProgress.total = checked.files;
  if (!checked.ok) {
    error = checked.message;
    await enter('failed');
    log.warn(`history import refused: ${checked.message}`, { accountId, importId });
    return status();
  }

  // 2. The plays, file by file, chunk by chunk.
  phase = 'plays';
  await enter(state);
  for (let position = 0; position < checked.files; position++) {
    for (;;) {
      await waitWhilePaused();
      const scope = new CancellationScope();
      cancelFileRead = () => scope.cancel();
      try {
        const result = await scope.run(() => files.importHistoryFile({ importId, position }));
        counts = result.counts;
        if (result.outcome === 'done') break;
      } catch (failure) {
        if (!isCancellation(failure)) throw failure;
      } finally {
        cancelFileRead = null;
      }
      counts = await quick.readHistoryImportCounts({ importId });
    }
    fileProgress.done = position + 1;
    refreshDetails();
  }

  /** Runs one kind of batch until it is done: the durable rate-limit wait, pause and re-login between batches. */
  async function untilDone(batch: () => Promise<StepResult>, progress: string): Promise<void> {
    for (;;) {
      await waitWhilePaused();
      const result = await batch();
      counts = result.counts;
      refreshDetails();
      if (result.outcome === 'done') return;
      if (result.outcome === 'rate_limited') {
        await waitOutRateLimit(result, {
          accountId,
          paused: () => paused,
          setRateLimitedUntil: (ms) => void (rateLimitedUntil = ms),
          enter,
          progress,
        });
        await waitWhilePaused();
        await enter('running');
      } else if (result.outcome === 'needs_reauth') {
        reauthorized = false;
        await enter('needs_reauth');
        await condition(() => reauthorized);
        await enter('running');
      }
    }
  }

  // 3. Resolution: plays are usable already; now every track they name is resolved or marked unresolved.
  phase = 'resolving';
  await enter(state);
  await untilDone(() => resolution.resolveHistoryImportBatch({ importId }), `resolving the tracks of imported plays (${importId})`);

  // 4. Enrichment: the artists and albums the resolved tracks brought in get their details, so the
  // import leaves no stub behind and is complete only then.
  if (patched(ENRICHMENT_PATCH)) {
    phase = 'enriching';
    await enter(state);
    for (const entity of enrichmentSteps) {
      enriching = entity;
      await untilDone(() => enrichment.enrichHistoryImportBatch({ importId, entity }), `enriching the ${entity} of imported plays (${importId})`);
    }
    enriching = null;
  }

  phase = 'complete';
  await enter('complete');
  log.info(
    `history import complete: ${formatCount(counts.plays)} plays, ${formatCount(counts.duplicates)} duplicates, ` +
      `${formatCount(counts.unresolved)} unresolved, ${formatCount(counts.apiCalls)} Spotify calls`,
    { accountId, importId },
  );
  return status();
}
