import { readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Knex } from 'knex';

/**
 * Uploaded exports hold far more than plays (Userdata, Identity, Payments, SearchQueries, Inferences,
 * the extended history's `ip_addr`): they are kept only while an import reads them. The import deletes
 * its upload as soon as it has read every file, or is refused, or fails; an upload left behind by a
 * crash (the API's during an upload, a worker's that never came back) is deleted once it is older than
 * this, unless an import still reading it is paused.
 */
export const UPLOAD_RETENTION_MS = 24 * 3_600_000;

/** Whether `path` lies inside `dir` (never `dir` itself, never outside it). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Deletes an import's uploaded files (the folder of its upload under HISTORY_IMPORT_DIR), once. Files
 * the import did not receive as an upload (a folder or zip named on the command line) are the user's
 * and are never touched. Returns whether anything was deleted.
 */
export async function deleteImportUpload(db: Knex, historyImportDir: string, importId: string, now: Date): Promise<boolean> {
  const row = (await db('history_imports').where({ id: importId }).first('uploaded', 'source_dir', 'files_deleted_at')) as
    { uploaded: boolean; source_dir: string; files_deleted_at: Date | null } | undefined;
  if (!row?.uploaded || row.files_deleted_at !== null || !isInside(historyImportDir, row.source_dir)) return false;
  await rm(row.source_dir, { recursive: true, force: true });
  await db('history_imports').where({ id: importId }).update({ files_deleted_at: now });
  return true;
}

/**
 * Deletes every upload folder under HISTORY_IMPORT_DIR older than UPLOAD_RETENTION_MS that no import is
 * still reading (an import reading its files moves on every chunk, or waits paused). Returns the
 * folders deleted.
 */
export async function sweepStaleUploads(db: Knex, historyImportDir: string, now: Date): Promise<string[]> {
  const root = resolve(historyImportDir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const cutoff = new Date(now.getTime() - UPLOAD_RETENTION_MS);
  const reading = new Set(
    (
      (await db('history_imports')
        .whereIn('phase', ['checking', 'plays'])
        .whereNotIn('state', ['complete', 'failed'])
        .where((q) => q.where('state', 'paused').orWhere('updated_at', '>', cutoff))
        .pluck('source_dir')) as string[]
    ).map((d) => resolve(d)),
  );
  const deleted: string[] = [];
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (reading.has(path)) continue;
    const info = await stat(path).catch(() => null);
    if (!info || info.mtime > cutoff) continue;
    await rm(path, { recursive: true, force: true });
    deleted.push(path);
  }
  if (deleted.length > 0) {
    await db('history_imports').whereIn('source_dir', deleted).where({ uploaded: true }).whereNull('files_deleted_at').update({ files_deleted_at: now });
  }
  return deleted;
}

/** Sweeps stale uploads now and every hour, until stopped (the API process runs it). */
export function startUploadSweeper(db: Knex, historyImportDir: string, warn: (message: string) => void): () => void {
  const sweep = () => void sweepStaleUploads(db, historyImportDir, new Date()).catch((error: unknown) => warn(`old uploads could not be deleted: ${(error as Error).message}`));
  sweep();
  const timer = setInterval(sweep, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
