import type { Knex } from 'knex';

/**
 * More rollups of play_history for the stats pages and the yearly recap, kept by a trigger function of
 * their own (play_stats_keep) on the same statement-level transition tables as play_rollup_keep. Its
 * triggers are named play_stats_*, so Postgres fires them after the play_rollup_* ones (same event:
 * alphabetical order), and play_rollup_artists is already up to date when the artists' first days are
 * recomputed from it. All days, hours and years are UTC, as the daily rollups are.
 * - play_rollup_hours, play_rollup_month_hours, play_rollup_year_hours: plays per hour of the day, per
 *   day, and per weekday and hour per month and per year (a heatmap reads whole years, then whole
 *   months, then the days at the edges);
 * - play_rollup_albums, play_rollup_album_totals: top albums, per day and over all time;
 * - play_rollup_track_years, play_rollup_artist_years, play_rollup_album_years: per calendar year,
 *   ranked by an index, so a year's top lists read ten rows;
 * - play_rollup_artist_firsts: the day each artist was first heard (short plays left out);
 * - play_rollup_library: saved tracks and how many were ever played, per account (also kept by
 *   triggers on saved_tracks), so the never-played share reads one row, not the whole library.
 *
 * The SQL below is this migration's own, frozen with it.
 */

type Key = [column: string, type: 'text' | 'date' | 'smallint' | 'boolean', expression: string];

interface Rollup {
  table: string;
  comment: string;
  key: Key[];
  /** Joins and conditions after `from <plays> h left join tracks t on t.id = h.track_id`. */
  joins: string;
  ranking?: string;
}

const utc = "(h.played_at at time zone 'UTC')";
const account: Key = ['account_id', 'text', 'h.account_id'];
const day: Key = ['day', 'date', `${utc}::date`];
const source: Key = ['source', 'text', 'h.source'];
const short: Key = ['is_short', 'boolean', 'h.is_short'];
const year: Key = ['year', 'smallint', `extract(year from ${utc})::smallint`];
const trackKey: Key[] = [
  ['track_id', 'text', 'h.track_id'],
  ['track_name', 'text', 'case when h.track_id is null then h.track_name end'],
];
const artistKey: Key[] = [
  ['artist_id', 'text', 'ta.artist_id'],
  ['artist_name', 'text', 'case when ta.artist_id is null then h.artist_name end'],
];
const albumKey: Key[] = [
  ['album_id', 'text', 't.album_id'],
  ['album_name', 'text', 'case when t.album_id is null then h.album_name end'],
];
const onlyTracks = "where h.content_type = 'track'";
const credited = 'left join track_artists ta on ta.track_id = h.track_id where ta.artist_id is not null or h.artist_name is not null';
const onAlbum = "where h.content_type = 'track' and (t.album_id is not null or h.album_name is not null)";

const rollups: Rollup[] = [
  {
    table: 'play_rollup_hours',
    comment: 'Plays and minutes per account, UTC day and hour, source and short-or-not: the listening heatmap at the edges of a range.',
    key: [account, day, source, short, ['hour', 'smallint', `extract(hour from ${utc})::smallint`]],
    joins: '',
  },
  {
    table: 'play_rollup_month_hours',
    comment: 'Plays and minutes per account, UTC month, ISO weekday (1 Monday) and hour, source and short-or-not: the listening heatmap over whole months.',
    key: [
      account,
      ['month', 'date', `date_trunc('month', ${utc})::date`],
      source,
      short,
      ['weekday', 'smallint', `extract(isodow from ${utc})::smallint`],
      ['hour', 'smallint', `extract(hour from ${utc})::smallint`],
    ],
    joins: '',
  },
  {
    table: 'play_rollup_year_hours',
    comment: 'Plays and minutes per account, UTC year, ISO weekday (1 Monday) and hour, source and short-or-not: the listening heatmap over whole years.',
    key: [account, year, source, short, ['weekday', 'smallint', `extract(isodow from ${utc})::smallint`], ['hour', 'smallint', `extract(hour from ${utc})::smallint`]],
    joins: '',
  },
  {
    table: 'play_rollup_albums',
    comment: 'Plays and minutes per account, UTC day, source, short-or-not and album: top albums. Unresolved plays by the album name the source gave.',
    key: [account, day, source, short, ...albumKey],
    joins: onAlbum,
  },
  {
    table: 'play_rollup_album_totals',
    comment: 'Plays and minutes per account, short-or-not and album over all time: the all-time top albums, read in the order of their ranking index.',
    key: [account, short, ...albumKey],
    joins: onAlbum,
    ranking: '(account_id, is_short, plays desc, ms desc, album_id, album_name)',
  },
  {
    table: 'play_rollup_track_years',
    comment: 'Plays and minutes per account, UTC year, short-or-not and track: a year’s top tracks, read in the order of their ranking index.',
    key: [account, year, short, ...trackKey],
    joins: onlyTracks,
    ranking: '(account_id, year, is_short, plays desc, ms desc, track_id, track_name)',
  },
  {
    table: 'play_rollup_artist_years',
    comment: 'Plays and minutes per account, UTC year, short-or-not and credited artist: a year’s top artists, read in the order of their ranking index.',
    key: [account, year, short, ...artistKey],
    joins: credited,
    ranking: '(account_id, year, is_short, plays desc, ms desc, artist_id, artist_name)',
  },
  {
    table: 'play_rollup_album_years',
    comment: 'Plays and minutes per account, UTC year, short-or-not and album: a year’s top albums, read in the order of their ranking index.',
    key: [account, year, short, ...albumKey],
    joins: onAlbum,
    ranking: '(account_id, year, is_short, plays desc, ms desc, album_id, album_name)',
  },
];

const columnsOf = (r: Rollup) => r.key.map(([c]) => c);

function grouped(r: Rollup, rows: string): string {
  const positions = r.key.map((_, i) => i + 1).join(', ');
  return `select ${r.key.map(([, , e]) => e).join(', ')}, count(*)::int, sum(coalesce(h.ms_played, t.duration_ms, 0))::bigint
    from ${rows} h left join tracks t on t.id = h.track_id ${r.joins}
    group by ${positions}`;
}

/** Adds (1) or takes away (-1) the statement's plays through an upsert on the rollup's key; emptied rows are deleted. */
function apply(r: Rollup, rows: string, sign: 1 | -1): string {
  const columns = columnsOf(r);
  const k = columns.map((_, i) => `k${i}`);
  return `
  insert into ${r.table} (${columns.join(', ')}, plays, ms)
  select ${k.map((c) => `g.${c}`).join(', ')}, ${sign} * g.plays, ${sign} * g.ms
  from (${grouped(r, rows)}) as g(${k.join(', ')}, plays, ms)
  where exists (select 1 from accounts a where a.id = g.k0)
  order by ${columns.map((_, i) => i + 1).join(', ')}
  on conflict (${columns.join(', ')}) do update set plays = ${r.table}.plays + excluded.plays, ms = ${r.table}.ms + excluded.ms;${
    sign === -1 ? `\n  delete from ${r.table} x where x.plays = 0 and x.account_id in (select distinct account_id from ${rows});` : ''
  }`;
}

/** The artists credited on the plays of `rows`, short ones left out, with the day of the first. */
const firstsOf = (rows: string) => `
  select h.account_id, ta.artist_id, case when ta.artist_id is null then h.artist_name end as artist_name, min(${utc}::date) as first_day
  from ${rows} h left join track_artists ta on ta.track_id = h.track_id
  where not h.is_short and (ta.artist_id is not null or h.artist_name is not null)
  group by 1, 2, 3`;

/**
 * Plays added move an artist's first day earlier at most. Plays taken away (or changed) may move it
 * later: those artists' first days are read again from play_rollup_artists, already updated by then,
 * through its artist index (two lookups, one for an artist id and one for a name the source gave).
 */
const firstsSql = {
  added: `
  insert into play_rollup_artist_firsts as f (account_id, artist_id, artist_name, first_day)
  select n.* from (${firstsOf('new_plays')}) n where exists (select 1 from accounts a where a.id = n.account_id)
  on conflict (account_id, artist_id, artist_name) do update set first_day = least(f.first_day, excluded.first_day);`,
  removed: `
  with touched as (${firstsOf('old_plays')}),
  again as (
    select t.account_id, t.artist_id, t.artist_name,
           coalesce(
             (select min(r.day) from play_rollup_artists r where r.account_id = t.account_id and not r.is_short and r.artist_id = t.artist_id),
             (select min(r.day) from play_rollup_artists r where r.account_id = t.account_id and not r.is_short and t.artist_id is null and r.artist_id is null and r.artist_name = t.artist_name)
           ) as first_day
    from touched t
  ),
  moved as (
    update play_rollup_artist_firsts f set first_day = a.first_day from again a
    where a.first_day is not null and f.account_id = a.account_id and coalesce(f.artist_id, '') = coalesce(a.artist_id, '') and coalesce(f.artist_name, '') = coalesce(a.artist_name, '')
    returning 1
  )
  delete from play_rollup_artist_firsts f using again a
  where a.first_day is null and f.account_id = a.account_id and coalesce(f.artist_id, '') = coalesce(a.artist_id, '') and coalesce(f.artist_name, '') = coalesce(a.artist_name, '');`,
};

/**
 * The saved tracks played at least once, per account (play_rollup_library.saved_played): a track's
 * plays change by the statement's count; whether it was played before is its all-time total (already
 * updated by play_rollup_keep) less that change. Only saved tracks (not removed) count.
 */
function libraryPlaysSql(parts: ('new_plays' | 'old_plays')[]): string {
  const rows = parts
    .map((t) => `select account_id, track_id, ${t === 'new_plays' ? 1 : -1} as c from ${t} where track_id is not null and content_type = 'track'`)
    .join(' union all ');
  return `
  with counts as (
    select x.account_id, x.track_id, sum(x.c)::int as change from (${rows}) x group by 1, 2 having sum(x.c) <> 0
  ),
  states as (
    select c.account_id, c.change,
           coalesce((select sum(p.plays) from play_rollup_track_totals p where p.account_id = c.account_id and p.track_id = c.track_id), 0) as total
    from counts c
    where exists (select 1 from saved_tracks s where s.account_id = c.account_id and s.track_id = c.track_id and s.removed_at is null)
  )
  update play_rollup_library l set saved_played = l.saved_played + d.delta
  from (select account_id, sum((total > 0)::int - ((total - change) > 0)::int)::int as delta from states group by 1) d
  where l.account_id = d.account_id and d.delta <> 0;`;
}

/** The saved-tracks side: saves coming (new rows not removed) and going (old rows not removed), each played or not. */
function librarySavesSql(parts: ('new_saved' | 'old_saved')[]): string {
  const rows = parts
    .map(
      (t) => `select r.account_id, ${t === 'new_saved' ? 1 : -1} as sign,
       (exists (select 1 from play_rollup_track_totals p where p.account_id = r.account_id and p.track_id = r.track_id))::int as played
       from ${t} r where r.removed_at is null`,
    )
    .join(' union all ');
  return `
  insert into play_rollup_library as l (account_id, saved, saved_played)
  select d.account_id, sum(d.sign)::int, sum(d.sign * d.played)::int from (${rows}) d
  where exists (select 1 from accounts a where a.id = d.account_id)
  group by 1
  on conflict (account_id) do update set saved = l.saved + excluded.saved, saved_played = l.saved_played + excluded.saved_played;`;
}

const libraryKeepSql = `
  create function play_library_keep() returns trigger language plpgsql as $$
  begin
    if tg_op = 'TRUNCATE' then update play_rollup_library set saved = 0, saved_played = 0; return null; end if;
    if tg_op = 'INSERT' then ${librarySavesSql(['new_saved'])}
    elsif tg_op = 'DELETE' then ${librarySavesSql(['old_saved'])}
    else ${librarySavesSql(['new_saved', 'old_saved'])}
    end if;
    return null;
  end $$`;

function keepFunctionSql(): string {
  return `
    create function play_stats_keep() returns trigger language plpgsql as $$
    begin
      if tg_op = 'TRUNCATE' then
        ${[...rollups.map((r) => r.table), 'play_rollup_artist_firsts'].map((t) => `delete from ${t};`).join('\n        ')}
        update play_rollup_library set saved_played = 0;
        return null;
      end if;
      if tg_op in ('DELETE', 'UPDATE') then ${rollups.map((r) => apply(r, 'old_plays', -1)).join('\n')}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then ${rollups.map((r) => apply(r, 'new_plays', 1)).join('\n')}
      end if;
      if tg_op in ('DELETE', 'UPDATE') then ${firstsSql.removed}
      end if;
      if tg_op in ('INSERT', 'UPDATE') then ${firstsSql.added}
      end if;
      if tg_op = 'INSERT' then ${libraryPlaysSql(['new_plays'])}
      elsif tg_op = 'DELETE' then ${libraryPlaysSql(['old_plays'])}
      else ${libraryPlaysSql(['new_plays', 'old_plays'])}
      end if;
      return null;
    end $$`;
}

export async function up(knex: Knex): Promise<void> {
  for (const r of rollups) {
    await knex.schema.createTable(r.table, (t) => {
      t.comment(`${r.comment} Kept by triggers on play_history; never written by the application.`);
      for (const [column, type] of r.key) {
        if (column === 'account_id') t.text(column).notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName(`${r.table}_account_id_fk`);
        else if (type === 'text') t.text(column);
        else if (type === 'date') t.date(column).notNullable();
        else if (type === 'smallint') t.smallint(column).notNullable();
        else t.boolean(column).notNullable();
      }
      t.integer('plays').notNullable();
      t.bigInteger('ms').notNullable().comment('ms_played where the source measured it, else the track duration');
    });
    await knex.raw(`alter table ${r.table} add constraint ${r.table}_key unique nulls not distinct (${columnsOf(r).join(', ')})`);
    await knex.raw(`create index ${r.table}_emptied_idx on ${r.table} (account_id) where plays = 0`);
    if (r.ranking) await knex.raw(`create index ${r.table}_ranking_idx on ${r.table} ${r.ranking}`);
  }
  await knex.raw('create index play_rollup_albums_album_idx on play_rollup_albums (account_id, album_id, album_name, day) where not is_short');

  await knex.schema.createTable('play_rollup_artist_firsts', (t) => {
    t.comment('The UTC day each credited artist was first heard (short plays left out): artists discovered. Kept by triggers on play_history.');
    t.text('account_id').notNullable().references('id').inTable('accounts').onDelete('CASCADE').withKeyName('play_rollup_artist_firsts_account_id_fk');
    t.text('artist_id');
    t.text('artist_name').comment('the name the source gave, for plays of no credited artist');
    t.date('first_day').notNullable();
  });
  await knex.raw('alter table play_rollup_artist_firsts add constraint play_rollup_artist_firsts_key unique nulls not distinct (account_id, artist_id, artist_name)');
  await knex.raw('create index play_rollup_artist_firsts_day_idx on play_rollup_artist_firsts (account_id, first_day)');
  // The never-played share: saved tracks without a row here, found through this index.
  await knex.raw('create index play_rollup_track_totals_track_idx on play_rollup_track_totals (account_id, track_id)');
  // The first days are read again per artist from the daily artist rollup when plays go away.
  await knex.raw('create index play_rollup_artists_artist_idx on play_rollup_artists (account_id, artist_id, artist_name, day) where not is_short');

  await knex.schema.createTable('play_rollup_library', (t) => {
    t.comment('Per account: saved tracks (not removed) and how many of them were ever played (a track play of any length). Kept by triggers on saved_tracks and play_history.');
    t.text('account_id').primary('play_rollup_library_pkey').references('id').inTable('accounts').onDelete('CASCADE').withKeyName('play_rollup_library_account_id_fk');
    t.integer('saved').notNullable().defaultTo(0);
    t.integer('saved_played').notNullable().defaultTo(0);
  });
  await knex.raw(libraryKeepSql);
  await knex.raw(`comment on function play_library_keep() is 'keeps play_rollup_library.saved and saved_played equal to counts over saved_tracks, one statement at a time'`);
  await knex.raw('create trigger play_library_insert after insert on saved_tracks referencing new table as new_saved for each statement execute function play_library_keep()');
  await knex.raw('create trigger play_library_delete after delete on saved_tracks referencing old table as old_saved for each statement execute function play_library_keep()');
  await knex.raw(
    'create trigger play_library_update after update on saved_tracks referencing old table as old_saved new table as new_saved for each statement execute function play_library_keep()',
  );
  await knex.raw('create trigger play_library_truncate after truncate on saved_tracks for each statement execute function play_library_keep()');

  await knex.raw(keepFunctionSql());
  await knex.raw(`comment on function play_stats_keep() is 'keeps the play_rollup_* tables of 20261207500000 equal to aggregates over play_history, one statement at a time'`);
  await knex.raw('create trigger play_stats_insert after insert on play_history referencing new table as new_plays for each statement execute function play_stats_keep()');
  await knex.raw('create trigger play_stats_delete after delete on play_history referencing old table as old_plays for each statement execute function play_stats_keep()');
  await knex.raw(
    'create trigger play_stats_update after update on play_history referencing old table as old_plays new table as new_plays for each statement execute function play_stats_keep()',
  );
  await knex.raw('create trigger play_stats_truncate after truncate on play_history for each statement execute function play_stats_keep()');

  for (const r of rollups) await knex.raw(`insert into ${r.table} (${columnsOf(r).join(', ')}, plays, ms) ${grouped(r, 'play_history')}`);
  await knex.raw(`insert into play_rollup_artist_firsts (account_id, artist_id, artist_name, first_day) ${firstsOf('play_history')}`);
  await knex.raw(`insert into play_rollup_library (account_id, saved, saved_played)
    select s.account_id, count(*)::int,
           count(*) filter (where exists (select 1 from play_rollup_track_totals p where p.account_id = s.account_id and p.track_id = s.track_id))::int
    from saved_tracks s where s.removed_at is null group by 1`);
}

export async function down(knex: Knex): Promise<void> {
  for (const op of ['insert', 'delete', 'update', 'truncate']) await knex.raw(`drop trigger play_stats_${op} on play_history`);
  await knex.raw('drop function play_stats_keep()');
  for (const op of ['insert', 'delete', 'update', 'truncate']) await knex.raw(`drop trigger play_library_${op} on saved_tracks`);
  await knex.raw('drop function play_library_keep()');
  await knex.schema.dropTable('play_rollup_library');
  await knex.raw('drop index play_rollup_artists_artist_idx');
  await knex.raw('drop index play_rollup_track_totals_track_idx');
  await knex.schema.dropTable('play_rollup_artist_firsts');
  for (const r of [...rollups].reverse()) await knex.schema.dropTable(r.table);
}
