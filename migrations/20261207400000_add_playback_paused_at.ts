import type { Knex } from 'knex';

/**
 * When playback tracking was paused by a control (null while it runs): the status page shows and
 * controls playback tracking apart from the sync, from Postgres alone (it works while Temporal is down).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.timestamp('playback_paused_at', { useTz: true }).comment(
      'when a pause reached the playback workflow; null while it polls (set and cleared by the pause and resume controls)',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('playback_paused_at');
  });
}
