import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('spotify_calls', (t) => {
    t.comment('Running count of Spotify Web API calls per account, endpoint and outcome (for /metrics); updated with each batch.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('spotify_calls_account_id_fk');
    t.text('endpoint').notNullable().comment('route template, e.g. GET /v1/artists/{id}');
    t.text('outcome').notNullable().comment('ok, rate_limited_short, rate_limited_quota, forbidden, not_found, server_error, malformed, network_error, client_error, unauthorized');
    t.bigInteger('calls').notNullable().defaultTo(0);
    t.primary(['account_id', 'endpoint', 'outcome'], { constraintName: 'spotify_calls_pkey' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('spotify_calls');
}
