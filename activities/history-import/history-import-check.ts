import { ExportInputError } from '../../src/history-import/export-files.js';
import { entryUsername, exportEntryToPlay } from './export-entry.js';
import { fileReadHeartbeat } from './file-read-progress.js';
import { loadSpotifyUserId } from '../store/accounts-store.js';
import { loadImport, loadImportFiles, recordFileEntriesTotal } from '../store/history-imports-store.js';
import { readExportEntries } from './read-export-entries.js';
import type { ActivityDeps } from '../shared/deps.js';
import { unlessItFailsEveryTime } from './unretryable.js';

export type CheckResult = { ok: true; files: number; entries: number } | { ok: false; files: number; message: string };

/**
 * Reads every file of the import once, writing no plays: damaged or truncated JSON, entries of the wrong
 * shape and another account's export are found before anything is stored, so bad input changes nothing.
 */
export async function checkHistoryImport(deps: ActivityDeps, input: { importId: string }): Promise<CheckResult> {
  let fileName: string | null = null;
  return unlessItFailsEveryTime(deps, { importId: input.importId, phase: 'checking', file: () => fileName }, () => checkFiles(deps, input, (name) => void (fileName = name)));
}

async function checkFiles(deps: ActivityDeps, input: { importId: string }, reading: (name: string) => void): Promise<CheckResult> {
  const row = await loadImport(deps.db, input.importId);
  const spotifyUserId = await loadSpotifyUserId(deps.db, row.account_id);
  const files = await loadImportFiles(deps.db, input.importId);
  const now = Date.now();
  const beat = fileReadHeartbeat();
  let entries = 0;
  try {
    for (const file of files) {
      reading(file.name);
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
        if (username !== null && spotifyUserId !== undefined && username !== spotifyUserId) {
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
      await recordFileEntriesTotal(deps.db, input.importId, file.position, count);
    }
  } catch (error) {
    if (error instanceof ExportInputError) return { ok: false, files: files.length, message: `${error.message}; nothing was imported` };
    throw error;
  }
  return { ok: true, files: files.length, entries };
}
