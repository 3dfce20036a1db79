import { ApplicationFailure, log } from '@temporalio/activity';
import type { HistoryImportCounts } from '../../workflows/contract.js';
import { exportEntryToPlay } from './export-entry.js';
import { fileReadCancelled, fileReadHeartbeat } from './file-read-progress.js';
import { countsOf, loadImport, loadImportFile } from '../store/history-imports-store.js';
import { readExportEntries } from './read-export-entries.js';
import { storeImportChunk } from '../store/import-chunk.js';
import type { PlayInput } from '../store/play-input.js';
import type { ActivityDeps } from '../shared/deps.js';
import type { HistoryImportFileRow } from '../../src/db/rows.js';
import { unlessItFailsEveryTime } from './unretryable.js';

/** Entries committed per transaction, with their file's checkpoint. */
export const IMPORT_CHUNK_ENTRIES = 1_000;

export interface FileResult {
  outcome: 'done' | 'paused';
  counts: HistoryImportCounts;
}

/**
 * Reads one file from its checkpoint to the end, committing every IMPORT_CHUNK_ENTRIES entries with the
 * checkpoint in one transaction. A cancellation (pause) stops it after the chunk in hand is committed; a
 * crash loses at most that chunk's work, which the next attempt reads again from the checkpoint.
 */
export async function importHistoryFile(deps: ActivityDeps, input: { importId: string; position: number }): Promise<FileResult> {
  let fileName: string | null = null;
  return unlessItFailsEveryTime(deps, { importId: input.importId, phase: 'plays', file: () => fileName }, async () => {
    const file = await loadImportFile(deps.db, input.importId, input.position);
    fileName = file.name;
    return readFileFromCheckpoint(deps, input, file);
  });
}

async function readFileFromCheckpoint(deps: ActivityDeps, input: { importId: string; position: number }, file: HistoryImportFileRow): Promise<FileResult> {
  const row = await loadImport(deps.db, input.importId);
  if (file.is_complete) return { outcome: 'done', counts: countsOf(row) };
  const now = Date.now();
  const beat = fileReadHeartbeat();
  let from = file.entries_done;
  let plays: PlayInput[] = [];
  let skipped = 0;
  let refused: string[] = [];
  let next = from;

  const commit = (complete: boolean): Promise<HistoryImportCounts> =>
    storeImportChunk(deps.db, {
      importId: input.importId,
      accountId: row.account_id,
      position: input.position,
      fileName: file.name,
      from,
      next,
      plays,
      skipped,
      refused,
      complete,
    });

  let counts = countsOf(row);
  for await (const entry of readExportEntries({ path: file.path, zipEntry: file.zip_entry, name: file.name })) {
    if (entry.index < from) continue;
    const outcome = exportEntryToPlay(file.kind, entry.value, now);
    if ('invalid' in outcome) throw ApplicationFailure.nonRetryable(`${file.name}, entry ${entry.index + 1}: ${outcome.invalid}`, 'HistoryImportInvalidEntry');
    if ('skip' in outcome) skipped++;
    else if ('refused' in outcome) refused.push(`${file.name}, entry ${entry.index + 1}: ${outcome.refused}`);
    else plays.push({ ...outcome.play, importId: input.importId });
    next = entry.index + 1;
    if (next - from >= IMPORT_CHUNK_ENTRIES) {
      counts = await commit(false);
      from = next;
      plays = [];
      skipped = 0;
      refused = [];
      beat({ position: input.position, entriesDone: next, bytes: entry.bytesRead });
      if (fileReadCancelled()) {
        log.info('history import file paused at its checkpoint', { importId: input.importId, file: file.name, entriesDone: next });
        return { outcome: 'paused', counts };
      }
    }
  }
  counts = await commit(true);
  return { outcome: 'done', counts };
}
