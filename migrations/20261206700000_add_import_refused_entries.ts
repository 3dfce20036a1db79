import type { Knex } from 'knex';

/**
 * Entries of an export that cannot be stored (a NUL byte in a name, a length of play or an offline time
 * out of any range): each is refused and counted with its reason, and the import goes on, instead of
 * failing the file's activity and retrying it for ever.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history_imports', (t) => {
    t.integer('refused').notNullable().defaultTo(0).comment('entries that cannot be stored (values out of any range), refused with their reason');
    t.jsonb('refused_reasons').notNullable().defaultTo('[]').comment('the first 20 refusals: file, entry number and reason (never the entry itself)');
  });
  await knex.schema.alterTable('history_import_files', (t) => {
    t.integer('refused').notNullable().defaultTo(0).comment('entries of this file that cannot be stored');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history_import_files', (t) => {
    t.dropColumn('refused');
  });
  await knex.schema.alterTable('history_imports', (t) => {
    t.dropColumns('refused', 'refused_reasons');
  });
}
