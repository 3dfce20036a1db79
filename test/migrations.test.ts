import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollbackAll } from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const expectedTables = [
  'accounts', 'tracks', 'artists', 'albums', 'track_artists', 'album_artists', 'saved_tracks', 'playlists',
  'playlist_items', 'play_history', 'playback_gaps', 'sync_state', 'sync_history', 'incremental_runs', 'spotify_calls',
  'spotify_app_limits',
];

async function tables(t: TestDatabase): Promise<string[]> {
  const rows = await t.db('information_schema.tables')
    .where({ table_schema: 'public', table_type: 'BASE TABLE' })
    .whereNot('table_name', 'like', 'knex_%')
    .pluck('table_name');
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
    await expect(t.db('sync_state').insert({ account_id: 'acc', entity_type: 'tracks', phase: 'initial' })).rejects.toThrow(
      /sync_state_account_entity_phase_key/,
    );
  });
});
