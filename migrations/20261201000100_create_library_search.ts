import type { Knex } from 'knex';

/**
 * Library search: case- and accent-insensitive substring search over track, artist and album names,
 * served by trigram indexes. `unaccent` is only STABLE (its dictionary could change), so an index needs
 * an IMMUTABLE wrapper naming the dictionary explicitly; `library_search_key` is that wrapper, lower-cased.
 * Both extensions ship with Postgres (Debian's postgresql-contrib, the official images).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists unaccent');
  await knex.raw('create extension if not exists pg_trgm');
  await knex.raw(`
    create function library_search_key(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
  await knex.raw(`comment on function library_search_key(text) is 'the form names are searched in: lower case, accents removed'`);
  for (const table of ['tracks', 'artists', 'albums']) {
    await knex.raw(`create index ${table}_name_search_idx on ${table} using gin (library_search_key(name) gin_trgm_ops)`);
  }
  // Keyset pagination of the library and of the history, newest first.
  await knex.raw('create index play_history_account_track_idx on play_history (account_id, track_id)');
  await knex.raw('create index playlist_items_account_track_idx on playlist_items (account_id, track_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index playlist_items_account_track_idx');
  await knex.raw('drop index play_history_account_track_idx');
  for (const table of ['tracks', 'artists', 'albums']) await knex.raw(`drop index ${table}_name_search_idx`);
  await knex.raw('drop function library_search_key(text)');
  // The extensions stay: other objects of the database may use them.
}
