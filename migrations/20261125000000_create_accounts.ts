import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.comment('A connected Spotify account: encrypted tokens, detected app capabilities, and the sync state shown to users.');
    t.text('id').primary().comment('Spotify account_id from /v1/me: the stable key of the account');
    t.text('spotify_user_id').notNullable();
    t.text('display_name');
    t.text('refresh_token_encrypted').notNullable().comment('AES-256-GCM, key TOKEN_ENCRYPTION_KEY');
    t.text('access_token_encrypted');
    t.timestamp('access_token_expires_at', { useTz: true });
    t.text('app_mode').comment('development or extended once detected; null while unknown (SPOTIFY_APP_MODE=auto)');
    t.text('sync_state').notNullable().defaultTo('not_started').comment('not_started, running, paused, rate_limited, needs_reauth, failed, complete');
    t.text('sync_phase').notNullable().defaultTo('tracks').comment('tracks, artists, albums, playlists, complete');
    t.timestamp('sync_state_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('needs_reauth').notNullable().defaultTo(false);
    t.timestamp('connected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accounts');
}
