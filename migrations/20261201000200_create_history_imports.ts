import type { Knex } from 'knex';

/**
 * Imports of Spotify's data exports: one row per import, one per file with its checkpoint (the entries
 * committed so far, in the same transaction as their plays), and the export's own fields on
 * play_history. `ip_addr` (and the older `ip_addr_decrypted`, `user_agent_decrypted`) are never stored:
 * personal data the product does not need.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('history_imports', (t) => {
    t.comment('One import of Spotify data-export files for an account, followed by historyImportWorkflow.');
    t.text('id').primary({ constraintName: 'history_imports_pkey' }).comment('importId: part of the workflow id history-import:<accountId>:<importId>');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('history_imports_account_id_fk');
    t.text('state').notNullable().defaultTo('running').comment('running, paused, rate_limited, needs_reauth, failed, complete');
    t.text('phase').notNullable().defaultTo('checking').comment('checking (reading every file once, nothing written), plays, resolving, complete');
    t.text('source_dir').notNullable().comment('where the uploaded or named files are read from');
    t.jsonb('ignored_files').notNullable().defaultTo('[]').comment('files of the export that hold no plays, listed for the user');
    t.integer('plays').notNullable().defaultTo(0).comment('plays stored by this import');
    t.integer('duplicates').notNullable().defaultTo(0).comment('entries that were already stored (re-import, or the same stream polled)');
    t.integer('skipped').notNullable().defaultTo(0).comment('entries that are not plays (no track, episode or audiobook named)');
    t.integer('unresolved').notNullable().defaultTo(0).comment('plays kept with their names only: no catalog track matches');
    t.integer('resolved').notNullable().defaultTo(0).comment('plays matched to a catalog track after they were stored');
    t.integer('api_calls').notNullable().defaultTo(0).comment('Spotify calls spent on resolution');
    t.text('error_message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.check(`state in ('running', 'paused', 'rate_limited', 'needs_reauth', 'failed', 'complete')`, [], 'history_imports_state_check');
    t.index(['account_id', 'created_at'], 'history_imports_account_created_idx');
  });

  await knex.schema.createTable('history_import_files', (t) => {
    t.comment('A file of an import, with its checkpoint: entries_done entries are committed, with their plays.');
    t.text('import_id').notNullable().references('id').inTable('history_imports').onDelete('CASCADE').withKeyName('history_import_files_import_id_fk');
    t.integer('position').notNullable();
    t.text('name').notNullable().comment('the path inside the zip or folder, as the user knows it');
    t.text('kind').notNullable().comment('extended_audio, extended_video, account_music or account_podcast');
    t.text('path').notNullable().comment('the file on disk (the zip itself for zip entries)');
    t.text('zip_entry').comment('the entry inside the zip at path, when the file came in a zip');
    t.bigInteger('size_bytes').notNullable();
    t.integer('entries_total').comment('known once the file was checked');
    t.integer('entries_done').notNullable().defaultTo(0);
    t.integer('plays').notNullable().defaultTo(0);
    t.integer('duplicates').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.boolean('is_complete').notNullable().defaultTo(false);
    t.primary(['import_id', 'position'], { constraintName: 'history_import_files_pkey' });
    t.check(`kind in ('extended_audio', 'extended_video', 'account_music', 'account_podcast')`, [], 'history_import_files_kind_check');
  });

  await knex.schema.alterTable('play_history', (t) => {
    t.text('spotify_uri').comment('the export URI of the track, episode or audiobook chapter (kept until and after the track resolves)');
    t.text('show_name').comment('episodes: the show; audiobooks: the book');
    t.text('reason_start');
    t.text('reason_end');
    t.boolean('shuffle');
    t.boolean('skipped');
    t.boolean('offline');
    t.timestamp('offline_at', { useTz: true }).comment('offline_timestamp of the export; null when it gave 0 or nothing');
    t.boolean('incognito');
    t.text('platform');
    t.text('conn_country');
    t.text('unresolved_reason').comment('set when the play names a track no catalog lookup found: the names are all there is');
    t.text('import_id').references('id').inTable('history_imports').onDelete('SET NULL').withKeyName('play_history_import_id_fk');
    t.index(['import_id'], 'play_history_import_id_idx');
    t.text('stream_key').notNullable().defaultTo('').comment('what was played (track:<id>, the episode or chapter URI, or names): with the end time, one stream');
  });
  // Exports hold several streams ending in the same second (quick skips): the end time alone does not
  // identify a play. The same thing ending at the same instant does.
  await knex.raw(`update play_history set stream_key = 'track:' || track_id where track_id is not null`);
  await knex.raw('alter table play_history drop constraint play_history_pkey');
  await knex.raw('alter table play_history add constraint play_history_pkey primary key (account_id, played_at, stream_key)');
}

export async function down(knex: Knex): Promise<void> {
  // Back to one play per end time: of streams sharing one, the first stored stays.
  await knex.raw(`delete from play_history p using play_history q
    where p.account_id = q.account_id and p.played_at = q.played_at and (p.recorded_at, p.stream_key) > (q.recorded_at, q.stream_key)`);
  await knex.raw('alter table play_history drop constraint play_history_pkey');
  await knex.raw('alter table play_history add constraint play_history_pkey primary key (account_id, played_at)');
  await knex.schema.alterTable('play_history', (t) => {
    t.dropIndex(['import_id'], 'play_history_import_id_idx');
    t.dropForeign(['import_id'], 'play_history_import_id_fk');
    t.dropColumns(
      'spotify_uri',
      'show_name',
      'reason_start',
      'reason_end',
      'shuffle',
      'skipped',
      'offline',
      'offline_at',
      'incognito',
      'platform',
      'conn_country',
      'unresolved_reason',
      'import_id',
      'stream_key',
    );
  });
  await knex.schema.dropTable('history_import_files');
  await knex.schema.dropTable('history_imports');
}
