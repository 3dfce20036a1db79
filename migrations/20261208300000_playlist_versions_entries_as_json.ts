import type { Knex } from 'knex';

/**
 * A version's entries are only ever stored and read whole, never queried inside Postgres: kept as
 * `json` (the text as written) rather than `jsonb`, a read sends the stored text instead of printing a
 * ~1 MB jsonb value of a 5,000-entry full copy again, which was most of the time of reading a version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table playlist_versions alter column entries type json using entries::json');
  await knex.raw(
    `comment on column playlist_versions.entries is 'a full copy: the entries in order; otherwise the changes against the version before (copy ranges and inserted entries). json, not jsonb: stored and read whole'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table playlist_versions alter column entries type jsonb using entries::jsonb');
  await knex.raw(
    `comment on column playlist_versions.entries is 'a full copy: the entries in order; otherwise the changes against the version before (copy ranges and inserted entries)'`,
  );
}
