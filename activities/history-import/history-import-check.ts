import type { HistoryImportFileRow } from '../../src/db/rows.js';
import { ExportInputError } from '../../src/history-import/export-files.js';
import { entryUsername, exportEntryToPlay } from './export-entry.js';
import { fileReadHeartbeat } from './file-read-progress.js';
import { loadImport } from './history-import-row.js';
import { readExportEntries } from './read-export-entries.js';
import type { ActivityDeps } from '../shared/deps.js';

export type CheckResult = { ok: true; files: number; entries: number } | { ok: false; files: number; message: string };

/**
 * Reads every file of the import once, writing no plays: damaged or truncated JSON, entries of the wrong
 * shape and another account's export are found before anything is stored, so bad input changes nothing.
 */
export async function checkHistoryImport(deps: ActivityDeps, input: { importId: string }): Promise<CheckResult> {
  const row = await loadImport(deps.db, input.importId);
  const account = await deps.db('accounts').where({ id: row.account_id }).first('spotify_user_id');
  const files = (await deps.db('history_import_files').where({ import_id: input.importId }).orderBy('position')) as HistoryImportFileRow[];
  const now = Date.now();
  const beat = fileReadHeartbeat();
  let entries = 0;
  try {
    for (const file of files) {
      let count = 0;
      for await (const entry of readExportEntries({ path: file.path, zipEntry: file.zip_entry, name: file.name })) {
        const outcome = exportEntryToPlay(file.kind, entry.value, now);
        if ('invalid' in outcome) {
          return {
            ok: false,
            files: files.length,
            message: `${file.name}, entry ${entry.index + 1}: ${outcome.invalid}; nothing was imported: import the other files without this one, or the export as Spotify sent it`,
          };
        }
        const username = entryUsername(entry.value);
        if (username !== null && account && username !== account.spotify_user_id) {
          return {
            ok: false,
            files: files.length,
            message: `${file.name} is the export of another Spotify account (its username is not this account's); nothing was imported: import it into the account it belongs to`,
          };
        }
        count++;
        beat({ checking: file.position, entries: count, bytes: entry.bytesRead });
      }
      entries += count;
      await deps.db('history_import_files').where({ import_id: input.importId, position: file.position }).update({ entries_total: count });
    }
  } catch (error) {
    if (error instanceof ExportInputError) return { ok: false, files: files.length, message: `${error.message}; nothing was imported` };
    throw error;
  }
  return { ok: true, files: files.length, entries };
}
