import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_state', (t) => {
    t.comment('Checkpoint and progress of one entity type in one sync kind of one account; committed with the rows of each batch.');
    t.bigIncrements('id').primary({ constraintName: 'sync_state_pkey' });
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('sync_state_account_id_fk');
    t.text('entity_type').notNullable().comment('tracks, artists, albums, playlists, playback');
    t.text('phase').notNullable().comment('initial, incremental or playback');
    t.integer('last_synced_offset').notNullable().defaultTo(0).comment('offset checkpoint for offset-paged endpoints');
    t.text('cursor').comment('keyset checkpoint (last id done) or the recently-played after cursor');
    t.integer('synced_count').notNullable().defaultTo(0);
    t.integer('total_estimated');
    t.integer('skipped_count').notNullable().defaultTo(0).comment('null, local and episode items skipped');
    t.integer('api_calls').notNullable().defaultTo(0);
    t.integer('batches').notNullable().defaultTo(0);
    t.boolean('is_complete').notNullable().defaultTo(false);
    t.timestamp('rate_limit_hit_at', { useTz: true });
    t.timestamp('rate_limit_reset_at', { useTz: true });
    t.integer('rate_limit_remaining');
    t.text('rate_limit_kind').comment('short or quota');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.text('error_message');
    t.unique(['account_id', 'entity_type', 'phase'], { indexName: 'sync_state_account_entity_phase_key' });
  });

  await knex.schema.createTable('sync_history', (t) => {
    t.comment('One row per committed batch: what it stored, what it cost, where it left the checkpoint.');
    t.bigIncrements('id').primary({ constraintName: 'sync_history_pkey' });
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('sync_history_account_id_fk');
    t.text('phase').notNullable();
    t.text('entity_type').notNullable();
    t.integer('batch_number').notNullable();
    t.integer('checkpoint_offset');
    t.text('checkpoint_cursor');
    t.boolean('rate_limited').notNullable().defaultTo(false);
    t.integer('items').notNullable();
    t.integer('skipped').notNullable().defaultTo(0);
    t.integer('api_calls').notNullable();
    t.integer('duration_ms').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at'], 'sync_history_account_created_at_idx');
  });

  await knex.schema.createTable('incremental_runs', (t) => {
    t.comment('Result of each incremental sync run, read by the status API.');
    t.bigIncrements('id').primary({ constraintName: 'incremental_runs_pkey' });
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('incremental_runs_account_id_fk');
    t.text('workflow_id').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.text('outcome').notNullable().comment('completed, skipped, rate_limited, needs_reauth, failed');
    t.jsonb('result').notNullable().defaultTo('{}');
    t.index(['account_id', 'started_at'], 'incremental_runs_account_started_at_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('incremental_runs');
  await knex.schema.dropTable('sync_history');
  await knex.schema.dropTable('sync_state');
}
