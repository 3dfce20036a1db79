import type { Knex } from 'knex';

/**
 * Plays known by their names only (account data) carry their duration in the stream key: such a play
 * ends at a minute, and a track restarted within that minute is two rows of the same names and minute.
 * Stored keys gain the duration, so that importing the same files again still finds every row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`update play_history set stream_key = stream_key || '|' || coalesce(ms_played::text, '') where stream_key like 'names:%'`);
  await knex.raw(`comment on column play_history.stream_key is 'what was played (track:<id>, the episode or chapter URI, or names and duration): with the end time, one stream'`);
}

export async function down(knex: Knex): Promise<void> {
  // Back to names alone: of streams that then share a key, the first stored stays.
  await knex.raw(`delete from play_history p using play_history q
    where p.account_id = q.account_id and p.played_at = q.played_at
      and p.stream_key like 'names:%' and q.stream_key like 'names:%'
      and regexp_replace(p.stream_key, '\\|[0-9]*$', '') = regexp_replace(q.stream_key, '\\|[0-9]*$', '')
      and (p.recorded_at, p.stream_key) > (q.recorded_at, q.stream_key)`);
  await knex.raw(`update play_history set stream_key = regexp_replace(stream_key, '\\|[0-9]*$', '') where stream_key like 'names:%'`);
  await knex.raw(`comment on column play_history.stream_key is 'what was played (track:<id>, the episode or chapter URI, or names): with the end time, one stream'`);
}
