import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connect.js';
import { historyImportWorkflowId } from '../ids.js';
import { startHistoryImportWorkflow, type WorkflowControlDeps } from '../temporal/workflow-control.js';
import { ExportInputError, readExportContents } from './export-files.js';

export interface StartHistoryImportDeps {
  db: Db;
  workflows: () => Promise<WorkflowControlDeps>;
}

export interface StartedHistoryImport {
  importId: string;
  workflowId: string;
  files: { name: string; kind: string; sizeBytes: number }[];
  ignored: string[];
}

/**
 * Starts an import of the given zip, folder or files for an account: checks what can be checked at once
 * (a zip or JSON at all, paths inside the zip, no zip bomb, the export's owner), records the import and
 * its files, and starts historyImportWorkflow. Bad input throws ExportInputError and records nothing.
 */
export async function startHistoryImport(
  deps: StartHistoryImportDeps,
  input: {
    accountId: string;
    paths: readonly string[];
    sourceDir: string;
    heartbeatTimeoutSeconds?: number;
    /** The files are an upload in sourceDir (under HISTORY_IMPORT_DIR), deleted once the import has read them. */
    uploaded?: boolean;
  },
): Promise<StartedHistoryImport> {
  const account = await deps.db('accounts').where({ id: input.accountId }).first('id', 'spotify_user_id');
  if (!account) throw new ExportInputError(`no account ${input.accountId}: connect it first`);
  const contents = await readExportContents(input.paths);
  if (contents.username !== null && contents.username !== account.spotify_user_id) {
    throw new ExportInputError("this is the data export of another Spotify account (its username is not this account's); nothing was imported");
  }
  const importId = randomUUID();
  await deps.db.transaction(async (trx) => {
    await trx('history_imports').insert({
      id: importId,
      account_id: input.accountId,
      source_dir: input.sourceDir,
      uploaded: input.uploaded ?? false,
      // As JSON text: pg would send a JS array as a Postgres array.
      ignored_files: trx.raw<string[]>('?::jsonb', [JSON.stringify(contents.ignored)]),
    });
    await trx('history_import_files').insert(
      contents.files.map((f, position) => ({
        import_id: importId,
        position,
        name: f.name,
        kind: f.kind,
        path: f.path,
        zip_entry: f.zipEntry,
        size_bytes: f.sizeBytes,
      })),
    );
  });
  const workflowId = historyImportWorkflowId(input.accountId, importId);
  try {
    await startHistoryImportWorkflow(await deps.workflows(), { accountId: input.accountId, importId, heartbeatTimeoutSeconds: input.heartbeatTimeoutSeconds });
  } catch (error) {
    // Not started: leave no import behind that nothing would ever run.
    await deps.db('history_imports').where({ id: importId }).delete();
    throw error;
  }
  return {
    importId,
    workflowId,
    files: contents.files.map((f) => ({ name: f.name, kind: f.kind, sizeBytes: f.sizeBytes })),
    ignored: contents.ignored,
  };
}
