import type { Knex } from 'knex';
import type { HistoryImportCounts } from '../../workflows/contract.js';
import { countsOf } from './history-imports-store.js';
import { insertPlaysOnce } from './plays-once.js';
import type { PlayInput } from './play-input.js';

/** One chunk of an import's file: its plays, what it skipped, and the checkpoint it moves from and to. */
export interface ImportChunk {
  importId: string;
  accountId: string;
  position: number;
  /** The file's name, for the error when the checkpoint moved. */
  fileName: string;
  from: number;
  next: number;
  plays: PlayInput[];
  skipped: number;
  /** Entries refused alone, each as "file, entry N: reason" (never the entry's content). */
  refused: string[];
  complete: boolean;
}

/** Refusals kept with their reason per import; the count goes on beyond them. */
export const KEPT_REFUSAL_REASONS = 20;

/**
 * Stores one chunk in one transaction: its plays (once each), the file's checkpoint moved from `from` to
 * `next`, and the counts of the file and of the import. Returns the import's counts after it.
 */
export function storeImportChunk(db: Knex, chunk: ImportChunk): Promise<HistoryImportCounts> {
  const key = { import_id: chunk.importId, position: chunk.position };
  return db.transaction(async (trx) => {
    const { inserted, duplicates } = await insertPlaysOnce(trx, chunk.accountId, chunk.plays);
    const moved = await trx('history_import_files')
      .where({ ...key, entries_done: chunk.from })
      .update({
        entries_done: chunk.next,
        plays: trx.raw('plays + ?', [inserted]),
        duplicates: trx.raw('duplicates + ?', [duplicates]),
        skipped: trx.raw('skipped + ?', [chunk.skipped]),
        refused: trx.raw('refused + ?', [chunk.refused.length]),
        is_complete: chunk.complete,
      });
    // Another attempt (one Temporal gave up on, still running) moved the checkpoint: its work stands.
    if (moved !== 1) throw new Error(`the checkpoint of ${chunk.fileName} moved under this attempt; reading again from the stored checkpoint`);
    const [updated] = await trx('history_imports')
      .where({ id: chunk.importId })
      .update({
        plays: trx.raw('plays + ?', [inserted]),
        duplicates: trx.raw('duplicates + ?', [duplicates]),
        skipped: trx.raw('skipped + ?', [chunk.skipped]),
        refused: trx.raw('refused + ?', [chunk.refused.length]),
        refused_reasons: trx.raw(
          `(select coalesce(jsonb_agg(reason order by n), '[]'::jsonb) from jsonb_array_elements(refused_reasons || ?::jsonb) with ordinality as r(reason, n) where n <= ?)`,
          [JSON.stringify(chunk.refused.slice(0, KEPT_REFUSAL_REASONS)), KEPT_REFUSAL_REASONS],
        ),
        updated_at: new Date(),
      })
      .returning('*');
    return countsOf(updated!);
  });
}
