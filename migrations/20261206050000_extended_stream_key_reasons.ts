import type { Knex } from 'knex';

/**
 * Plays of the extended history carry their duration and reasons in the stream key: the export holds
 * pairs and triples of one track or episode ending in the same second (a 0 ms skip and a full play),
 * which the URI alone merged into one. Stored keys gain them, so that importing the same files again
 * still finds every row (and adds the streams the old key merged away).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`update play_history set stream_key = case
      when stream_key like 'names:%' then stream_key || '|' || coalesce(reason_start, '') || '|' || coalesce(reason_end, '')
      else stream_key || '|' || coalesce(ms_played::text, '') || '|' || coalesce(reason_start, '') || '|' || coalesce(reason_end, '')
    end
    where source = 'extended_export'`);
  await knex.raw(
    `comment on column play_history.stream_key is 'what was played (track:<id>, the episode or chapter URI, or names and duration; extended history: with its duration and reasons): with the end time, one stream'`,
  );
}

/** The key as it was: names keys lose the two reasons, the others the duration and the two reasons. */
const previousKey = (alias: string) =>
  `case when ${alias}.stream_key like 'names:%' then regexp_replace(${alias}.stream_key, '\\|[^|]*\\|[^|]*$', '')
    else regexp_replace(${alias}.stream_key, '\\|[^|]*\\|[^|]*\\|[^|]*$', '') end`;

export async function down(knex: Knex): Promise<void> {
  // Of streams that then share a key, the first stored stays.
  await knex.raw(`delete from play_history p using play_history q
    where p.account_id = q.account_id and p.played_at = q.played_at
      and p.source = 'extended_export' and q.source = 'extended_export'
      and ${previousKey('p')} = ${previousKey('q')}
      and (p.recorded_at, p.stream_key) > (q.recorded_at, q.stream_key)`);
  await knex.raw(`update play_history p set stream_key = ${previousKey('p')} where p.source = 'extended_export'`);
  await knex.raw(`comment on column play_history.stream_key is 'what was played (track:<id>, the episode or chapter URI, or names and duration): with the end time, one stream'`);
}
