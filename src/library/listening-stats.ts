import type { Db } from '../db/connect.js';
import { minutes, rollupInRange, type HistoryRange } from './history.js';
import { calendarYearOf, memoOverPlays } from './play-memo.js';

/**
 * The listening stats beyond the chart and the top lists: top albums, when you listen (weekday × hour),
 * streaks, artists heard for the first time per month, and how much of the library was never played.
 * Read from the rollups kept by triggers on play_history (migrations 20261202000000 and
 * 20261207500000). Every day, hour and weekday is UTC, as the daily rollups and the chart are: an
 * account has no time zone of its own (Spotify does not give one).
 */

/** A range of whole UTC days, both ends known. */
export type DayRange = HistoryRange & { from: string; to: string };

export interface TopAlbum {
  albumId: string | null;
  albumName: string | null;
  artistName: string | null;
  plays: number;
  minutes: number;
}

export interface HeatmapCell {
  /** ISO weekday, 1 Monday to 7 Sunday. */
  weekday: number;
  /** UTC hour, 0 to 23. */
  hour: number;
  plays: number;
  minutes: number;
}

export interface Streak {
  days: number;
  from: string;
  to: string;
}

export interface ListeningStats {
  from: string;
  to: string;
  topAlbums: TopAlbum[];
  /** Every weekday × hour, 168 cells, Monday 00:00 first. */
  heatmap: HeatmapCell[];
  streaks: { longest: Streak | null; latest: Streak | null };
  /** Every month of the range with the artists first heard in it (short plays left out, every source). */
  newArtistsByMonth: { month: string; artists: number }[];
  /** Saved tracks (not removed) and how many of them have no play at all, of any source or length. */
  library: { saved: number; neverPlayed: number };
}

const primaryAlbumArtist = (albumId: string) =>
  `(select a.name from album_artists aa join artists a on a.id = aa.artist_id where aa.album_id = ${albumId} order by aa.position limit 1)`;

/**
 * The top albums of a range: all time and a calendar year (every source, short plays left out) read a
 * ranking index; any other range sums the daily album rollup.
 */
export async function readTopAlbums(db: Db, accountId: string, range: DayRange & { allTime: boolean }, top: number): Promise<TopAlbum[]> {
  const plain = range.source === undefined && !range.includeShort;
  const year = plain ? calendarYearOf(range) : null;
  const ranked =
    plain && range.allTime
      ? db('play_rollup_album_totals as r').where({ 'r.account_id': accountId, 'r.is_short': false })
      : year !== null
        ? db('play_rollup_album_years as r').where({ 'r.account_id': accountId, 'r.year': year, 'r.is_short': false })
        : null;
  const leaders = ranked
    ? ranked.orderByRaw('r.plays desc, r.ms desc, r.album_id, r.album_name').limit(top).select('r.album_id', 'r.album_name', 'r.plays', 'r.ms')
    : db
        .from(
          rollupInRange(db, 'play_rollup_albums', accountId, range)
            .select('r.album_id', 'r.album_name', db.raw('sum(r.plays)::int as plays'), db.raw('sum(r.ms)::bigint as ms'))
            .groupBy('r.album_id', 'r.album_name')
            .as('p'),
        )
        .orderByRaw('p.plays desc, p.ms desc, p.album_id, p.album_name')
        .limit(top)
        .select('*');
  const read = async () =>
    (
      await db.raw(
        `select top.album_id, coalesce(al.name, top.album_name) as album_name, ${primaryAlbumArtist('top.album_id')} as artist_name, top.plays, top.ms
         from (?) top left join albums al on al.id = top.album_id
         order by top.plays desc, top.ms desc, top.album_id, top.album_name`,
        [leaders],
      )
    ).rows as unknown[];
  // Another range sums every album row of its days (~30k for a year of varied listening): kept until the plays change.
  const rows = ranked
    ? await read()
    : await memoOverPlays(db, accountId, `top-albums ${JSON.stringify([range.from, range.to, range.source ?? null, !!range.includeShort, top])}`, read);
  return (rows as { album_id: string | null; album_name: string | null; artist_name: string | null; plays: number; ms: string }[]).map((r) => ({
    albumId: r.album_id,
    albumName: r.album_name,
    artistName: r.artist_name,
    plays: r.plays,
    minutes: minutes(Number(r.ms)),
  }));
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** The whole months inside a range: [first day of the first, first day after the last), or null. */
export function wholeMonths(from: string, to: string): { start: string; end: string } | null {
  const start = from.endsWith('-01') ? from : isoDay(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)), 1));
  const after = new Date(Date.parse(`${to}T00:00:00Z`) + DAY);
  const end = isoDay(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), 1));
  return start < end ? { start, end } : null;
}

/** The whole calendar years inside a range: [first, after last), or null. */
export function wholeYears(from: string, to: string): { start: number; end: number } | null {
  const start = Number(from.slice(0, 4)) + (from.endsWith('-01-01') ? 0 : 1);
  const end = Number(to.slice(0, 4)) + (to.endsWith('-12-31') ? 1 : 0);
  return start < end ? { start, end } : null;
}

/**
 * Plays per UTC weekday and hour: the yearly rollup for the whole years, the monthly one for the other
 * whole months, the hourly one for the days at the edges (all time over ten years reads ~4k rows, not 50k).
 */
export async function readHeatmap(db: Db, accountId: string, range: DayRange): Promise<HeatmapCell[]> {
  const months = wholeMonths(range.from, range.to);
  const years = wholeYears(range.from, range.to);
  const filtered = (q: ReturnType<Db>) => {
    if (range.source !== undefined) q.where('r.source', range.source);
    if (!range.includeShort) q.where('r.is_short', false);
    return q;
  };
  const edges = rollupInRange(db, 'play_rollup_hours', accountId, range).select(db.raw('extract(isodow from r.day)::int as weekday'), 'r.hour', 'r.plays', 'r.ms');
  if (months) edges.where((q) => q.where('r.day', '<', months.start).orWhere('r.day', '>=', months.end));
  const parts = [edges];
  if (months) {
    const whole = filtered(db('play_rollup_month_hours as r'))
      .where('r.account_id', accountId)
      .where('r.month', '>=', months.start)
      .where('r.month', '<', months.end)
      .select('r.weekday', 'r.hour', 'r.plays', 'r.ms');
    if (years) whole.where((q) => q.where('r.month', '<', `${years.start}-01-01`).orWhere('r.month', '>=', `${years.end}-01-01`));
    parts.push(whole);
  }
  if (years) {
    parts.push(
      filtered(db('play_rollup_year_hours as r'))
        .where('r.account_id', accountId)
        .where('r.year', '>=', years.start)
        .where('r.year', '<', years.end)
        .select('r.weekday', 'r.hour', 'r.plays', 'r.ms'),
    );
  }
  const result = await db.raw(
    `select x.weekday::int, x.hour::int, sum(x.plays)::int as plays, sum(x.ms)::bigint as ms from (${parts.map(() => '?').join(' union all ')}) x group by 1, 2`,
    parts,
  );
  const cells = new Map((result.rows as { weekday: number; hour: number; plays: number; ms: string }[]).map((r) => [`${r.weekday}:${r.hour}`, r]));
  const grid: HeatmapCell[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const c = cells.get(`${weekday}:${hour}`);
      grid.push({ weekday, hour, plays: c?.plays ?? 0, minutes: minutes(Number(c?.ms ?? 0)) });
    }
  }
  return grid;
}

/**
 * Runs of consecutive UTC days with a play in the range (a run crosses month and year borders): the
 * longest (the earliest of equal ones) and the latest.
 */
export async function readStreaks(db: Db, accountId: string, range: DayRange): Promise<{ longest: Streak | null; latest: Streak | null }> {
  const days = rollupInRange(db, 'play_rollup_days', accountId, range).distinct('r.day');
  const result = await db.raw(
    `with runs as (
       select to_char(min(d.day), 'YYYY-MM-DD') as "from", to_char(max(d.day), 'YYYY-MM-DD') as "to", count(*)::int as days
       from (select x.day, x.day - (row_number() over (order by x.day))::int as run from (?) x) d
       group by d.run
     )
     (select 'longest' as which, * from runs order by days desc, "from" limit 1)
     union all
     (select 'latest', * from runs order by "from" desc limit 1)`,
    [days],
  );
  const rows = result.rows as ({ which: 'longest' | 'latest' } & Streak)[];
  const pick = (which: string) => {
    const r = rows.find((x) => x.which === which);
    return r ? { days: r.days, from: r.from, to: r.to } : null;
  };
  return { longest: pick('longest'), latest: pick('latest') };
}

/** Artists first heard in each month of the range (short plays left out, every source), empty months included. */
export async function readNewArtistsByMonth(db: Db, accountId: string, range: { from: string; to: string }): Promise<{ month: string; artists: number }[]> {
  const result = await db.raw(
    `select to_char(s.month, 'YYYY-MM') as month, coalesce(n.artists, 0)::int as artists
     from generate_series(date_trunc('month', ?::date), date_trunc('month', ?::date), interval '1 month') s(month)
     left join (
       select date_trunc('month', f.first_day) as month, count(*)::int as artists
       from play_rollup_artist_firsts f where f.account_id = ? and f.first_day between ?::date and ?::date group by 1
     ) n on n.month = s.month
     order by s.month`,
    [range.from, range.to, accountId, range.from, range.to],
  );
  return result.rows as { month: string; artists: number }[];
}

/** Saved tracks, not removed, and how many of them were never played (all time, any source, short plays count): one row kept by triggers. */
export async function readNeverPlayed(db: Db, accountId: string): Promise<{ saved: number; neverPlayed: number }> {
  const row = (await db('play_rollup_library').where('account_id', accountId).first('saved', 'saved_played')) as { saved: number; saved_played: number } | undefined;
  return { saved: row?.saved ?? 0, neverPlayed: (row?.saved ?? 0) - (row?.saved_played ?? 0) };
}

/** Everything above for one range; `allTime`: the range holds the whole history (the top albums read the all-time ranking). */
export async function readListeningStats(db: Db, accountId: string, range: DayRange & { allTime: boolean }, top: number): Promise<ListeningStats> {
  // The heatmap, the streaks and the new artists depend on the plays alone and sum thousands of rollup
  // rows over a long range (ten years: ~7k hour rows, ~3.6k days): kept until the plays change. The top
  // albums carry the catalog's names (memoized where they sum days); the library counts change with saves.
  const key = JSON.stringify([range.from, range.to, range.source ?? null, !!range.includeShort]);
  const [topAlbums, { heatmap, streaks, newArtistsByMonth }, library] = await Promise.all([
    readTopAlbums(db, accountId, range, top),
    memoOverPlays(db, accountId, `listening ${key}`, async () => {
      const [heatmap, streaks, newArtistsByMonth] = await Promise.all([
        readHeatmap(db, accountId, range),
        readStreaks(db, accountId, range),
        readNewArtistsByMonth(db, accountId, range),
      ]);
      return { heatmap, streaks, newArtistsByMonth };
    }),
    readNeverPlayed(db, accountId),
  ]);
  return { from: range.from, to: range.to, topAlbums, heatmap, streaks, newArtistsByMonth, library };
}

export interface EntityListening {
  plays: number;
  minutes: number;
  firstDay: string | null;
  lastDay: string | null;
  /** Every year from the first play to the last. */
  byYear: { year: number; plays: number; minutes: number }[];
}

/**
 * Your plays of one artist (counting every track crediting it) or one album, short plays left out,
 * every source: read from the daily rollup through its per-artist or per-album index.
 */
export async function readEntityListening(db: Db, accountId: string, entity: { artistId: string } | { albumId: string }): Promise<EntityListening> {
  const [table, column, id] =
    'artistId' in entity ? (['play_rollup_artists', 'artist_id', entity.artistId] as const) : (['play_rollup_albums', 'album_id', entity.albumId] as const);
  const rows = (await db(`${table} as r`)
    .where({ 'r.account_id': accountId, [`r.${column}`]: id })
    .whereRaw('not r.is_short') // the partial per-artist and per-album indexes
    .groupByRaw('1')
    .orderByRaw('1')
    .select(
      db.raw('extract(year from r.day)::int as year'),
      db.raw('sum(r.plays)::int as plays'),
      db.raw('sum(r.ms)::bigint as ms'),
      db.raw("to_char(min(r.day), 'YYYY-MM-DD') as first_day"),
      db.raw("to_char(max(r.day), 'YYYY-MM-DD') as last_day"),
    )) as { year: number; plays: number; ms: string; first_day: string; last_day: string }[];
  const byYear: EntityListening['byYear'] = [];
  const first = rows[0];
  const last = rows.at(-1);
  if (first && last) {
    const found = new Map(rows.map((r) => [r.year, r]));
    for (let y = first.year; y <= last.year; y++) byYear.push({ year: y, plays: found.get(y)?.plays ?? 0, minutes: minutes(Number(found.get(y)?.ms ?? 0)) });
  }
  const ms = rows.reduce((n, r) => n + Number(r.ms), 0);
  return { plays: rows.reduce((n, r) => n + r.plays, 0), minutes: minutes(ms), firstDay: first?.first_day ?? null, lastDay: last?.last_day ?? null, byYear };
}
