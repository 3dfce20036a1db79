import { CancellationScope, isCancellation, log, patched, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import {
  historyImportStatusQuery,
  syncPhaseKey,
  syncStateKey,
  type HistoryImportCounts,
  type HistoryImportPhase,
  type HistoryImportState,
  type HistoryImportStatus,
} from './contract.js';
import { useControl } from './control.js';
import { formatCount } from './format.js';
import { summarized } from './summaries.js';
import { historyImportDetails, historyImportStatus, type HistoryImportView } from './history-import-view.js';
import { historyImportActivities } from './history-import-activities.js';
import { untilDone, type StepLoop } from './history-import-steps.js';
import { notify, notifyFailure } from './notify.js';

export type { HistoryImportStatus } from './contract.js';

export interface HistoryImportInput {
  accountId: string;
  importId: string;
  /** How soon a file being read on a dead worker is read on by another (default 60 s). */
  heartbeatTimeoutSeconds?: number;
}

/** Imports started before enrichment was part of the import complete after resolution. */
export const ENRICHMENT_PATCH = 'history-import-enriches-stubs';

/** Imports started before uploads were deleted keep theirs (the retention sweep takes them). */
export const UPLOAD_DELETION_PATCH = 'history-import-deletes-upload';

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
  try {
    return await runHistoryImport(input);
  } catch (error) {
    await notifyFailure(input.accountId, `history import ${input.importId}`, error);
    throw error;
  }
}

async function runHistoryImport(input: HistoryImportInput): Promise<HistoryImportStatus> {
  const { accountId, importId } = input;
  const { quick, files, resolution, enrichment } = historyImportActivities(input.heartbeatTimeoutSeconds);

  let state: HistoryImportState = 'running';
  let phase: HistoryImportPhase = 'checking';
  let counts: HistoryImportCounts = { ...noCounts };
  const fileProgress = { done: 0, total: 0 };
  let rateLimitedUntil: number | null = null;
  let error: string | null = null;
  let cancelFileRead: (() => void) | null = null;
  let enriching: (typeof enrichmentSteps)[number] | null = null;

  const view = (): HistoryImportView => ({ accountId, importId, state, phase, paused: control.paused, files: fileProgress, counts, rateLimitedUntil, error, enriching });
  const status = (): HistoryImportStatus => historyImportStatus(view());

  const control = useControl<HistoryImportState>({
    name: 'history import',
    ids: { accountId, importId },
    enter,
    changed: (paused) => {
      // A pause stops the file being read after its last committed chunk.
      if (paused) cancelFileRead?.();
      refreshDetails();
    },
    loginLost: () => notify({ accountId, event: 'needs_reauth' }),
  });
  setHandler(historyImportStatusQuery, () => ({ ...status() }));

  function refreshDetails(): void {
    setCurrentDetails(historyImportDetails(view()));
  }

  async function enter(next: HistoryImportState): Promise<void> {
    state = next;
    upsertSearchAttributes([
      { key: syncPhaseKey, value: 'import' },
      { key: syncStateKey, value: next },
    ]);
    refreshDetails();
    await summarized(quick.recordHistoryImportState, `record state: ${next} · ${phase}`)({ importId, state: next, phase, error });
  }

  /** An uploaded export is kept only while its files are read (src/history-import/upload-retention.ts). */
  async function deleteUpload(): Promise<void> {
    if (patched(UPLOAD_DELETION_PATCH)) await summarized(quick.deleteHistoryImportUpload, 'delete the uploaded files')({ importId });
  }

  /** The plays, file by file, chunk by chunk, each from its checkpoint. */
  async function readFiles(count: number): Promise<void> {
    for (let position = 0; position < count; position++) {
      for (;;) {
        await control.waitWhilePaused();
        const scope = new CancellationScope();
        cancelFileRead = () => scope.cancel();
        try {
          const result = await scope.run(() => summarized(files.importHistoryFile, `plays: file ${formatCount(position + 1)} of ${formatCount(count)}`)({ importId, position }));
          counts = result.counts;
          if (result.outcome === 'done') break;
        } catch (failure) {
          if (!isCancellation(failure)) throw failure;
        } finally {
          cancelFileRead = null;
        }
        counts = await summarized(quick.readHistoryImportCounts, 'read counts')({ importId });
      }
      fileProgress.done = position + 1;
      refreshDetails();
    }
  }

  await enter('running');

  // 1. Check every file, writing nothing.
  const checked = await summarized(files.checkHistoryImport, 'check every file (writes nothing)')({ importId });
  fileProgress.total = checked.files;
  if (!checked.ok) {
    error = checked.message;
    await enter('failed');
    log.warn(`history import refused: ${checked.message}`, { accountId, importId });
    await deleteUpload();
    await notify({ accountId, event: 'failed', occasion: `import ${importId}`, what: `history import ${importId}` });
    return status();
  }

  // 2. The plays.
  phase = 'plays';
  await enter(state);
  try {
    await readFiles(checked.files);
  } catch (failure) {
    // Even when the import itself is being cancelled.
    await CancellationScope.nonCancellable(deleteUpload);
    throw failure;
  }
  // Every file is read: resolution and enrichment work from the stored plays only.
  await deleteUpload();

  const loop: StepLoop = {
    accountId,
    control,
    enter,
    setRateLimitedUntil: (ms) => void (rateLimitedUntil = ms),
    took: (result) => {
      counts = result.counts;
      refreshDetails();
    },
  };

  // 3. Resolution: plays are usable already; now every track they name is resolved or marked unresolved.
  phase = 'resolving';
  await enter(state);
  await untilDone(
    () => summarized(resolution.resolveHistoryImportBatch, `resolving tracks · ${formatCount(counts.plays)} plays`)({ importId }),
    `resolving the tracks of imported plays (${importId})`,
    loop,
  );

  // 4. Enrichment: the artists and albums the resolved tracks brought in get their details, so the
  // import leaves no stub behind and is complete only then.
  if (patched(ENRICHMENT_PATCH)) {
    phase = 'enriching';
    await enter(state);
    for (const entity of enrichmentSteps) {
      enriching = entity;
      await untilDone(
        () => summarized(enrichment.enrichHistoryImportBatch, `enriching ${entity}`)({ importId, entity }),
        `enriching the ${entity} of imported plays (${importId})`,
        loop,
      );
    }
    enriching = null;
  }

  phase = 'complete';
  await enter('complete');
  await notify({ accountId, event: 'import_complete', importId });
  log.info(
    `history import complete: ${formatCount(counts.plays)} plays, ${formatCount(counts.duplicates)} duplicates, ` +
      `${formatCount(counts.unresolved)} unresolved, ${formatCount(counts.apiCalls)} Spotify calls`,
    { accountId, importId },
  );
  return status();
}
