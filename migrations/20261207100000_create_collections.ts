import type { Knex } from 'knex';

/**
 * The whole library (DESIGN.md): saved albums, followed artists, saved shows, episodes and audiobooks
 * of an account, soft-deleted like saved tracks; shows, episodes and audiobooks get catalog rows of
 * their own, and an album keeps the track page Spotify embeds in it.
 */
const saves = (knex: Knex, table: string, column: string, catalog: string, comment: string, addedAt: 'added_at' | 'followed_at' = 'added_at') =>
  knex.schema.createTable(table, (t) => {
    t.comment(comment);
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName(`${table}_account_id_fk`);
    t.text(column).notNullable().references('id').inTable(catalog).onDelete('RESTRICT').withKeyName(`${table}_${column}_fk`);
    t.timestamp(addedAt, { useTz: true }).notNullable();
    t.timestamp('removed_at', { useTz: true });
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', column], { constraintName: `${table}_pkey` });
    t.index(['account_id', addedAt], `${table}_account_${addedAt}_idx`);
    t.index([column], `${table}_${column}_idx`);
  });

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('albums', (t) => {
    t.jsonb('tracks_page').comment("the album's first page of tracks as Spotify embeds it (id, name, artists, numbers, duration), stored when it was saved");
  });

  await knex.schema.createTable('shows', (t) => {
    t.comment('Podcast shows, from saved shows and from episodes.');
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('publisher');
    t.text('description');
    t.text('media_type');
    t.boolean('explicit');
    t.integer('total_episodes');
    t.jsonb('images');
    t.text('uri');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('episodes', (t) => {
    t.comment('Podcast episodes, from saved episodes and from playlist entries.');
    t.text('id').primary();
    t.text('show_id').references('id').inTable('shows').onDelete('RESTRICT').withKeyName('episodes_show_id_fk');
    t.text('name').notNullable();
    t.text('description');
    t.integer('duration_ms');
    t.boolean('explicit');
    t.text('release_date');
    t.jsonb('images');
    t.text('uri');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['show_id'], 'episodes_show_id_idx');
  });

  await knex.schema.createTable('audiobooks', (t) => {
    t.comment('Audiobooks, from saved audiobooks.');
    t.text('id').primary();
    t.text('name').notNullable();
    t.specificType('authors', 'text[]');
    t.specificType('narrators', 'text[]');
    t.text('publisher');
    t.text('description');
    t.text('edition');
    t.boolean('explicit');
    t.integer('total_chapters');
    t.jsonb('images');
    t.text('uri');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await saves(knex, 'saved_albums', 'album_id', 'albums', 'Albums an account saved; removed_at set when the save disappears, cleared if it comes back.');
  await saves(knex, 'followed_artists', 'artist_id', 'artists', 'Artists an account follows; Spotify gives no date, so followed_at is when the sync first saw it.', 'followed_at');
  await saves(knex, 'saved_shows', 'show_id', 'shows', 'Podcast shows an account saved.');
  await saves(knex, 'saved_episodes', 'episode_id', 'episodes', 'Podcast episodes an account saved.');
  await saves(knex, 'saved_audiobooks', 'audiobook_id', 'audiobooks', 'Audiobooks an account saved.');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['saved_audiobooks', 'saved_episodes', 'saved_shows', 'followed_artists', 'saved_albums', 'audiobooks', 'episodes', 'shows'])
    await knex.schema.dropTable(table);
  await knex.schema.alterTable('albums', (t) => {
    t.dropColumn('tracks_page');
  });
}
