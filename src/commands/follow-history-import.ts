import type { Db } from '../db/connect.js';
import { readHistoryImport, type HistoryImportSummary } from '../status/read-history-import.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** One line of an import's progress, as `import-history` prints it while it runs. */
export function describeImportProgress(s: HistoryImportSummary): string {
  const entries = s.entries.total === null ? `${count(s.entries.done)} entries` : `${count(s.entries.done)}/${count(s.entries.total)} entries`;
  const parts = [`${s.state === 'running' ? s.phase : s.state.replace('_', ' ')}`, `files ${s.files.done}/${s.files.total}`, entries, `${count(s.plays)} plays`];
  if (s.phase === 'resolving' || s.phase === 'enriching' || s.apiCalls > 0) parts.push(`${count(s.apiCalls)} Spotify calls`);
  return parts.join(' · ');
}

/** The counts an import ended with, as `import-history`'s last line. */
export function describeImportOutcome(s: HistoryImportSummary): string {
  if (s.state === 'failed') return `import failed: ${s.error ?? 'no reason recorded'}`;
  return (
    `import ${s.state}: ${count(s.plays)} plays stored, ${count(s.duplicates)} duplicates, ${count(s.skipped)} skipped, ` +
    `${count(s.resolved)} resolved, ${count(s.unresolved)} unresolved, ${count(s.apiCalls)} Spotify calls`
  );
}

/**
 * Follows an import from Postgres (as the status page does) until it is complete or failed, or `stop`
 * settles; prints a line whenever its progress changes. Returns where it stands.
 */
export async function followHistoryImport(
  db: Db,
  importId: string,
  options: { print: (line: string) => void; intervalMs?: number; stop: Promise<unknown> },
): Promise<HistoryImportSummary> {
  let stopped = false;
  void options.stop.then(() => (stopped = true));
  let last = '';
  for (;;) {
    const summary = await readHistoryImport(db, importId);
    if (!summary) throw new Error(`import ${importId} is gone (its account was reset or removed)`);
    const line = describeImportProgress(summary);
    if (line !== last) options.print(line);
    last = line;
    if (summary.state === 'complete' || summary.state === 'failed' || stopped) return summary;
    await Promise.race([options.stop, new Promise((r) => setTimeout(r, options.intervalMs ?? 1_000))]);
  }
}
