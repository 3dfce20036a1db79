import type { Db } from '../db/connect.js';
import type { HistoryImportPhase, HistoryImportState } from '../../workflows/contract.js';

export interface HistoryImportSummary {
  importId: string;
  accountId: string;
  state: HistoryImportState;
  phase: HistoryImportPhase;
  files: { done: number; total: number; list: { name: string; kind: string; entries: number | null; done: number; plays: number; complete: boolean }[] };
  ignored: string[];
  plays: number;
  duplicates: number;
  skipped: number;
  /** Entries that cannot be stored (values out of any range), and the first 20 reasons ("file, entry N: reason"). */
  refused: number;
  refusedReasons: string[];
  unresolved: number;
  resolved: number;
  apiCalls: number;
  /** Entries read so far against the entries the files hold (known once they were checked). */
  entries: { done: number; total: number | null };
  error: string | null;
  /** When the uploaded files were deleted (uploads are kept only while the import reads them). */
  filesDeletedAt: string | null;
  createdAt: string;
  completedAt: string | null;
}

/** One import's progress, from Postgres only (the status API and page answer while Temporal is down). */
export async function readHistoryImport(db: Db, importId: string): Promise<HistoryImportSummary | null> {
  const row = await db('history_imports').where({ id: importId }).first();
  if (!row) return null;
  const files = await db('history_import_files').where({ import_id: importId }).orderBy('position');
  const totals = files.map((f) => f.entries_total);
  return {
    importId: row.id,
    accountId: row.account_id,
    state: row.state,
    phase: row.phase,
    files: {
      done: files.filter((f) => f.is_complete).length,
      total: files.length,
      list: files.map((f) => ({ name: f.name, kind: f.kind, entries: f.entries_total, done: f.entries_done, plays: f.plays, complete: f.is_complete })),
    },
    ignored: row.ignored_files,
    plays: row.plays,
    duplicates: row.duplicates,
    skipped: row.skipped,
    refused: row.refused,
    refusedReasons: row.refused_reasons,
    unresolved: row.unresolved,
    resolved: row.resolved,
    apiCalls: row.api_calls,
    entries: {
      done: files.reduce((sum, f) => sum + f.entries_done, 0),
      total: totals.every((t) => t !== null) ? totals.reduce((sum: number, t) => sum + (t ?? 0), 0) : null,
    },
    error: row.error_message,
    filesDeletedAt: row.files_deleted_at ? new Date(row.files_deleted_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  };
}

/** The account's latest import, if it ever had one. */
export async function latestHistoryImport(db: Db, accountId: string): Promise<HistoryImportSummary | null> {
  const row = await db('history_imports').where({ account_id: accountId }).orderBy('created_at', 'desc').first('id');
  return row ? readHistoryImport(db, row.id as string) : null;
}
