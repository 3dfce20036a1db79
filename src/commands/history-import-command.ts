import { resolve } from 'node:path';
import { ExportInputError } from '../history-import/export-files.js';
import { startHistoryImport } from '../history-import/start-history-import.js';
import { describeImportOutcome, followHistoryImport } from './follow-history-import.js';
import { untilStopSignal, UsageError, withCommandRuntime } from './runtime.js';

/** The import ran and was refused (a damaged file, another account's export): nothing was stored. */
export class HistoryImportFailed extends Error {}

/**
 * `import-history <zip|folder|files...> [--account <id>]`: starts an import of the named files, read in
 * place by the worker (run it where the worker can read them). Prints the import id on standard output,
 * then follows the import, a line on standard error whenever its progress changes, and ends with its
 * counts. A refused import exits non-zero with the reason. Ctrl-C stops following only: the import goes
 * on in the worker (follow it with `status` or GET /api/history/imports/<id>).
 */
export async function importHistoryCommand(paths: string[], accountFlag: string | undefined): Promise<void> {
  if (paths.length === 0) throw new UsageError('import-history needs the zip, folder or JSON files of a Spotify data export');
  try {
    await withCommandRuntime({ account: accountFlag }, async ({ config, db, account, temporal }) => {
      const accountId = await account();
      const client = await temporal();
      const absolute = paths.map((p) => resolve(p));
      const started = await startHistoryImport({ db, workflows: async () => ({ client, config }) }, { accountId, paths: absolute, sourceDir: resolve('.') });
      console.log(started.importId);
      console.error(
        `importing ${started.files.length} file(s) for ${accountId}: ${started.files.map((f) => f.name).join(', ')}` +
          (started.ignored.length > 0 ? `\nignored (no plays in them): ${started.ignored.join(', ')}` : ''),
      );
      const stop = untilStopSignal();
      const ended = await followHistoryImport(db, started.importId, { print: (line) => console.error(line), stop });
      if (ended.state === 'failed') throw new HistoryImportFailed(describeImportOutcome(ended));
      if (ended.state !== 'complete') console.error(`stopped following; the import goes on in the worker (import ${started.importId})`);
      else console.error(describeImportOutcome(ended));
    });
  } catch (error) {
    if (error instanceof ExportInputError) throw new UsageError(error.message);
    throw error;
  }
}
