import type { Knex } from 'knex';

/**
 * The history statistics' rollups, kept by the database itself. Statement-level triggers on
 * play_history read the statement's transition tables, so every writer (the playback poll, the history
 * import and its later track resolution, the backup restore, a hand-written insert) keeps them exact
 * in one place, at the cost of five grouped upserts per statement:
 * - play_rollup_days: plays and minutes per account, UTC day, source and short-or-not (the chart);
 * - play_rollup_tracks: the same per track (top tracks);
 * - play_rollup_artists: the same per credited artist (top artists);
 * - play_rollup_track_totals, play_rollup_artist_totals: per track and per artist over all time, with
 *   an index in ranking order, so the all-time top lists read ten rows instead of every track.
 * A play counts for what its source measured, else its track's duration, read with the track's credits
 * when the play is written or resolved to a track: Spotify never changes either for a track id, and a
 * track reaches the catalog with both (the play's foreign key needs the track first).
 *
 * The SQL below is this migration's own, frozen with it: it creates what it always created (the later
 * 20261202000300 replaces the trigger function with its own copy).
 */

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

/** The rollups as this migration defines them: the track rollups count episodes and audiobooks too, by their names. */
const rollups: Rollup[] = [
  { table: 'play_rollup_days', comment: 'Plays and minutes per account, UTC day, source and short-or-not: the history chart.', daily: true, extra: [], joins: '' },
  {
    table: 'play_rollup_tracks',
    comment: 'Plays and minutes per account, UTC day, source, short-or-not and track: top tracks. Unresolved plays by the names the source gave.',
    daily: true,
    extra: [...trackKey, ['artist_name', 'h.artist_name']],
    joins: '',
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
    joins: '',
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

/** The trigger function keeping the rollups. */
function keepFunctionSql(): string {
  return `
    create function play_rollup_keep() returns trigger language plpgsql as $$
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

export async function up(knex: Knex): Promise<void> {
  for (const r of rollups) {
    await knex.schema.createTable(r.table, (t) => {
      t.comment(`${r.comment} Kept by triggers on play_history; never written by the application.`);
      t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName(`${r.table}_account_id_fk`);
      if (r.daily) {
        t.date('day').notNullable().comment('UTC day of played_at');
        t.text('source').notNullable();
      }
      t.boolean('is_short').notNullable();
      for (const [column] of r.extra) t.text(column);
      t.integer('plays').notNullable();
      t.bigInteger('ms').notNullable().comment('ms_played where the source measured it, else the track duration');
    });
    await knex.raw(`alter table ${r.table} add constraint ${r.table}_key unique nulls not distinct (${keyOf(r).join(', ')})`);
    // Emptied rows are found through this (nearly always empty) index, not by scanning the account's rows.
    await knex.raw(`create index ${r.table}_emptied_idx on ${r.table} (account_id) where plays = 0`);
    if (r.ranking) await knex.raw(`create index ${r.table}_ranking_idx on ${r.table} ${r.ranking}`);
  }

  await knex.raw(keepFunctionSql());
  await knex.raw(`comment on function play_rollup_keep() is 'keeps the play_rollup_* tables equal to aggregates over play_history, one statement at a time'`);
  await knex.raw('create trigger play_rollup_insert after insert on play_history referencing new table as new_plays for each statement execute function play_rollup_keep()');
  await knex.raw('create trigger play_rollup_delete after delete on play_history referencing old table as old_plays for each statement execute function play_rollup_keep()');
  await knex.raw(
    'create trigger play_rollup_update after update on play_history referencing old table as old_plays new table as new_plays for each statement execute function play_rollup_keep()',
  );
  await knex.raw('create trigger play_rollup_truncate after truncate on play_history for each statement execute function play_rollup_keep()');

  // Backfill the plays stored before the rollups existed.
  for (const r of rollups) await knex.raw(`insert into ${r.table} (${keyOf(r).join(', ')}, plays, ms) ${grouped(r, 'play_history')}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ['insert', 'delete', 'update', 'truncate']) await knex.raw(`drop trigger play_rollup_${op} on play_history`);
  await knex.raw('drop function play_rollup_keep()');
  for (const r of [...rollups].reverse()) await knex.schema.dropTable(r.table);
}
