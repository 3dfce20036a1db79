import type { Knex } from 'knex';

/** Track ids Spotify answered 404 for, so that imports do not ask again for a while. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unknown_tracks', (t) => {
    t.comment('Track ids Spotify said it does not know (404 on lookup): imports mark their plays unresolved without asking again until the answer is old.');
    t.text('id').primary({ constraintName: 'unknown_tracks_pkey' }).comment('the Spotify track id');
    t.timestamp('answered_at', { useTz: true }).notNullable().comment('when Spotify last answered that it does not know it');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('unknown_tracks');
}
