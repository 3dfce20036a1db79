import { log } from '@temporalio/activity';
import { deleteImportUpload } from '../../src/history-import/upload-retention.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';

/** Deletes the import's uploaded files once it no longer reads them (its files are read, or it ended). */
export async function deleteHistoryImportUpload(deps: ActivityDeps, input: { importId: string }): Promise<void> {
  if (await deleteImportUpload(deps.db, deps.config.historyImportDir, input.importId, nowOf(deps))) {
    log.info('history import: uploaded files deleted', { importId: input.importId });
  }
}
