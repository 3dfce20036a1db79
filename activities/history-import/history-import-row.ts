import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { HistoryImportRow } from '../../src/db/rows.js';
import type { HistoryImportCounts, HistoryImportPhase, HistoryImportState } from '../../workflows/contract.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';

/** The import's row bookkeeping: its counts and its state, as the status API and page read them. */

export async function loadImport(db: Knex, importId: string): Promise<HistoryImportRow> {
  const row = (await db('history_imports').where({ id: importId }).first()) as HistoryImportRow | undefined;
  if (!row) throw ApplicationFailure.nonRetryable(`no history import ${importId}`, 'HistoryImportMissing');
  return row;
}

export function countsOf(row: HistoryImportRow): HistoryImportCounts {
  return { plays: row.plays, duplicates: row.duplicates, skipped: row.skipped, unresolved: row.unresolved, resolved: row.resolved, apiCalls: row.api_calls };
}

export async function readHistoryImportCounts(deps: ActivityDeps, input: { importId: string }): Promise<HistoryImportCounts> {
  return countsOf(await loadImport(deps.db, input.importId));
}

/** The import's state as the status API and page show it (they read Postgres only). */
export async function recordHistoryImportState(
  deps: ActivityDeps,
  input: { importId: string; state: HistoryImportState; phase: HistoryImportPhase; error: string | null },
): Promise<void> {
  const now = nowOf(deps);
  await deps.db('history_imports')
    .where({ id: input.importId })
    .update({ state: input.state, phase: input.phase, error_message: input.error, updated_at: now, completed_at: input.state === 'complete' ? now : null });
}

/** Recounts what the import's plays came to (resolved, unresolved) after a resolution step. */
export async function recountResolution(trx: Knex | Knex.Transaction, importId: string, apiCalls: number): Promise<HistoryImportCounts> {
  const totals = await trx('play_history')
    .where({ import_id: importId, content_type: 'track' })
    .select(
      trx.raw('count(*) filter (where unresolved_reason is not null)::int as unresolved'),
      trx.raw('count(*) filter (where track_id is not null)::int as resolved'),
    )
    .first();
  const [updated] = await trx('history_imports')
    .where({ id: importId })
    .update({ unresolved: totals.unresolved, resolved: totals.resolved, api_calls: trx.raw('api_calls + ?', [apiCalls]), updated_at: new Date() })
    .returning('*');
  return countsOf(updated as HistoryImportRow);
}
