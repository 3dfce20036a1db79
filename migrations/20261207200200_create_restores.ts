import type { Knex } from 'knex';

/** Restores (restoreWorkflow) and the scopes each account's login granted (incremental consent). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.text('granted_scopes').comment('the scopes of the last login or token answer, space-separated; null while unknown');
  });
  await knex.schema.createTable('restores', (t) => {
    t.comment('One restore of a playlist or of saved items: its target, plan, checkpoint (after each write) and result.');
    t.text('id').primary({ constraintName: 'restores_pkey' }).comment('the restoreId');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('restores_account_id_fk');
    t.text('idempotency_key').comment('the Idempotency-Key header: a repeat returns this restore');
    t.jsonb('target').notNullable().comment('what was asked: {kind: playlist, playlistId, version} or {kind: saved, since, kinds}');
    t.jsonb('plan').notNullable().comment('the plan shown first (action, add, remove, move, notRestorable, calls)');
    t.jsonb('target_uris').notNullable().comment('what the result must hold: the playlist entries in order, or the items to save again');
    t.jsonb('details').comment('the playlist details to restore (name, description, public), for a playlist target');
    t.text('state').notNullable().defaultTo('running').comment('running, paused, rate_limited, needs_reauth, needs_scope, failed, complete');
    t.text('playlist_id').comment('the playlist written (a recreated one has a new id)');
    t.boolean('created').notNullable().defaultTo(false).comment('whether the restore created the playlist');
    t.integer('done').notNullable().defaultTo(0).comment('checkpoint: entries (or items) written so far');
    t.integer('total').notNullable().defaultTo(0);
    t.text('written_snapshot_id').comment('the snapshot_id Spotify answered to the last write checkpointed: anything else means a write the checkpoint missed');
    t.boolean('replaced').notNullable().defaultTo(false).comment('whether the first write (replacing the items) is done');
    t.integer('api_calls').notNullable().defaultTo(0);
    t.integer('rate_limit_streak').notNullable().defaultTo(0).comment('headerless 429s in a row, for the probe ladder of the rate-limit policy');
    t.timestamp('rate_limited_until', { useTz: true });
    t.jsonb('result').comment('added, removed, notRestorable, verified once ended');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['account_id', 'idempotency_key'], { indexName: 'restores_account_idempotency_key' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('restores');
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('granted_scopes');
  });
}
