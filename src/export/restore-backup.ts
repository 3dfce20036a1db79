import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { accountProfileColumns, backupFormatVersion, backupSections, omittedColumns, type BackupSection } from './backup.js';

const rowSchema = z.record(z.string(), z.unknown());

export const backupSchema = z.object({
  formatVersion: z.literal(backupFormatVersion, { error: `formatVersion must be ${backupFormatVersion} (this version reads backups of format ${backupFormatVersion})` }),
  exportedAt: z.string(),
  account: z.object({ id: z.string().min(1), spotify_user_id: z.string().min(1) }).catchall(z.unknown()),
  ...Object.fromEntries(backupSections.map((s) => [s, z.array(rowSchema)])),
});

export type Backup = z.infer<typeof backupSchema> & Record<BackupSection, Record<string, unknown>[]>;

export class BackupRestoreError extends Error {
  override name = 'BackupRestoreError';
}

/** Catalog rows are shared between accounts: those already present stay as they are. */
const catalogSections = new Set<BackupSection>(['artists', 'albums', 'album_artists', 'tracks', 'track_artists']);
const conflictKeys: Record<BackupSection, string[]> = {
  artists: ['id'],
  albums: ['id'],
  album_artists: ['album_id', 'position'],
  tracks: ['id'],
  track_artists: ['track_id', 'position'],
  saved_tracks: ['account_id', 'track_id'],
  playlists: ['account_id', 'id'],
  playlist_items: ['account_id', 'playlist_id', 'position'],
  play_history: ['account_id', 'played_at'],
  playback_gaps: ['id'],
};

export function parseBackup(text: string): Backup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupRestoreError(`The file is not JSON: ${(error as Error).message}`);
  }
  const result = backupSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new BackupRestoreError(`Not a spotify-sync backup: ${issue.path.join('.') || 'document'}: ${issue.message}`);
  }
  return result.data as Backup;
}

/**
 * Restores a backup into a database that does not hold its account yet (moving machines): every row
 * as it was, in one transaction, so a failed restore leaves nothing behind. The account comes back
 * without tokens (a backup never holds them): log in again to resume syncing.
 */
export async function restoreBackup(db: Db, backup: Backup): Promise<{ accountId: string; rows: Record<BackupSection, number> }> {
  const accountId = backup.account.id;
  const rows = Object.fromEntries(backupSections.map((s) => [s, 0])) as Record<BackupSection, number>;
  await db.transaction(async (trx) => {
    if (await trx('accounts').where('id', accountId).first('id')) {
      throw new BackupRestoreError(`Account "${accountId}" is already in this database; restore into an empty database (or remove the account first)`);
    }
    const jsonColumns = new Map<string, Set<string>>();
    for (const r of (await trx('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereIn('data_type', ['json', 'jsonb'])
      .select('table_name', 'column_name')) as { table_name: string; column_name: string }[]) {
      if (!jsonColumns.has(r.table_name)) jsonColumns.set(r.table_name, new Set());
      jsonColumns.get(r.table_name)!.add(r.column_name);
    }

    const profile = Object.fromEntries(accountProfileColumns.filter((c) => c in backup.account).map((c) => [c, backup.account[c]]));
    await trx('accounts').insert({
      ...profile,
      refresh_token_encrypted: '',
      needs_reauth: true,
      sync_state: 'needs_reauth',
    });

    for (const section of backupSections) {
      const skip = new Set(omittedColumns[section] ?? []);
      const json = jsonColumns.get(section) ?? new Set<string>();
      const sectionRows = backup[section].map((row) => {
        if (!catalogSections.has(section) && row.account_id !== undefined && row.account_id !== accountId) {
          throw new BackupRestoreError(`${section}: a row of another account ("${String(row.account_id)}")`);
        }
        // pg would send a JS array as a Postgres array; json(b) columns need the JSON text.
        return Object.fromEntries(
          Object.entries(row)
            .filter(([column]) => !skip.has(column))
            .map(([column, value]) => [column, json.has(column) && value !== null ? JSON.stringify(value) : value]),
        );
      });
      for (let i = 0; i < sectionRows.length; i += 1000) {
        const chunk = sectionRows.slice(i, i + 1000);
        const insert = trx(section).insert(chunk);
        if (catalogSections.has(section)) await insert.onConflict(conflictKeys[section]).ignore();
        else await insert;
      }
      rows[section] = sectionRows.length;
    }
    // Restored ids of playback_gaps must not collide with the ones the sequence hands out next.
    await trx.raw(`select setval(pg_get_serial_sequence('playback_gaps', 'id'), greatest((select max(id) from playback_gaps), 1))`);
  });
  return { accountId, rows };
}
