import type { Knex } from 'knex';

/** The collection tables, each with its trigger `<table>_log_change`. */
const tables = ['saved_albums', 'followed_artists', 'saved_shows', 'saved_episodes', 'saved_audiobooks'] as const;

/**
 * Saves, removals, follows and unfollows of the five collections land in the change log
 * (library_changes) as those of saved tracks do. The saved tracks' `log_library_change(kind, id_column)`
 * reads `added_at`, which followed artists do not have (`followed_at`), and it comes in a later
 * migration: the collections get their own function, `log_collection_change(kind, id_column,
 * date_column)`, with the same rule. It reaches library_changes only when it runs, so it may exist first.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function log_collection_change() returns trigger language plpgsql as $$
    declare
      kind text := tg_argv[0];
      item text := to_jsonb(new) ->> tg_argv[1];
      new_at timestamptz := (to_jsonb(new) ->> tg_argv[2])::timestamptz;
      old_at timestamptz;
    begin
      if tg_op = 'INSERT' then
        insert into library_changes (account_id, kind, item_id, change, at)
        values (new.account_id, kind, item, case when new.removed_at is null then 'added' else 'removed' end, coalesce(new.removed_at, new_at));
        return null;
      end if;
      old_at := (to_jsonb(old) ->> tg_argv[2])::timestamptz;
      if old.removed_at is null and new.removed_at is not null then
        insert into library_changes (account_id, kind, item_id, change, at) values (new.account_id, kind, item, 'removed', new.removed_at);
      elsif new.removed_at is null and (old.removed_at is not null or old_at is distinct from new_at) then
        -- Back again: a follow has no date of its own, so its return is dated when the sync saw it.
        insert into library_changes (account_id, kind, item_id, change, at)
        values (new.account_id, kind, item, 'added', case when old_at is distinct from new_at then new_at else coalesce(new.synced_at, now()) end);
      end if;
      return null;
    end $$`);
  await knex.raw(
    `comment on function log_collection_change() is 'Logs a save, removal, follow or unfollow of a collection into library_changes: trigger arguments (kind, id column, date column); rows need account_id, removed_at, synced_at'`,
  );
  // Trigger arguments are literals (no parameters in DDL): one statement per table.
  await knex.raw(
    `create trigger saved_albums_log_change after insert or update of added_at, removed_at on saved_albums for each row execute function log_collection_change('album', 'album_id', 'added_at')`,
  );
  await knex.raw(
    `create trigger followed_artists_log_change after insert or update of followed_at, removed_at on followed_artists for each row execute function log_collection_change('artist', 'artist_id', 'followed_at')`,
  );
  await knex.raw(
    `create trigger saved_shows_log_change after insert or update of added_at, removed_at on saved_shows for each row execute function log_collection_change('show', 'show_id', 'added_at')`,
  );
  await knex.raw(
    `create trigger saved_episodes_log_change after insert or update of added_at, removed_at on saved_episodes for each row execute function log_collection_change('episode', 'episode_id', 'added_at')`,
  );
  await knex.raw(
    `create trigger saved_audiobooks_log_change after insert or update of added_at, removed_at on saved_audiobooks for each row execute function log_collection_change('audiobook', 'audiobook_id', 'added_at')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of tables) await knex.raw('drop trigger ?? on ??', [`${table}_log_change`, table]);
  await knex.raw('drop function log_collection_change()');
}
