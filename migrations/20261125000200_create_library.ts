import type { Knex } from 'knex';

/** What belongs to one account: saves, playlists and their items. Nothing here is hard-deleted by a sync. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_tracks', (t) => {
    t.comment('Liked Songs of an account; removed_at set when the save disappears, cleared if it comes back.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('saved_tracks_account_id_fk');
    t.text('track_id').notNullable().references('id').inTable('tracks').onDelete('RESTRICT').withKeyName('saved_tracks_track_id_fk');
    t.timestamp('added_at', { useTz: true }).notNullable();
    t.timestamp('removed_at', { useTz: true });
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'track_id'], { constraintName: 'saved_tracks_pkey' });
    t.index(['account_id', 'added_at'], 'saved_tracks_account_added_at_idx');
    t.index(['track_id'], 'saved_tracks_track_id_idx');
  });

  await knex.schema.createTable('playlists', (t) => {
    t.comment('Playlists in the library of an account. items_snapshot_id is the snapshot whose items are stored.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('playlists_account_id_fk');
    t.text('id').notNullable();
    t.text('name').notNullable();
    t.text('description');
    t.text('owner_id');
    t.text('owner_name');
    t.boolean('collaborative').notNullable().defaultTo(false);
    t.boolean('public');
    t.text('snapshot_id').notNullable();
    t.integer('total_items').notNullable().defaultTo(0);
    t.jsonb('images');
    t.smallint('list_position').comment('position in the account playlist listing');
    t.text('items_snapshot_id').comment('snapshot of the stored items; null until items are fetched');
    t.boolean('items_accessible').comment('false when Spotify answers 403 for the items (followed playlist in development mode)');
    t.integer('skipped_items').notNullable().defaultTo(0).comment('null, local and episode entries not stored');
    t.timestamp('removed_at', { useTz: true });
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'id'], { constraintName: 'playlists_pkey' });
  });
  await knex.raw('create index playlists_items_pending_idx on playlists (account_id, id) where items_snapshot_id is distinct from snapshot_id and removed_at is null');

  await knex.schema.createTable('playlist_items', (t) => {
    t.comment('Tracks of a playlist at its stored snapshot, in order.');
    t.text('account_id').notNullable();
    t.text('playlist_id').notNullable();
    t.integer('position').notNullable();
    t.text('track_id').notNullable().references('id').inTable('tracks').onDelete('RESTRICT').withKeyName('playlist_items_track_id_fk');
    t.timestamp('added_at', { useTz: true });
    t.text('added_by');
    t.primary(['account_id', 'playlist_id', 'position'], { constraintName: 'playlist_items_pkey' });
    t.foreign(['account_id', 'playlist_id'], 'playlist_items_playlist_fk').references(['account_id', 'id']).inTable('playlists').onDelete('CASCADE');
    t.index(['track_id'], 'playlist_items_track_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('playlist_items');
  await knex.schema.dropTable('playlists');
  await knex.schema.dropTable('saved_tracks');
}
