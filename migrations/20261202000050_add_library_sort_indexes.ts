import type { Knex } from 'knex';

/**
 * Indexes in the order the saved-tracks sorts read (their keys as in src/library/saved-tracks.ts, the
 * track id breaking ties), so a sorted first page walks an index instead of sorting every match: by
 * name, by duration, and by release date (which also serves the release-year filter, a range on the
 * same key). The artist sort's key is the primary artist's name, read through the credits: no index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index tracks_name_sort_idx on tracks (name, id)');
  await knex.raw('create index tracks_duration_sort_idx on tracks ((coalesce(duration_ms, 0)), id)');
  await knex.raw(`create index albums_release_sort_idx on albums ((coalesce(release_date, '')))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index albums_release_sort_idx');
  await knex.raw('drop index tracks_duration_sort_idx');
  await knex.raw('drop index tracks_name_sort_idx');
}
