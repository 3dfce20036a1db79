import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { accountProfileColumns, backupSections, omittedColumns, type BackupSection } from './backup.js';
import { BackupRestoreError, type BackupHeader, type BackupPart } from './read-backup.js';

/** Catalog rows are shared between accounts: those already present stay as they are. */
const catalogSections = new Set<BackupSection>(['artists', 'albums', 'album_artists', 'tracks', 'track_artists', 'shows', 'episodes', 'audiobooks']);
const conflictKeys: Partial<Record<BackupSection, string[]>> = {
  shows: ['id'],
  episodes: ['id'],
  audiobooks: ['id'],
  artists: ['id'],
  albums: ['id'],
  album_artists: ['album_id', 'position'],
  tracks: ['id'],
  track_artists: ['track_id', 'position'],
};

/** The columns of json/jsonb type per table: pg would send a JS array as a Postgres array. */
async function jsonColumnsOf(trx: Knex.Transaction): Promise<Map<string, Set<string>>> {
  const jsonColumns = new Map<string, Set<string>>();
  for (const r of (await trx('information_schema.columns').where({ table_schema: 'public' }).whereIn('data_type', ['json', 'jsonb']).select('table_name', 'column_name')) as {
    table_name: string;
    column_name: string;
  }[]) {
    if (!jsonColumns.has(r.table_name)) jsonColumns.set(r.table_name, new Set());
    jsonColumns.get(r.table_name)!.add(r.column_name);
  }
  return jsonColumns;
}

async function insertAccount(trx: Knex.Transaction, header: BackupHeader): Promise<void> {
  const accountId = header.account.id;
  if (await trx('accounts').where('id', accountId).first('id')) {
    throw new BackupRestoreError(`Account "${accountId}" is already in this database; restore into an empty database (or remove the account first)`);
  }
  const profile = Object.fromEntries(accountProfileColumns.filter((c) => c in header.account).map((c) => [c, header.account[c]]));
  await trx('accounts').insert({ ...profile, refresh_token_encrypted: '', needs_reauth: true, sync_state: 'needs_reauth' });
}

/**
 * Restores a backup, read part by part (`readBackup`: the header, then each table's rows in chunks),
 * into a database that does not hold its account yet (moving machines): every row as it was, in one
 * transaction, so a failed restore, or a file found damaged half way, leaves nothing behind. The
 * account comes back without tokens (a backup never holds them): log in again to resume syncing.
 */
export async function restoreBackup(db: Db, parts: AsyncIterable<BackupPart>): Promise<{ accountId: string; rows: Record<BackupSection, number> }> {
  const rows = Object.fromEntries(backupSections.map((s) => [s, 0])) as Record<BackupSection, number>;
  let accountId: string | undefined;
  await db.transaction(async (trx) => {
    const jsonColumns = await jsonColumnsOf(trx);
    for await (const part of parts) {
      if (part.kind === 'header') {
        await insertAccount(trx, part.header);
        accountId = part.header.account.id;
        continue;
      }
      const { section } = part;
      const skip = new Set(omittedColumns[section] ?? []);
      const json = jsonColumns.get(section) ?? new Set<string>();
      const chunk = part.rows.map((row) => {
        if (!catalogSections.has(section) && row.account_id !== undefined && row.account_id !== accountId) {
          throw new BackupRestoreError(`${section}: a row of another account ("${String(row.account_id)}")`);
        }
        return Object.fromEntries(
          Object.entries(row)
            .filter(([column]) => !skip.has(column))
            .map(([column, value]) => [column, json.has(column) && value !== null ? JSON.stringify(value) : value]),
        );
      });
      const keys = conflictKeys[section];
      if (keys) await trx(section).insert(chunk).onConflict(keys).ignore();
      else await trx(section).insert(chunk);
      rows[section] += chunk.length;
    }
    // Restored ids of playback_gaps must not collide with the ones the sequence hands out next.
    await trx.raw(`select setval(pg_get_serial_sequence('playback_gaps', 'id'), greatest((select max(id) from playback_gaps), 1))`);
  });
  return { accountId: accountId!, rows };
}
