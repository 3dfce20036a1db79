import type { Knex } from 'knex';

/**
 * The change log of the saved collections: every save, removal, follow and unfollow, with when it
 * happened. Saved collections log themselves through one trigger function, `log_library_change(kind,
 * id_column)`, so any collection table (saved tracks here; albums, artists, shows, episodes and
 * audiobooks when they come) takes the same trigger. Playlist edits and deletions are written by the
 * sync with their version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('library_changes', (t) => {
    t.comment('The change log of a library: saved, removed, followed, unfollowed, playlist edited or deleted, with when it happened.');
    t.bigIncrements('id', { primaryKey: true });
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('library_changes_account_id_fk');
    t.text('kind').notNullable().comment('track, album, artist, show, episode, audiobook, playlist');
    t.text('item_id').notNullable().comment('the Spotify id of what changed');
    t.text('change').notNullable().comment('added (saved or followed), removed (unsaved or unfollowed), edited, deleted');
    t.timestamp('at', { useTz: true }).notNullable().comment("Spotify's added_at where there is one, else when the sync saw it");
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('playlist_version').comment('for a playlist: the version this change made');
    t.index(['account_id', 'at', 'id'], 'library_changes_account_at_idx');
    t.index(['account_id', 'kind', 'change', 'at'], 'library_changes_account_kind_idx');
  });
  await knex.raw(`
    create function log_library_change() returns trigger language plpgsql as $$
    declare
      kind text := tg_argv[0];
      item text := to_jsonb(new) ->> tg_argv[1];
    begin
      if tg_op = 'INSERT' then
        insert into library_changes (account_id, kind, item_id, change, at)
        values (new.account_id, kind, item, case when new.removed_at is null then 'added' else 'removed' end, coalesce(new.removed_at, new.added_at));
      elsif old.removed_at is null and new.removed_at is not null then
        insert into library_changes (account_id, kind, item_id, change, at) values (new.account_id, kind, item, 'removed', new.removed_at);
      elsif new.removed_at is null and (old.removed_at is not null or old.added_at is distinct from new.added_at) then
        insert into library_changes (account_id, kind, item_id, change, at) values (new.account_id, kind, item, 'added', new.added_at);
      end if;
      return null;
    end $$`);
  await knex.raw(
    `comment on function log_library_change() is 'Logs a save or removal of a saved collection into library_changes: trigger arguments (kind, id column); rows need account_id, added_at, removed_at'`,
  );
  await knex.raw(
    `create trigger saved_tracks_log_change after insert or update of added_at, removed_at on saved_tracks for each row execute function log_library_change('track', 'track_id')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger saved_tracks_log_change on saved_tracks');
  await knex.raw('drop function log_library_change()');
  await knex.schema.dropTable('library_changes');
}
