import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ExportInputError, UnreadableEntryNameError } from '../history-import/export-files.js';
import { startHistoryImport, type StartedHistoryImport } from '../history-import/start-history-import.js';
import { sweepStaleUploads } from '../history-import/upload-retention.js';
import { ApiError } from './errors.js';
import { receiveUpload } from './receive-upload.js';
import { resolveReadAccount } from './resolve-account.js';
import type { RouteDeps } from './router.js';

/** Bad input in the export: a 422 with the reason (400 for a damaged zip's unreadable names); nothing was stored. */
export const invalidExport = (error: ExportInputError) => new ApiError(error instanceof UnreadableEntryNameError ? 400 : 422, 'invalid_export', error.message);

/**
 * Starts an import of files on the API's disk (an upload, or the demo export): checks them, records the
 * import and starts its workflow. Removes the files when nothing was started.
 */
export async function startImportOfFiles(
  deps: RouteDeps,
  input: { accountId: string | undefined; paths: string[]; dir: string; discard: () => Promise<void> },
): Promise<StartedHistoryImport> {
  try {
    // An import adds to a person's history: their own account only (the owner's reach over status and controls stops here).
    const accountId = await resolveReadAccount(deps.db, input.accountId);
    return await deps.temporal.run((client) =>
      startHistoryImport({ db: deps.db, workflows: async () => ({ client, config: deps.config }) }, { accountId, paths: input.paths, sourceDir: input.dir, uploaded: true }),
    );
  } catch (error) {
    await input.discard();
    if (error instanceof ExportInputError) throw invalidExport(error);
    throw error;
  }
}

/**
 * A new folder for one upload, under HISTORY_IMPORT_DIR (the worker reads the files from there). Uploads
 * a crash left behind are deleted first, once older than the retention.
 */
export async function uploadDir(deps: RouteDeps): Promise<string> {
  try {
    await sweepStaleUploads(deps.db, deps.config.historyImportDir, deps.now());
  } catch (error) {
    deps.logger.warn(`old uploads could not be deleted: ${(error as Error).message}`);
  }
  return join(resolve(deps.config.historyImportDir), randomUUID());
}

/** An upload (the API's or the page form's): its files streamed to disk, then the import started. */
export async function startImportFromUpload(deps: RouteDeps, request: Request, options: { accountId?: string }): Promise<StartedHistoryImport> {
  const upload = await receiveUpload(request, await uploadDir(deps));
  return startImportOfFiles(deps, { accountId: options.accountId ?? upload.fields.accountId, paths: upload.paths, dir: upload.dir, discard: upload.discard });
}
