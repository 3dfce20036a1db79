import type { Knex } from 'knex';

/** The enrichment proves a played track belongs to the account by this lookup (see stub-queries.ts). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('play_history', (t) => {
    t.index(['account_id', 'track_id'], 'play_history_account_track_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('play_history', (t) => {
    t.dropIndex(['account_id', 'track_id'], 'play_history_account_track_idx');
  });
}
