import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';

/**
 * The JSON backup of one account (docs/exports.md, "Backup"): `formatVersion`, when it was made, the
 * account's profile (never its tokens), then one array per table holding the account's rows and the
 * catalog rows they refer to, columns as in the schema. Restored by `import-backup`.
 */
export const backupFormatVersion = 2;

/** Format versions `import-backup` reads: 1 had no collections and kept only the tracks of playlists. */
export const readableBackupVersions = [1, 2] as const;

/** In the order a restore inserts them (foreign keys first). */
export const backupSections = [
  'artists',
  'albums',
  'album_artists',
  'tracks',
  'track_artists',
  'shows',
  'episodes',
  'audiobooks',
  'saved_tracks',
  'saved_albums',
  'followed_artists',
  'saved_shows',
  'saved_episodes',
  'saved_audiobooks',
  'playlists',
  'playlist_items',
  'play_history',
  'playback_gaps',
] as const;
export type BackupSection = (typeof backupSections)[number];

/** The sections of the whole library (format 2): a backup of format 1 has none of them. */
export const collectionSections: readonly BackupSection[] = [
  'shows',
  'episodes',
  'audiobooks',
  'saved_albums',
  'followed_artists',
  'saved_shows',
  'saved_episodes',
  'saved_audiobooks',
];

/**
 * Columns left out of the backup: those Postgres computes itself (`is_short`), and the link of a play to
 * the import run that brought it (`import_id`: bookkeeping of this database, not part of the library).
 */
export const omittedColumns: Partial<Record<BackupSection, string[]>> = { play_history: ['is_short', 'import_id'] };

export const accountProfileColumns = ['id', 'spotify_user_id', 'display_name', 'app_mode', 'connected_at'] as const;

function accountTrackIds(db: Db, accountId: string): Knex.QueryBuilder {
  return db
    .select('track_id')
    .from('saved_tracks')
    .where('account_id', accountId)
    .union((u) => u.select('track_id').from('playlist_items').where('account_id', accountId).whereNotNull('track_id'))
    .union((u) => u.select('track_id').from('play_history').where('account_id', accountId).whereNotNull('track_id'));
}

function accountAlbumIds(db: Db, accountId: string): Knex.QueryBuilder {
  return db('tracks')
    .whereIn('id', accountTrackIds(db, accountId))
    .distinct('album_id')
    .union((u) => u.select('album_id').from('saved_albums').where('account_id', accountId));
}

function accountEpisodeIds(db: Db, accountId: string): Knex.QueryBuilder {
  return db
    .select('episode_id')
    .from('saved_episodes')
    .where('account_id', accountId)
    .union((u) => u.select('episode_id').from('playlist_items').where('account_id', accountId).whereNotNull('episode_id'));
}

function sectionQuery(db: Db, accountId: string, section: BackupSection): Knex.QueryBuilder {
  switch (section) {
    case 'tracks':
      return db('tracks').whereIn('id', accountTrackIds(db, accountId)).orderBy('id');
    case 'albums':
      return db('albums').whereIn('id', accountAlbumIds(db, accountId)).orderBy('id');
    case 'artists':
      return db('artists')
        .whereIn('id', (q) =>
          q
            .select('artist_id')
            .from('track_artists')
            .whereIn('track_id', accountTrackIds(db, accountId))
            .union((u) => u.select('artist_id').from('album_artists').whereIn('album_id', accountAlbumIds(db, accountId)))
            .union((u) => u.select('artist_id').from('followed_artists').where('account_id', accountId)),
        )
        .orderBy('id');
    case 'shows':
      return db('shows')
        .whereIn('id', (q) =>
          q
            .select('show_id')
            .from('saved_shows')
            .where('account_id', accountId)
            .union((u) => u.select('show_id').from('episodes').whereIn('id', accountEpisodeIds(db, accountId)).whereNotNull('show_id')),
        )
        .orderBy('id');
    case 'episodes':
      return db('episodes').whereIn('id', accountEpisodeIds(db, accountId)).orderBy('id');
    case 'audiobooks':
      return db('audiobooks')
        .whereIn('id', (q) => q.select('audiobook_id').from('saved_audiobooks').where('account_id', accountId))
        .orderBy('id');
    case 'saved_albums':
    case 'followed_artists':
    case 'saved_shows':
    case 'saved_episodes':
    case 'saved_audiobooks':
      return db(section)
        .where('account_id', accountId)
        .orderBy(section === 'followed_artists' ? 'followed_at' : 'added_at');
    case 'track_artists':
      return db('track_artists').whereIn('track_id', accountTrackIds(db, accountId)).orderBy(['track_id', 'position']);
    case 'album_artists':
      return db('album_artists').whereIn('album_id', accountAlbumIds(db, accountId)).orderBy(['album_id', 'position']);
    case 'saved_tracks':
      return db('saved_tracks').where('account_id', accountId).orderBy('track_id');
    case 'playlists':
      return db('playlists').where('account_id', accountId).orderBy('id');
    case 'playlist_items':
      return db('playlist_items').where('account_id', accountId).orderBy(['playlist_id', 'position']);
    case 'play_history':
      return db('play_history').where('account_id', accountId).orderBy('played_at');
    case 'playback_gaps':
      return db('playback_gaps').where('account_id', accountId).orderBy('gap_start');
  }
}

/**
 * The backup as text chunks: each table is read as one streamed query and written a row at a time,
 * so memory stays flat whatever the library's size. All of them read one snapshot (a read-only,
 * repeatable-read transaction), so a sync or a poll writing meanwhile cannot leave the sections out of
 * step (a saved track without its track, a play added after the catalog was read).
 */
export async function* backupJson(db: Db, accountId: string, now: Date): AsyncGenerator<string> {
  const snapshot = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    yield* writeSnapshot(snapshot, accountId, now);
  } finally {
    await snapshot.commit();
  }
}

async function* writeSnapshot(db: Db, accountId: string, now: Date): AsyncGenerator<string> {
  const profile = await db('accounts')
    .where('id', accountId)
    .first(accountProfileColumns as unknown as string[]);
  yield `{"formatVersion":${backupFormatVersion},"exportedAt":${JSON.stringify(now.toISOString())},"account":${JSON.stringify(profile ?? null)}`;
  for (const section of backupSections) {
    yield `,${JSON.stringify(section)}:[`;
    const skip = omittedColumns[section] ?? [];
    let first = true;
    let buffered: string[] = [];
    for await (const row of sectionQuery(db, accountId, section).stream() as AsyncIterable<Record<string, unknown>>) {
      for (const column of skip) delete row[column];
      buffered.push((first ? '' : ',') + JSON.stringify(row));
      first = false;
      if (buffered.length >= 500) {
        yield buffered.join('');
        buffered = [];
      }
    }
    if (buffered.length > 0) yield buffered.join('');
    yield ']';
  }
  yield '}\n';
}
