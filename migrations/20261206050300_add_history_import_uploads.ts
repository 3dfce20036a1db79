import type { Knex } from 'knex';

/**
 * An uploaded export (its Userdata, Identity, Payments, ... and the extended history's `ip_addr`) is kept
 * only while its import reads it: the import deletes its upload once it ends, complete or failed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history_imports', (t) => {
    t.boolean('uploaded').notNullable().defaultTo(false).comment('the files were uploaded under HISTORY_IMPORT_DIR (source_dir): deleted when the import ends');
    t.timestamp('files_deleted_at', { useTz: true }).comment('when the uploaded files were deleted');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('history_imports', (t) => {
    t.dropColumns('uploaded', 'files_deleted_at');
  });
}
