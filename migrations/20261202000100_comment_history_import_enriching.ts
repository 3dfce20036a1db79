import type { Knex } from 'knex';

/** A history import has a phase more: after resolving its tracks it enriches their artists and albums. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `comment on column history_imports.phase is 'checking (reading every file once, nothing written), plays, resolving, enriching (the artists and albums of resolved tracks), complete'`,
  );
  await knex.raw(`comment on column history_imports.api_calls is 'Spotify calls spent on resolution and on enriching what it brought'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`comment on column history_imports.phase is 'checking (reading every file once, nothing written), plays, resolving, complete'`);
  await knex.raw(`comment on column history_imports.api_calls is 'Spotify calls spent on resolution'`);
}
