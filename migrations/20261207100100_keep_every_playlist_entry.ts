import type { Knex } from 'knex';

/**
 * Every playlist entry is kept at its position (DESIGN.md, the playlist-entry rule): a track, an
 * episode, a local file (with the name, artist, album and duration Spotify gives for it) or an entry
 * Spotify no longer has (`unavailable`). Before this, only tracks were stored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('playlist_items', (t) => {
    t.text('kind').notNullable().defaultTo('track').comment('track, episode, local or unavailable');
    t.text('episode_id').references('id').inTable('episodes').onDelete('RESTRICT').withKeyName('playlist_items_episode_id_fk');
    t.text('uri').comment('the entry as Spotify names it (spotify:track:, spotify:episode:, spotify:local:); null when unavailable');
    t.text('local_name').comment('a local file: its name, artist, album and duration as Spotify gives them');
    t.text('local_artist');
    t.text('local_album');
    t.integer('local_duration_ms');
    t.index(['episode_id'], 'playlist_items_episode_id_idx');
  });
  await knex.raw('alter table playlist_items alter column track_id drop not null');
  await knex.raw(`alter table playlist_items add constraint playlist_items_kind_check check (
    (kind = 'track' and track_id is not null and episode_id is null)
    or (kind = 'episode' and episode_id is not null and track_id is null)
    or (kind in ('local', 'unavailable') and track_id is null and episode_id is null))`);
  await knex.raw("comment on table playlist_items is 'Entries of a playlist at its stored snapshot, in order: tracks, episodes, local files and unavailable entries.'");
}

export async function down(knex: Knex): Promise<void> {
  await knex('playlist_items').whereNot('kind', 'track').delete();
  await knex.raw('alter table playlist_items drop constraint playlist_items_kind_check');
  await knex.raw('alter table playlist_items alter column track_id set not null');
  await knex.schema.alterTable('playlist_items', (t) => {
    t.dropIndex(['episode_id'], 'playlist_items_episode_id_idx');
    t.dropForeign(['episode_id'], 'playlist_items_episode_id_fk');
    t.dropColumns('kind', 'episode_id', 'uri', 'local_name', 'local_artist', 'local_album', 'local_duration_ms');
  });
  await knex.raw("comment on table playlist_items is 'Tracks of a playlist at its stored snapshot, in order.'");
}
