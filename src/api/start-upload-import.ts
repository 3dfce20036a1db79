import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ExportInputError } from '../history-import/export-files.js';
import { startHistoryImport, type StartedHistoryImport } from '../history-import/start-history-import.js';
import { tokensMatch } from './auth.js';
import { ApiError } from './errors.js';
import { receiveUpload } from './receive-upload.js';
import { resolveControlAccount } from './resolve-account.js';
import type { RouteDeps } from './router.js';

/** Bad input in the export: a 422 with the reason; nothing was stored. */
export const invalidExport = (error: ExportInputError) => new ApiError(422, 'invalid_export', error.message);

/**
 * Starts an import of files on the API's disk (an upload, or the demo export): checks them, records the
 * import and starts its workflow. Removes the files when nothing was started.
 */
export async function startImportOfFiles(
  deps: RouteDeps,
  input: { accountId: string | undefined; paths: string[]; dir: string; discard: () => Promise<void> },
): Promise<StartedHistoryImport> {
  try {
    const accountId = await resolveControlAccount(deps.db, input.accountId);
    return await deps.temporal.run((client) =>
      startHistoryImport({ db: deps.db, workflows: async () => ({ client, config: deps.config }) }, { accountId, paths: input.paths, sourceDir: input.dir }),
    );
  } catch (error) {
    await input.discard();
    if (error instanceof ExportInputError) throw invalidExport(error);
    throw error;
  }
}

/** A new folder for one upload, under HISTORY_IMPORT_DIR (the worker reads the files from there). */
export const uploadDir = (deps: RouteDeps): string => join(resolve(deps.config.historyImportDir), randomUUID());

/**
 * An upload of a page form: the token (when API_TOKEN is set) comes as the form field `apiToken`,
 * since a browser form sends no Authorization header.
 */
export async function startImportFromUpload(deps: RouteDeps, request: Request, options: { tokenField: boolean; accountId?: string }): Promise<StartedHistoryImport> {
  const upload = await receiveUpload(request, uploadDir(deps));
  if (options.tokenField && deps.config.apiToken !== undefined && !tokensMatch(upload.fields.apiToken ?? '', deps.config.apiToken)) {
    await upload.discard();
    throw new ApiError(401, 'invalid_api_token', 'This import needs the API token (the value of API_TOKEN)');
  }
  return startImportOfFiles(deps, { accountId: options.accountId ?? upload.fields.accountId, paths: upload.paths, dir: upload.dir, discard: upload.discard });
}
