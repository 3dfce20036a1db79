import type { HistoryImportCounts, HistoryImportPhase, HistoryImportState } from '../../workflows/contract.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { countsOf, loadImport, writeImportState } from '../store/history-imports-store.js';

/** The import's counts and state as activities: what the status API and page read (Postgres only). */

export async function readHistoryImportCounts(deps: ActivityDeps, input: { importId: string }): Promise<HistoryImportCounts> {
  return countsOf(await loadImport(deps.db, input.importId));
}

/** The import's state as the status API and page show it (they read Postgres only). */
export async function recordHistoryImportState(
  deps: ActivityDeps,
  input: { importId: string; state: HistoryImportState; phase: HistoryImportPhase; error: string | null },
): Promise<void> {
  await writeImportState(deps.db, input.importId, { state: input.state, phase: input.phase, error: input.error, now: nowOf(deps) });
}
