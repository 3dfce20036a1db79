import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('play_history', (t) => {
    t.comment('Every play recorded from recently-played; one row per account and played_at.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('play_history_account_id_fk');
    t.timestamp('played_at', { useTz: true }).notNullable();
    t.text('track_id').notNullable().references('id').inTable('tracks').onDelete('RESTRICT').withKeyName('play_history_track_id_fk');
    t.text('context_type');
    t.text('context_uri');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'played_at'], { constraintName: 'play_history_pkey' });
  });

  await knex.schema.createTable('playback_gaps', (t) => {
    t.comment('Spans in which plays may have been lost: a poll returned a full page that did not reach the last stored play.');
    t.bigIncrements('id').primary({ constraintName: 'playback_gaps_pkey' });
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('playback_gaps_account_id_fk');
    t.timestamp('gap_start', { useTz: true }).notNullable().comment('the last play stored before the gap');
    t.timestamp('gap_end', { useTz: true }).notNullable().comment('the oldest play of the poll that found the gap');
    t.timestamp('detected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['account_id', 'gap_start'], { indexName: 'playback_gaps_account_start_key' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('playback_gaps');
  await knex.schema.dropTable('play_history');
}
