import type { Knex } from 'knex';

/**
 * Plays from more than one source: polled plays (recently-played) and plays imported from Spotify's data
 * exports, which may be episodes or audiobooks, may be too short to count, and may name a track that is
 * not (yet) in the catalog. The columns every reader of the history relies on live here; the import adds
 * the export's own fields in its migration.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('play_history', (t) => {
    t.text('source').notNullable().defaultTo('poll').comment('poll (recently-played), extended_export or account_export');
    t.text('content_type').notNullable().defaultTo('track').comment('track, episode or audiobook');
    t.integer('ms_played').comment('how long the stream lasted; null when the source does not say (polled plays)');
    t.text('track_name').comment('the name the source gave (kept for plays not resolved to a catalog track)');
    t.text('artist_name');
    t.text('album_name');
    t.setNullable('track_id');
    t.check(`source in ('poll', 'extended_export', 'account_export')`, [], 'play_history_source_check');
    t.check(`content_type in ('track', 'episode', 'audiobook')`, [], 'play_history_content_type_check');
  });
  await knex.raw('alter table play_history add column is_short boolean generated always as (ms_played is not null and ms_played < 30000) stored');
  await knex.raw(`comment on column play_history.is_short is 'under 30 s played: Spotify itself does not count it as a play'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('play_history').whereNull('track_id').delete();
  await knex.schema.alterTable('play_history', (t) => {
    t.dropChecks(['play_history_source_check', 'play_history_content_type_check']);
    t.dropColumns('is_short', 'source', 'content_type', 'ms_played', 'track_name', 'artist_name', 'album_name');
    t.dropNullable('track_id');
  });
}
