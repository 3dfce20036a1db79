import type { Knex } from 'knex';

// The SQL below is this migration's own, frozen with it (the rollups' definitions both ways).

interface Rollup {
  table: string;
  comment: string;
  /** Whether the key has the UTC day and the source (the all-time totals have neither). */
  daily: boolean;
  /** Key columns beyond account, (day, source) and is_short, with the expression each is read from. */
  extra: [column: string, expression: string][];
  /** Joins and conditions after `from <plays> h left join tracks t on t.id = h.track_id`. */
  joins: string;
  /** An index ranking the rows (the all-time top lists read it in order). */
  ranking?: string;
}

const trackKey: Rollup['extra'] = [
  ['track_id', 'h.track_id'],
  ['track_name', 'case when h.track_id is null then h.track_name end'],
];
const artistKey: Rollup['extra'] = [
  ['artist_id', 'ta.artist_id'],
  ['artist_name', 'case when ta.artist_id is null then h.artist_name end'],
];
const creditedJoin = 'left join track_artists ta on ta.track_id = h.track_id where ta.artist_id is not null or h.artist_name is not null';

/**
 * The rollups. `tracksOnly`: whether the track rollups count plays of tracks alone (up); without it
 * (down) they are as 20261202000000 created them, counting episodes and audiobooks by their names.
 */
function playRollups({ tracksOnly }: { tracksOnly: boolean }): Rollup[] {
  const onlyTracks = tracksOnly ? "where h.content_type = 'track'" : '';
  return [
    { table: 'play_rollup_days', comment: 'Plays and minutes per account, UTC day, source and short-or-not: the history chart.', daily: true, extra: [], joins: '' },
    {
      table: 'play_rollup_tracks',
      comment: 'Plays and minutes per account, UTC day, source, short-or-not and track: top tracks. Unresolved plays by the names the source gave.',
      daily: true,
      extra: [...trackKey, ['artist_name', 'h.artist_name']],
      joins: onlyTracks,
    },
    {
      table: 'play_rollup_artists',
      comment:
        'Plays and minutes per account, UTC day, source, short-or-not and credited artist (a play counts for each): top artists. Plays of no credited artist by the artist name the source gave.',
      daily: true,
      extra: artistKey,
      joins: creditedJoin,
    },
    {
      table: 'play_rollup_track_totals',
      comment: 'Plays and minutes per account, short-or-not and track over all time: the all-time top tracks, read in the order of their ranking index.',
      daily: false,
      extra: trackKey,
      joins: onlyTracks,
      ranking: '(account_id, is_short, plays desc, ms desc, track_id, track_name)',
    },
    {
      table: 'play_rollup_artist_totals',
      comment: 'Plays and minutes per account, short-or-not and credited artist over all time: the all-time top artists, read in the order of their ranking index.',
      daily: false,
      extra: artistKey,
      joins: creditedJoin,
      ranking: '(account_id, is_short, plays desc, ms desc, artist_id, artist_name)',
    },
  ];
}

const keyOf = (r: Rollup) => ['account_id', ...(r.daily ? ['day', 'source'] : []), 'is_short', ...r.extra.map(([c]) => c)];

/** The statement's plays grouped by the rollup's key; `rows` is a transition table (or play_history for the backfill). */
function grouped(r: Rollup, rows: string): string {
  const keys = ['h.account_id', ...(r.daily ? [`(h.played_at at time zone 'UTC')::date`, 'h.source'] : []), 'h.is_short', ...r.extra.map(([, e]) => e)];
  const positions = keys.map((_, i) => i + 1).join(', ');
  return `select ${keys.join(', ')}, count(*)::int, sum(coalesce(h.ms_played, t.duration_ms, 0))::bigint
    from ${rows} h left join tracks t on t.id = h.track_id ${r.joins}
    group by ${positions}`;
}

/**
 * Adds (sign 1) or takes away (sign -1) the statement's plays: an upsert on the rollup's unique key
 * either way, so the key's index finds each row (a join on `is not distinct from` could not use it, and
 * scanned the rollup once per group). Rows emptied by a removal are deleted through the partial index.
 * An account being deleted is skipped: its rollup rows go with it (on delete cascade).
 */
const apply = (r: Rollup, rows: string, sign: 1 | -1) => `
  insert into ${r.table} (${keyOf(r).join(', ')}, plays, ms)
  select ${keyOf(r)
    .map((_, i) => `g.k${i}`)
    .join(', ')}, ${sign} * g.plays, ${sign} * g.ms
  from (${grouped(r, rows)}) as g(${keyOf(r)
    .map((_, i) => `k${i}`)
    .join(', ')}, plays, ms)
  where exists (select 1 from accounts a where a.id = g.k0)
  order by ${keyOf(r)
    .map((_, i) => i + 1)
    .join(', ')}
  on conflict (${keyOf(r).join(', ')}) do update set plays = ${r.table}.plays + excluded.plays, ms = ${r.table}.ms + excluded.ms;${
    sign === -1
      ? `
  delete from ${r.table} x where x.plays = 0 and x.account_id in (select distinct account_id from ${rows});`
      : ''
  }`;

/** The trigger function keeping `rollups`, replacing the one there. */
function keepFunctionSql(rollups: readonly Rollup[]): string {
  return `
    create or replace function play_rollup_keep() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        ${rollups.map((r) => `delete from ${r.table};`).join('\n        ')}
        return null;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then ${rollups.map((r) => apply(r, 'old_plays', -1)).join('\n')}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then ${rollups.map((r) => apply(r, 'new_plays', 1)).join('\n')}
      end if;
      return null;
    end $$`;
}

/**
 * The track rollups (top tracks) count plays of tracks only: podcast episodes and audiobook chapters
 * are kept as what they are, and a top list of tracks does not show them. The trigger function is
 * replaced and the two track rollups are rebuilt from play_history.
 */
async function rebuildTrackRollups(knex: Knex, tracksOnly: boolean): Promise<void> {
  const rollups = playRollups({ tracksOnly });
  await knex.raw(keepFunctionSql(rollups));
  for (const r of rollups.filter((x) => x.table === 'play_rollup_tracks' || x.table === 'play_rollup_track_totals')) {
    await knex(r.table).delete();
    await knex.raw(`insert into ${r.table} (${keyOf(r).join(', ')}, plays, ms) ${grouped(r, 'play_history')}`);
  }
}

export const up = (knex: Knex): Promise<void> => rebuildTrackRollups(knex, true);
export const down = (knex: Knex): Promise<void> => rebuildTrackRollups(knex, false);
