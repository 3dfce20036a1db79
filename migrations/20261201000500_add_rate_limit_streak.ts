import type { Knex } from 'knex';

/**
 * A 429 with neither Retry-After nor a quota reason is retried in place a few times, then waited out on
 * escalating durable timers, each ended by one probing call. The streak counts those 429s in a row (a
 * committed batch ends it), so each attempt knows its rung of that ladder across activities and runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_state', (t) => {
    t.integer('rate_limit_streak').notNullable().defaultTo(0).comment('429s without Retry-After or quota reason in a row since the last committed batch (the probe ladder rung)');
  });
  await knex.raw(`comment on column sync_state.rate_limit_kind is 'short, quota or headerless'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`comment on column sync_state.rate_limit_kind is 'short or quota'`);
  await knex.schema.alterTable('sync_state', (t) => {
    t.dropColumn('rate_limit_streak');
  });
}
