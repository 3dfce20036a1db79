import type { Knex } from 'knex';

/**
 * What keeps a learned quota honest and the ETA exact: whether the figure was confirmed (a quota 429
 * met again at or past it), when the current window's one call past an unconfirmed figure went, and how
 * long the last window that reached the figure took from its first call to its last.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('spotify_app_quota', (t) => {
    t.boolean('quota_confirmed').notNullable().defaultTo(false).comment('calls_per_window was met again by a later quota 429 (a call past it refused): no more probing past it');
    t.timestamp('wall_probe_at', { useTz: true }).nullable().comment('when the current window sent its one call past an unconfirmed calls_per_window');
    t.integer('window_span_ms').nullable().comment('from the first to the last call of the last window that reached calls_per_window: the ETA counts its start-up per window');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('spotify_app_quota', (t) => {
    t.dropColumn('quota_confirmed');
    t.dropColumn('wall_probe_at');
    t.dropColumn('window_span_ms');
  });
}
