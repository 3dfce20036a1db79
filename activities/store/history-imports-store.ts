import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { HistoryImportFileRow, HistoryImportRow } from '../../src/db/rows.js';
import type { HistoryImportCounts, HistoryImportPhase, HistoryImportState } from '../../workflows/contract.js';

/** An import's row bookkeeping: its counts, its state and its files, as the status API and page read them. */

export async function loadImport(db: Knex, importId: string): Promise<HistoryImportRow> {
  const row = await db('history_imports').where({ id: importId }).first();
  if (!row) throw ApplicationFailure.nonRetryable(`no history import ${importId}`, 'HistoryImportMissing');
  return row;
}

export function countsOf(row: HistoryImportRow): HistoryImportCounts {
  return { plays: row.plays, duplicates: row.duplicates, skipped: row.skipped, unresolved: row.unresolved, resolved: row.resolved, apiCalls: row.api_calls };
}

/** Sets the import's state and phase (and its error, or none); completed_at when it is complete. */
export async function writeImportState(
  db: Knex,
  importId: string,
  input: { state: HistoryImportState; phase: HistoryImportPhase; error: string | null; now: Date },
): Promise<void> {
  await db('history_imports')
    .where({ id: importId })
    .update({ state: input.state, phase: input.phase, error_message: input.error, updated_at: input.now, completed_at: input.state === 'complete' ? input.now : null });
}

/** Adds Spotify calls spent for the import to its count (in the caller's transaction, or alone). */
export async function addImportApiCalls(db: Knex | Knex.Transaction, importId: string, apiCalls: number): Promise<void> {
  await db('history_imports')
    .where({ id: importId })
    .update({ api_calls: db.raw('api_calls + ?', [apiCalls]), updated_at: new Date() });
}

/** Recounts what the import's plays came to (resolved, unresolved) after a resolution step. */
export async function recountResolution(trx: Knex | Knex.Transaction, importId: string, apiCalls: number): Promise<HistoryImportCounts> {
  const totals = await trx('play_history')
    .where({ import_id: importId, content_type: 'track' })
    .first<{ unresolved: number; resolved: number }>(
      trx.raw('count(*) filter (where unresolved_reason is not null)::int as unresolved'),
      trx.raw('count(*) filter (where track_id is not null)::int as resolved'),
    );
  const [updated] = await trx('history_imports')
    .where({ id: importId })
    .update({ unresolved: totals.unresolved, resolved: totals.resolved, api_calls: trx.raw('api_calls + ?', [apiCalls]), updated_at: new Date() })
    .returning('*');
  return countsOf(updated!);
}

/** The import's files in their order. */
export async function loadImportFiles(db: Knex, importId: string): Promise<HistoryImportFileRow[]> {
  return db('history_import_files').where({ import_id: importId }).orderBy('position');
}

/** One file of the import, by its position. */
export async function loadImportFile(db: Knex, importId: string, position: number): Promise<HistoryImportFileRow> {
  return (await db('history_import_files').where({ import_id: importId, position }).first())!;
}

/** Records how many entries a file holds (counted by the check). */
export async function recordFileEntriesTotal(db: Knex, importId: string, position: number, entries: number): Promise<void> {
  await db('history_import_files').where({ import_id: importId, position }).update({ entries_total: entries });
}
