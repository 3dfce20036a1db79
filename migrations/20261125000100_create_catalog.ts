import type { Knex } from 'knex';

/**
 * The catalog: tracks, artists and albums are shared by every account (one Spotify id, one row).
 * `details_synced_at` null marks a stub: known from a track object, full details not fetched yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('artists', (t) => {
    t.comment('Artists; a row with details_synced_at null is a stub awaiting enrichment.');
    t.text('id').primary();
    t.text('name').notNullable();
    t.specificType('genres', 'text[]');
    t.integer('popularity');
    t.integer('followers');
    t.jsonb('images');
    t.timestamp('details_synced_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index artists_stubs_idx on artists (id) where details_synced_at is null');
  await knex.raw('create index artists_details_synced_at_idx on artists (details_synced_at)');

  await knex.schema.createTable('albums', (t) => {
    t.comment('Albums; a row with details_synced_at null is a stub awaiting enrichment.');
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('album_type');
    t.text('release_date');
    t.text('release_date_precision');
    t.integer('total_tracks');
    t.jsonb('images');
    t.text('label');
    t.integer('popularity');
    t.specificType('genres', 'text[]');
    t.timestamp('details_synced_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index albums_stubs_idx on albums (id) where details_synced_at is null');
  await knex.raw('create index albums_details_synced_at_idx on albums (details_synced_at)');

  await knex.schema.createTable('tracks', (t) => {
    t.comment('Tracks, from saved tracks and playlist items; complete as Spotify sends them.');
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('album_id').notNullable().references('id').inTable('albums').onDelete('RESTRICT').withKeyName('tracks_album_id_fk');
    t.integer('duration_ms');
    t.boolean('explicit');
    t.integer('disc_number');
    t.integer('track_number');
    t.integer('popularity');
    t.text('isrc');
    t.text('uri');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['album_id'], 'tracks_album_id_idx');
  });

  await knex.schema.createTable('track_artists', (t) => {
    t.comment('Credited artists of a track, in Spotify order.');
    t.text('track_id').notNullable().references('id').inTable('tracks').onDelete('CASCADE').withKeyName('track_artists_track_id_fk');
    t.text('artist_id').notNullable().references('id').inTable('artists').onDelete('RESTRICT').withKeyName('track_artists_artist_id_fk');
    t.smallint('position').notNullable();
    t.primary(['track_id', 'position'], { constraintName: 'track_artists_pkey' });
    t.index(['artist_id'], 'track_artists_artist_id_idx');
  });

  await knex.schema.createTable('album_artists', (t) => {
    t.comment('Credited artists of an album, in Spotify order.');
    t.text('album_id').notNullable().references('id').inTable('albums').onDelete('CASCADE').withKeyName('album_artists_album_id_fk');
    t.text('artist_id').notNullable().references('id').inTable('artists').onDelete('RESTRICT').withKeyName('album_artists_artist_id_fk');
    t.smallint('position').notNullable();
    t.primary(['album_id', 'position'], { constraintName: 'album_artists_pkey' });
    t.index(['artist_id'], 'album_artists_artist_id_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('album_artists');
  await knex.schema.dropTable('track_artists');
  await knex.schema.dropTable('tracks');
  await knex.schema.dropTable('albums');
  await knex.schema.dropTable('artists');
}
