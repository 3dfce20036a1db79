import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollbackAll } from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const expectedTables = [
  'accounts',
  'tracks',
  'artists',
  'albums',
  'track_artists',
  'album_artists',
  'saved_tracks',
  'playlists',
  'playlist_items',
  'play_history',
  'playback_gaps',
  'sync_state',
  'sync_history',
  'incremental_runs',
  'spotify_calls',
  'history_imports',
  'history_import_files',
  'spotify_app_limits',
  'spotify_app_quota',
  'unknown_tracks',
  'notifications',
  'notification_deliveries',
  'sessions',
  'personal_tokens',
  'invitations',
  'audit_events',
  'play_rollup_days',
  'play_rollup_tracks',
  'play_rollup_artists',
  'play_rollup_track_totals',
  'play_rollup_artist_totals',
  'shows',
  'episodes',
  'audiobooks',
  'saved_albums',
  'followed_artists',
  'saved_shows',
  'saved_episodes',
  'saved_audiobooks',
  'playlist_versions',
  'library_changes',
  'restores',
  'play_rollup_hours',
  'play_rollup_month_hours',
  'play_rollup_year_hours',
  'play_rollup_albums',
  'play_rollup_album_totals',
  'play_rollup_track_years',
  'play_rollup_artist_years',
  'play_rollup_album_years',
  'play_rollup_artist_firsts',
  'play_rollup_library',
  'play_history_generations',
];

async function tables(t: TestDatabase): Promise<string[]> {
  const rows = await t.db('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).whereNot('table_name', 'like', 'knex_%').pluck('table_name');
  return (rows as string[]).sort();
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => t?.drop());

  it('create every table of the design, undo them all, and apply again', async () => {
    await migrateLatest(t.db);
    expect(await tables(t)).toEqual([...expectedTables].sort());

    await migrateRollbackAll(t.db);
    expect(await tables(t)).toEqual([]);

    await migrateLatest(t.db);
    expect(await tables(t)).toEqual([...expectedTables].sort());
  });

  it('comments every table', async () => {
    const rows = await t.db.raw(`
      select c.relname as table, obj_description(c.oid) as comment
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'knex_%'`);
    const missing = (rows.rows as { table: string; comment: string | null }[]).filter((r) => !r.comment).map((r) => r.table);
    expect(missing).toEqual([]);
  });

  it('keeps sync_state unique per account, entity type and phase', async () => {
    await t.db('accounts').insert({ id: 'acc', spotify_user_id: 'u', refresh_token_encrypted: 'x' });
    await t.db('sync_state').insert({ account_id: 'acc', entity_type: 'tracks', phase: 'initial' });
    await expect(t.db('sync_state').insert({ account_id: 'acc', entity_type: 'tracks', phase: 'initial' })).rejects.toThrow(/sync_state_account_entity_phase_key/);
  });

  it('keeps plays of every source, marking those under 30 s as short', async () => {
    await t.db('accounts').insert({ id: 'acc2', spotify_user_id: 'u2', refresh_token_encrypted: 'x' }).onConflict('id').ignore();
    // Rows as the schema takes them (not the application's row types): a bad source must reach the database.
    await t.db<Record<string, unknown>>('play_history').insert([
      { account_id: 'acc2', played_at: '2026-01-01T10:00:00Z', track_id: null, source: 'extended_export', ms_played: 12_000, track_name: 'Gone', artist_name: 'Nobody' },
      { account_id: 'acc2', played_at: '2026-01-01T11:00:00Z', track_id: null, source: 'account_export', ms_played: 200_000, track_name: 'Long', artist_name: 'Somebody' },
    ]);
    const rows = await t.db('play_history').where({ account_id: 'acc2' }).orderBy('played_at').select('source', 'content_type', 'is_short');
    expect(rows).toEqual([
      { source: 'extended_export', content_type: 'track', is_short: true },
      { source: 'account_export', content_type: 'track', is_short: false },
    ]);
    await expect(t.db<Record<string, unknown>>('play_history').insert({ account_id: 'acc2', played_at: '2026-01-01T12:00:00Z', source: 'radio' })).rejects.toThrow(
      /play_history_source_check/,
    );
  });

  it('searches names without case or accents, through a trigram index', async () => {
    const key = await t.db.raw(`select library_search_key('Beyoncé SIGUR Rós Ñandú') as k`);
    expect(key.rows[0].k).toBe('beyonce sigur ros nandu');
    const indexes = await t.db('pg_indexes').whereIn('indexname', ['tracks_name_search_idx', 'artists_name_search_idx', 'albums_name_search_idx']).pluck('indexname');
    expect((indexes as string[]).sort()).toEqual(['albums_name_search_idx', 'artists_name_search_idx', 'tracks_name_search_idx']);
  });
});
