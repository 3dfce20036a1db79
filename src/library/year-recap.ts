import type { Db } from '../db/connect.js';
import { minutes, readHistorySpan } from './history.js';
import type { Streak } from './listening-stats.js';

/**
 * "Your year": a calendar year (UTC) of listening, every source, short plays (< 30 s) left out. Read
 * from the rollups only: the year's days (at most 366 rows), the per-year rankings (ten rows each,
 * in the order of their ranking index), the artists' first days and, for genres, the year's artists.
 */
export interface YearRecap {
  year: number;
  /** The years with plays, for links to the others (empty when there are none). */
  years: number[];
  plays: number;
  minutes: number;
  /** Days with at least one play. */
  daysListened: number;
  /** The twelve months, empty ones included. */
  byMonth: { month: string; plays: number; minutes: number }[];
  topMonth: { month: string; minutes: number } | null;
  topDay: { day: string; plays: number; minutes: number } | null;
  topTracks: { trackId: string | null; trackName: string | null; artistName: string | null; plays: number; minutes: number }[];
  topArtists: { artistId: string | null; artistName: string | null; plays: number; minutes: number }[];
  topAlbums: { albumId: string | null; albumName: string | null; artistName: string | null; plays: number; minutes: number }[];
  /** Genres of the year's artists (where Spotify gives any), by the plays of those artists. */
  genres: { genre: string; plays: number }[];
  /** Artists first heard this year: how many, and the ten you played most this year. */
  discovered: { count: number; artists: { artistId: string | null; artistName: string | null; plays: number }[] };
  longestStreak: Streak | null;
}

const TOP = 10;

/** The longest run of consecutive days in a sorted list of YYYY-MM-DD days (the earliest of equal ones). */
export function longestRun(days: readonly string[]): Streak | null {
  let best: Streak | null = null;
  let run: Streak | null = null;
  for (const d of days) {
    const next: boolean = run !== null && Date.parse(d) - Date.parse(run.to) === 86_400_000;
    run = next && run ? { days: run.days + 1, from: run.from, to: d } : { days: 1, from: d, to: d };
    if (best === null || run.days > best.days) best = run;
  }
  return best;
}

export async function readYearRecap(db: Db, accountId: string, year: number): Promise<YearRecap> {
  const from = `${String(year).padStart(4, '0')}-01-01`;
  const to = `${String(year).padStart(4, '0')}-12-31`;
  const yearly = (table: string) => db(`${table} as r`).where({ 'r.account_id': accountId, 'r.year': year, 'r.is_short': false });

  const daysQuery = db('play_rollup_days')
    .where({ account_id: accountId, is_short: false })
    .whereBetween('day', [from, to])
    .groupBy('day')
    .orderBy('day')
    .select(db.raw("to_char(day, 'YYYY-MM-DD') as day"), db.raw('sum(plays)::int as plays'), db.raw('sum(ms)::bigint as ms'));

  const tracksQuery = db.raw(
    `select r.track_id, coalesce(t.name, r.track_name) as track_name,
            coalesce(
              (select a.name from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = r.track_id order by ta.position limit 1),
              (select max(h.artist_name) from play_history h where h.account_id = r.account_id and h.track_id is null and h.track_name = r.track_name and not h.is_short)
            ) as artist_name, r.plays, r.ms
     from (?) r left join tracks t on t.id = r.track_id
     order by r.plays desc, r.ms desc, r.track_id, r.track_name`,
    [yearly('play_rollup_track_years').orderByRaw('r.plays desc, r.ms desc, r.track_id, r.track_name').limit(TOP).select('r.*')],
  );
  const artistsQuery = db.raw(
    `select r.artist_id, coalesce(a.name, r.artist_name) as artist_name, r.plays, r.ms
     from (?) r left join artists a on a.id = r.artist_id
     order by r.plays desc, r.ms desc, r.artist_id, r.artist_name`,
    [yearly('play_rollup_artist_years').orderByRaw('r.plays desc, r.ms desc, r.artist_id, r.artist_name').limit(TOP).select('r.*')],
  );
  const albumsQuery = db.raw(
    `select r.album_id, coalesce(al.name, r.album_name) as album_name,
            (select a.name from album_artists aa join artists a on a.id = aa.artist_id where aa.album_id = r.album_id order by aa.position limit 1) as artist_name, r.plays, r.ms
     from (?) r left join albums al on al.id = r.album_id
     order by r.plays desc, r.ms desc, r.album_id, r.album_name`,
    [yearly('play_rollup_album_years').orderByRaw('r.plays desc, r.ms desc, r.album_id, r.album_name').limit(TOP).select('r.*')],
  );
  const genresQuery = db.raw(
    `select g.genre, sum(r.plays)::int as plays
     from play_rollup_artist_years r join artists a on a.id = r.artist_id cross join lateral unnest(a.genres) g(genre)
     where r.account_id = ? and r.year = ? and not r.is_short
     group by 1 order by 2 desc, 1 limit ?`,
    [accountId, year, TOP],
  );
  const discoveredQuery = db.raw(
    `select count(*) over ()::int as total, f.artist_id, coalesce(a.name, f.artist_name) as artist_name,
            coalesce(
              (select y.plays from play_rollup_artist_years y where y.account_id = f.account_id and y.year = ? and not y.is_short and y.artist_id = f.artist_id),
              (select y.plays from play_rollup_artist_years y where y.account_id = f.account_id and y.year = ? and not y.is_short and f.artist_id is null and y.artist_id is null and y.artist_name = f.artist_name),
              0
            ) as plays
     from play_rollup_artist_firsts f left join artists a on a.id = f.artist_id
     where f.account_id = ? and f.first_day between ?::date and ?::date
     order by plays desc, artist_name, f.artist_id
     limit ?`,
    [year, year, accountId, from, to, TOP],
  );

  const [days, tracks, artists, albums, genres, discovered, span] = await Promise.all([
    daysQuery as unknown as Promise<{ day: string; plays: number; ms: string }[]>,
    tracksQuery,
    artistsQuery,
    albumsQuery,
    genresQuery,
    discoveredQuery,
    readHistorySpan(db, accountId),
  ]);

  const byMonth = Array.from({ length: 12 }, (_, i) => ({ month: `${from.slice(0, 4)}-${String(i + 1).padStart(2, '0')}`, plays: 0, ms: 0 }));
  let topDay: YearRecap['topDay'] = null;
  let topDayMs = -1;
  for (const d of days) {
    const m = byMonth[Number(d.day.slice(5, 7)) - 1]!;
    m.plays += d.plays;
    m.ms += Number(d.ms);
    if (Number(d.ms) > topDayMs) {
      topDayMs = Number(d.ms);
      topDay = { day: d.day, plays: d.plays, minutes: minutes(Number(d.ms)) };
    }
  }
  const busiest = byMonth.reduce((best, m) => (m.ms > best.ms ? m : best), byMonth[0]!);
  const totalMs = days.reduce((n, d) => n + Number(d.ms), 0);
  const firstYear = span.first ? Number(span.first.slice(0, 4)) : null;
  const lastYear = span.last ? Number(span.last.slice(0, 4)) : null;
  const discoveredRows = discovered.rows as { total: number; artist_id: string | null; artist_name: string | null; plays: number }[];

  return {
    year,
    years: firstYear !== null && lastYear !== null ? Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i) : [],
    plays: days.reduce((n, d) => n + d.plays, 0),
    minutes: minutes(totalMs),
    daysListened: days.length,
    byMonth: byMonth.map((m) => ({ month: m.month, plays: m.plays, minutes: minutes(m.ms) })),
    topMonth: busiest.ms > 0 ? { month: busiest.month, minutes: minutes(busiest.ms) } : null,
    topDay,
    topTracks: (tracks.rows as { track_id: string | null; track_name: string | null; artist_name: string | null; plays: number; ms: string }[]).map((r) => ({
      trackId: r.track_id,
      trackName: r.track_name,
      artistName: r.artist_name,
      plays: r.plays,
      minutes: minutes(Number(r.ms)),
    })),
    topArtists: (artists.rows as { artist_id: string | null; artist_name: string | null; plays: number; ms: string }[]).map((r) => ({
      artistId: r.artist_id,
      artistName: r.artist_name,
      plays: r.plays,
      minutes: minutes(Number(r.ms)),
    })),
    topAlbums: (albums.rows as { album_id: string | null; album_name: string | null; artist_name: string | null; plays: number; ms: string }[]).map((r) => ({
      albumId: r.album_id,
      albumName: r.album_name,
      artistName: r.artist_name,
      plays: r.plays,
      minutes: minutes(Number(r.ms)),
    })),
    genres: genres.rows as { genre: string; plays: number }[],
    discovered: { count: discoveredRows[0]?.total ?? 0, artists: discoveredRows.map((r) => ({ artistId: r.artist_id, artistName: r.artist_name, plays: r.plays })) },
    longestStreak: longestRun(days.map((d) => d.day)),
  };
}
