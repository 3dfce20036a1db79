import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import Assembler from 'stream-json/assembler.js';
import { parser } from 'stream-json';
import { z } from 'zod';
import { backupFormatVersion, backupSections, collectionSections, readableBackupVersions, type BackupSection } from './backup.js';

export class BackupRestoreError extends Error {
  override name = 'BackupRestoreError';
}

/** What comes before the tables: a backup writes these first (`backupJson`). */
export const backupHeaderSchema = z.object({
  formatVersion: z.union(
    readableBackupVersions.map((v) => z.literal(v)),
    { error: `formatVersion must be one of ${readableBackupVersions.join(', ')} (this version writes format ${backupFormatVersion})` },
  ),
  exportedAt: z.string(),
  account: z.object({ id: z.string().min(1), spotify_user_id: z.string().min(1) }).catchall(z.unknown()),
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

const headerKeys = new Set(Object.keys(backupHeaderSchema.shape));
const rowSchema = z.record(z.string(), z.unknown());

export type BackupPart = { kind: 'header'; header: BackupHeader } | { kind: 'rows'; section: BackupSection; rows: Record<string, unknown>[] };

/** Rows handed to the restore at a time. */
const ROWS_PER_PART = 1_000;

function invalid(path: string, message: string): BackupRestoreError {
  return new BackupRestoreError(`Not a spotify-sync backup: ${path}: ${message}`);
}

/**
 * A backup file read as a stream of JSON tokens: first its header (validated before any table is
 * read), then each table's rows in chunks, in the order `backupJson` writes them (the order a restore
 * inserts them in). Memory holds one chunk of rows, whatever the file's size. Damaged or truncated
 * JSON, a missing or misplaced part, and a row that is not an object end it with a BackupRestoreError.
 */
export async function* readBackup(source: Readable): AsyncGenerator<BackupPart> {
  const tokens = source.pipe(parser.asStream({ streamValues: false }));
  source.once('error', (error) => tokens.destroy(error));
  const header: Record<string, unknown> = {};
  let headerDone = false;
  let depth = 0;
  let key: string | undefined;
  let section: BackupSection | undefined;
  let lastSection = -1;
  let assembler: Assembler | undefined;
  let rows: Record<string, unknown>[] = [];
  const seen = new Set<BackupSection>();

  function* finishHeader(): Generator<BackupPart> {
    if (headerDone) return;
    const result = backupHeaderSchema.safeParse(header);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw invalid(issue.path.join('.') || 'document', issue.message);
    }
    headerDone = true;
    yield { kind: 'header', header: result.data };
  }

  try {
    for await (const token of tokens as AsyncIterable<parser.Token>) {
      if (assembler) {
        assembler.consume(token);
        if (!assembler.done) continue;
        const value = assembler.current as unknown;
        assembler = undefined;
        if (section) {
          const row = rowSchema.safeParse(value);
          if (!row.success) throw invalid(`${section}.${rows.length}`, 'a row must be an object');
          rows.push(row.data);
          if (rows.length >= ROWS_PER_PART) {
            yield { kind: 'rows', section, rows };
            rows = [];
          }
        } else {
          header[key!] = value;
        }
        continue;
      }
      if (depth === 0) {
        if (token.name !== 'startObject') throw invalid('document', 'expected an object');
        depth = 1;
      } else if (depth === 1) {
        if (token.name === 'keyValue') {
          key = token.value;
        } else if (token.name === 'endObject') {
          depth = 0;
        } else if (key !== undefined && (backupSections as readonly string[]).includes(key)) {
          const index = backupSections.indexOf(key as BackupSection);
          if (token.name !== 'startArray') throw invalid(key, 'expected a list of rows');
          if (index <= lastSection) throw invalid(key, `out of order (a backup lists its tables as ${backupSections.join(', ')})`);
          yield* finishHeader();
          section = key as BackupSection;
          lastSection = index;
          seen.add(section);
          depth = 2;
        } else if (key !== undefined && headerKeys.has(key)) {
          if (headerDone) throw invalid(key, 'must come before the tables');
          assembler = new Assembler();
          assembler.consume(token);
          if (assembler.done) {
            header[key] = assembler.current as unknown;
            assembler = undefined;
          }
        } else {
          throw invalid(key ?? 'document', 'not a part of a backup');
        }
      } else if (token.name === 'endArray') {
        if (rows.length > 0) yield { kind: 'rows', section: section!, rows };
        rows = [];
        section = undefined;
        depth = 1;
      } else {
        assembler = new Assembler();
        assembler.consume(token);
        if (assembler.done) throw invalid(`${section!}.${rows.length}`, 'a row must be an object');
      }
    }
  } catch (error) {
    if (error instanceof BackupRestoreError) throw error;
    throw new BackupRestoreError(`The file is not JSON, or it is truncated: ${(error as Error).message ?? String(error)}`);
  } finally {
    source.destroy();
    tokens.destroy();
  }
  if (depth !== 0) throw new BackupRestoreError('The file is truncated: the backup does not end');
  yield* finishHeader();
  // A backup of format 1 predates the collections: it has none of their sections.
  const version = backupHeaderSchema.shape.formatVersion.safeParse(header.formatVersion);
  const required = version.success && version.data === 1 ? backupSections.filter((s) => !collectionSections.includes(s)) : backupSections;
  const missing = required.filter((s) => !seen.has(s));
  if (missing.length > 0) throw invalid(missing[0]!, 'Required');
}

/** `readBackup` over a file; a file that cannot be read says so, and why. */
export async function* readBackupFile(path: string): AsyncGenerator<BackupPart> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new BackupRestoreError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  yield* readBackup(createReadStream(path));
}
