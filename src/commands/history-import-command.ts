import { resolve } from 'node:path';
import { ExportInputError } from '../history-import/export-files.js';
import { startHistoryImport } from '../history-import/start-history-import.js';
import { UsageError, withCommandRuntime } from './runtime.js';

/**
 * `import-history <zip|folder|files...> [--account <id>]`: starts an import of the named files, read in
 * place by the worker (run it where the worker can read them). Prints the import id; follow it with
 * `status` or GET /api/history/imports/<id>.
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
    });
  } catch (error) {
    if (error instanceof ExportInputError) throw new UsageError(error.message);
    throw error;
  }
}
