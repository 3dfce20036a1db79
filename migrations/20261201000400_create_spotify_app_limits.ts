import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('spotify_app_limits', (t) => {
    t.comment(
      'What the call limiter of each Spotify app (client id) learned: calls in flight and calls per 30 s window. Restored when a worker starts, so it does not start blind.',
    );
    t.text('client_id').primary({ constraintName: 'spotify_app_limits_pkey' });
    t.double('concurrency').notNullable().comment('calls in flight at once (adapted: grows on clean answers, halves on a short 429)');
    t.integer('window_limit').nullable().comment('calls per rolling 30 s window learned from a short 429; null until one was met');
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('spotify_app_limits');
}
