import type { Knex } from 'knex';

/**
 * The time machine's playlist history: every snapshot a sync sees is a version, stored as changes
 * against the version before, with a full copy now and then (src/versions/version-codec.ts), so that
 * reading any version is one query over a bounded chain of rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('playlist_versions', (t) => {
    t.comment(
      'Every version (snapshot_id) of a playlist the sync saw, and its deletion as the last event. Entries are a full copy (base_version = version) or changes against the version before.',
    );
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('playlist_versions_account_id_fk');
    t.text('playlist_id').notNullable();
    t.integer('version').notNullable().comment('numbered from 1 per playlist');
    t.text('event').notNullable().comment('version, or deleted (the playlist left the library)');
    t.text('snapshot_id').notNullable();
    t.timestamp('observed_at', { useTz: true }).notNullable().comment('when the sync saw this version');
    t.text('name').notNullable();
    t.text('description');
    t.boolean('public');
    t.boolean('collaborative').notNullable().defaultTo(false);
    t.text('owner_id');
    t.integer('total_items').notNullable().defaultTo(0);
    t.boolean('items_known').notNullable().comment('false when the app may not read the items (a followed playlist in development mode)');
    t.integer('base_version').notNullable().comment('the full copy this version is built from; equal to version for a full copy');
    t.jsonb('entries').notNullable().comment('a full copy: the entries in order; otherwise the changes against the version before (copy ranges and inserted entries)');
    t.integer('entries_bytes').notNullable().defaultTo(0).comment('size of entries, to decide when the next full copy is due');
    t.integer('chain_bytes').notNullable().defaultTo(0).comment('bytes of the changes since base_version, this one included');
    t.integer('added').notNullable().defaultTo(0);
    t.integer('removed').notNullable().defaultTo(0);
    t.integer('moved').notNullable().defaultTo(0);
    t.primary(['account_id', 'playlist_id', 'version'], { constraintName: 'playlist_versions_pkey' });
    t.index(['account_id', 'observed_at'], 'playlist_versions_account_observed_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('playlist_versions');
}
