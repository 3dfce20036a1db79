import type { Knex } from 'knex';

/**
 * What each Spotify app (client id) learned of its quota: how many successful calls a quota window
 * holds and how long it lasts (both from the quota 429s met), and the calls of the window in progress,
 * counted by every worker. The accounts of one app share it; the status API's ETA reads it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('spotify_app_quota', (t) => {
    t.comment('The quota of each Spotify app (client id), learned from its quota 429s, and the calls of the current quota window: shared by the accounts and workers of the app.');
    t.text('client_id').primary({ constraintName: 'spotify_app_quota_pkey' });
    t.integer('calls_per_window').nullable().comment('successful calls a quota window holds, learned from the last quota 429; null until one was met');
    t.integer('window_seconds').nullable().comment('how long a call counts against the quota (from Retry-After, else RATE_LIMIT_FALLBACK_HOURS); null until learned');
    t.timestamp('window_started_at', { useTz: true }).nullable().comment('the first counted call of the current window');
    t.integer('window_calls').notNullable().defaultTo(0).comment('successful calls counted since window_started_at');
    t.timestamp('last_call_at', { useTz: true }).nullable().comment('the latest counted call: the window is free again window_seconds after it');
    t.integer('reset_lag_ms').nullable().comment('how long after the window was free the next one started, last time (timers, the probe): the ETA counts it per window');
    t.timestamp('learned_at', { useTz: true }).nullable().comment('when the last quota 429 was met');
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('spotify_app_quota');
}
