import type { Knex } from 'knex';

/** Account data's `StreamingHistory_audiobook_<n>.json` is a file of plays too (audiobook chapters). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table history_import_files drop constraint history_import_files_kind_check');
  await knex.raw(`alter table history_import_files add constraint history_import_files_kind_check
    check (kind in ('extended_audio', 'extended_video', 'account_music', 'account_podcast', 'account_audiobook'))`);
  await knex.raw(`comment on column history_import_files.kind is 'extended_audio, extended_video, account_music, account_podcast or account_audiobook'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('history_import_files').where({ kind: 'account_audiobook' }).delete();
  await knex.raw('alter table history_import_files drop constraint history_import_files_kind_check');
  await knex.raw(`alter table history_import_files add constraint history_import_files_kind_check
    check (kind in ('extended_audio', 'extended_video', 'account_music', 'account_podcast'))`);
  await knex.raw(`comment on column history_import_files.kind is 'extended_audio, extended_video, account_music or account_podcast'`);
}
