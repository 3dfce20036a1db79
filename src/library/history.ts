import type { Db } from '../db/connect.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { calendarYearOf, memoOverPlays } from './play-memo.js';

export const playSources = ['poll', 'extended_export', 'account_export'] as const;
export type PlaySource = (typeof playSources)[number];

export interface HistoryRange {
  /** Inclusive UTC days, YYYY-MM-DD. */
  from?: string;
  to?: string;
  source?: PlaySource;
  includeShort: boolean;
}

export interface Play {
  playedAt: string;
  source: PlaySource;
  contentType: 'track' | 'episode' | 'audiobook';
  /** Heard, or watched (the extended history's video file); null for export plays stored before this was kept. */
  medium: 'audio' | 'video' | null;
  msPlayed: number | null;
  isShort: boolean;
  trackId: string | null;
  /** The catalog's names where the play is resolved to a track, else the names the source gave. */
  trackName: string | null;
  artistName: string | null;
  albumName: string | null;
  /** The primary artist and the album, where the play is resolved to a track; the album's cover. */
  artistId: string | null;
  albumId: string | null;
  imageUrl: string | null;
  contextUri: string | null;
}

const dayStart = (day: string) => `${day}T00:00:00Z`;

function inRange(db: Db, accountId: string, range: HistoryRange) {
  const b = db('play_history as h').where('h.account_id', accountId);
  if (range.from !== undefined) b.where('h.played_at', '>=', dayStart(range.from));
  if (range.to !== undefined) b.whereRaw(`h.played_at < ?::timestamptz + interval '1 day'`, [dayStart(range.to)]);
  if (range.source !== undefined) b.where('h.source', range.source);
  if (!range.includeShort) b.where('h.is_short', false);
  return b;
}

const primaryArtistIdOf = (trackId: string) => `(select ta.artist_id from track_artists ta where ta.track_id = ${trackId} order by ta.position limit 1)`;
const primaryArtistOf = (trackId: string) =>
  `(select a.name from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = ${trackId} order by ta.position limit 1)`;

export type DailyRollup = 'play_rollup_days' | 'play_rollup_tracks' | 'play_rollup_artists' | 'play_rollup_albums' | 'play_rollup_hours';

/**
 * Rows of a daily play rollup (see its migration) in the range: the range is whole UTC days, so a day's row
 * counts exactly the plays of that day that `inRange` would read.
 */
export function rollupInRange(db: Db, table: DailyRollup, accountId: string, range: HistoryRange) {
  const b = db(`${table} as r`).where('r.account_id', accountId);
  if (range.from !== undefined) b.where('r.day', '>=', range.from);
  if (range.to !== undefined) b.where('r.day', '<=', range.to);
  if (range.source !== undefined) b.where('r.source', range.source);
  if (!range.includeShort) b.where('r.is_short', false);
  return b;
}

/** `GET /api/history/plays`: newest first. */
export async function listPlays(db: Db, accountId: string, query: HistoryRange & { limit: number; cursor?: string }): Promise<Page<Play>> {
  const after = decodeCursor(query.cursor, 'plays');
  const page = inRange(db, accountId, query)
    .leftJoin('tracks as t', 't.id', 'h.track_id')
    .leftJoin('albums as al', 'al.id', 't.album_id')
    .select(
      'h.played_at',
      db.raw('h.played_at::text as sort_key'),
      'h.source',
      'h.content_type',
      'h.medium',
      'h.ms_played',
      'h.is_short',
      'h.track_id',
      db.raw('coalesce(t.name, h.track_name) as track_name'),
      db.raw(`coalesce(${primaryArtistOf('h.track_id')}, h.artist_name) as artist_name`),
      db.raw('coalesce(al.name, h.album_name) as album_name'),
      db.raw(`${primaryArtistIdOf('h.track_id')} as artist_id`),
      'al.id as album_id',
      db.raw(`al.images -> 0 ->> 'url' as image_url`),
      'h.context_uri',
    );
  if (after) page.whereRaw('h.played_at < ?::timestamptz', [after.key]);
  // The total from the daily rollup: the same plays, without reading them.
  const [rows, count] = await Promise.all([
    page.orderBy('h.played_at', 'desc').limit(query.limit + 1) as unknown as Promise<
      {
        played_at: Date;
        sort_key: string;
        source: PlaySource;
        content_type: Play['contentType'];
        medium: Play['medium'];
        ms_played: number | null;
        is_short: boolean;
        track_id: string | null;
        track_name: string | null;
        artist_name: string | null;
        album_name: string | null;
        artist_id: string | null;
        album_id: string | null;
        image_url: string | null;
        context_uri: string | null;
      }[]
    >,
    rollupInRange(db, 'play_rollup_days', accountId, query).sum<{ count: number | null }[]>({ count: 'r.plays' }),
  ]);
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map((r) => ({
      playedAt: r.played_at.toISOString(),
      source: r.source,
      contentType: r.content_type,
      medium: r.medium,
      msPlayed: r.ms_played,
      isShort: r.is_short,
      trackId: r.track_id,
      trackName: r.track_name,
      artistName: r.artist_name,
      albumName: r.album_name,
      artistId: r.artist_id,
      albumId: r.album_id,
      imageUrl: r.image_url,
      contextUri: r.context_uri,
    })),
    nextCursor: more && last ? encodeCursor('plays', { key: last.sort_key, id: '' }) : null,
    total: Number(count[0]?.count ?? 0),
  };
}

export type Bucket = 'day' | 'week' | 'month';

export interface HistoryStats {
  from: string;
  to: string;
  bucket: Bucket;
  /** Every bucket of the range, empty ones included (a chart's bars). Weeks start on Monday; all in UTC. */
  minutesByBucket: { start: string; minutes: number; plays: number }[];
  topTracks: { trackId: string | null; trackName: string | null; artistName: string | null; plays: number; minutes: number }[];
  topArtists: { artistId: string | null; artistName: string | null; plays: number; minutes: number }[];
  gaps: { start: string; end: string }[];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Daily bars span at most this many days (about ten years; the stats API refuses more). */
export const DAILY_BUCKET_MAX_DAYS = 3660;

/** The first and the last day with a play, of every source, short plays too (null when none). */
export async function readHistorySpan(db: Db, accountId: string): Promise<{ first: string | null; last: string | null }> {
  return (await rollupInRange(db, 'play_rollup_days', accountId, { includeShort: true }).first(
    db.raw("to_char(min(r.day), 'YYYY-MM-DD') as first"),
    db.raw("to_char(max(r.day), 'YYYY-MM-DD') as last"),
  )) as { first: string | null; last: string | null };
}

/**
 * The bars for a range of days: the asked ones when they may span it, else days up to about a year,
 * weeks up to four years, months beyond (a chart of a few hundred bars at most).
 */
export function fittingBucket(from: string, to: string, asked?: Bucket): Bucket {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (asked !== undefined && (asked !== 'day' || days <= DAILY_BUCKET_MAX_DAYS)) return asked;
  return days <= 366 ? 'day' : days <= 4 * 366 ? 'week' : 'month';
}

export const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

/** `GET /api/history/stats`: minutes per bucket, top tracks and artists, and the gaps of the range. Default: the last 365 days. */
export async function readHistoryStats(
  db: Db,
  accountId: string,
  query: HistoryRange & { bucket: Bucket; top: number },
  now: Date,
  /** The account's readHistorySpan, when the caller has read it already. */
  knownSpan?: { first: string | null; last: string | null },
): Promise<HistoryStats> {
  const to = query.to ?? isoDay(now);
  const from = query.from ?? isoDay(new Date(Date.parse(dayStart(to)) - 364 * 86_400_000));
  // Read from the rollups kept by triggers on play_history (see their migration): a row per day, or
  // per day and track or artist, instead of every play joined to the catalog.
  const range = { ...query, from, to };
  const rollup = (table: DailyRollup) => rollupInRange(db, table, accountId, range);

  const bucketsQuery = db.raw(
    `with plays as (
       select date_trunc(?, r.day::timestamp) as bucket, sum(r.ms)::bigint as ms, sum(r.plays)::int as plays from (?) r group by 1
     )
     select to_char(s.bucket, 'YYYY-MM-DD') as start, coalesce(p.ms, 0)::bigint as ms, coalesce(p.plays, 0)::int as plays
     from generate_series(date_trunc(?, ?::timestamp), date_trunc(?, ?::timestamp), ('1 ' || ?)::interval) as s(bucket)
     left join plays p on p.bucket = s.bucket
     order by s.bucket`,
    [query.bucket, rollup('play_rollup_days').select('r.day', 'r.plays', 'r.ms'), query.bucket, from, query.bucket, to, query.bucket],
  );

  // All time (the range holds every play of the account), counting every source and leaving out short
  // streams, as the page does by default: the totals' ranking indexes give the leaders directly.
  const span = knownSpan ?? (await readHistorySpan(db, accountId));
  const allTime = query.source === undefined && !query.includeShort && (span.first === null || (from <= span.first && to >= (span.last ?? to)));

  // Ranked on the rollup alone (ties broken by id, so a top-N sort serves it); the catalog is read for the leaders only.
  // A calendar year (every source, short plays left out) reads its own ranking index the same way.
  const year = !allTime && query.source === undefined && !query.includeShort ? calendarYearOf({ from, to }) : null;
  const ranked = allTime || year !== null;
  const rankedTracks = ranked
    ? (year !== null ? db('play_rollup_track_years as r').where('r.year', year) : db('play_rollup_track_totals as r'))
        .where({ 'r.account_id': accountId, 'r.is_short': false })
        .orderByRaw('r.plays desc, r.ms desc, r.track_id, r.track_name')
        .limit(query.top)
        .select(
          'r.track_id',
          'r.track_name',
          // The artist name the source gave, as the daily path reads it (two branches, so each uses play_history's index).
          db.raw(
            `case when r.track_id is not null
               then (select max(h.artist_name) from play_history h where h.account_id = r.account_id and h.track_id = r.track_id and not h.is_short)
               else (select max(h.artist_name) from play_history h where h.account_id = r.account_id and h.track_id is null and h.track_name = r.track_name and not h.is_short)
             end as artist_name`,
          ),
          'r.plays',
          'r.ms',
        )
    : db
        .from(
          rollup('play_rollup_tracks')
            .select('r.track_id', 'r.track_name', db.raw('max(r.artist_name) as artist_name'), db.raw('sum(r.plays)::int as plays'), db.raw('sum(r.ms)::bigint as ms'))
            .groupBy('r.track_id', 'r.track_name')
            .as('p'),
        )
        .orderByRaw('p.plays desc, p.ms desc, p.track_id, p.track_name')
        .limit(query.top)
        .select('*');
  const topTracksQuery = db.raw(
    `select top.track_id, coalesce(t.name, top.track_name) as track_name,
            coalesce(${primaryArtistOf('top.track_id')}, top.artist_name) as artist_name, top.plays, top.ms
     from (?) top left join tracks t on t.id = top.track_id
     order by top.plays desc, top.ms desc, top.track_id, top.track_name`,
    [rankedTracks],
  );

  // A play counts for every credited artist of its track; plays of no credited artist by the artist name the source gave.
  const rankedArtists = ranked
    ? (year !== null ? db('play_rollup_artist_years as r').where('r.year', year) : db('play_rollup_artist_totals as r'))
        .where({ 'r.account_id': accountId, 'r.is_short': false })
        .orderByRaw('r.plays desc, r.ms desc, r.artist_id, r.artist_name')
        .limit(query.top)
        .select('r.artist_id', 'r.artist_name', 'r.plays', 'r.ms')
    : db
        .from(
          rollup('play_rollup_artists')
            .select('r.artist_id', 'r.artist_name', db.raw('sum(r.plays)::int as plays'), db.raw('sum(r.ms)::bigint as ms'))
            .groupBy('r.artist_id', 'r.artist_name')
            .as('p'),
        )
        .orderByRaw('p.plays desc, p.ms desc, p.artist_id, p.artist_name')
        .limit(query.top)
        .select('*');
  const topArtistsQuery = db.raw(
    `select top.artist_id, coalesce(a.name, top.artist_name) as artist_name, top.plays, top.ms
     from (?) top left join artists a on a.id = top.artist_id
     order by top.plays desc, top.ms desc, top.artist_id, top.artist_name`,
    [rankedArtists],
  );

  const gapsQuery = db('playback_gaps')
    .where('account_id', accountId)
    .where('gap_end', '>=', dayStart(from))
    .whereRaw(`gap_start < ?::timestamptz + interval '1 day'`, [dayStart(to)])
    .orderBy('gap_start')
    .select('gap_start', 'gap_end');

  // Four independent reads of the same range: run them side by side.
  // Another range sums every track and artist row of its days (~30k each for a year of varied listening): kept until the plays change.
  const key = JSON.stringify([from, to, query.source ?? null, !!query.includeShort, query.top]);
  const leaders = async (kind: string, q: typeof topTracksQuery) => {
    const read = async () => (await q).rows as unknown[];
    return ranked ? read() : memoOverPlays(db, accountId, `${kind} ${key}`, read);
  };
  // The bars depend on the plays alone; over a long range they sum thousands of daily rows (ten years: ~7k): kept until the plays change.
  const [buckets, topTracksRows, topArtistsRows, gaps] = await Promise.all([
    memoOverPlays(db, accountId, `buckets ${JSON.stringify([from, to, query.source ?? null, !!query.includeShort, query.bucket])}`, async () => {
      return (await bucketsQuery).rows as { start: string; ms: number; plays: number }[];
    }),
    leaders('top-tracks', topTracksQuery),
    leaders('top-artists', topArtistsQuery),
    gapsQuery,
  ]);
  const topTracks = topTracksRows as { track_id: string | null; track_name: string | null; artist_name: string | null; plays: number; ms: number }[];
  const topArtists = topArtistsRows as { artist_id: string | null; artist_name: string | null; plays: number; ms: number }[];

  return {
    from,
    to,
    bucket: query.bucket,
    minutesByBucket: buckets.map((b) => ({ start: b.start, minutes: minutes(b.ms), plays: b.plays })),
    topTracks: topTracks.map((r) => ({ trackId: r.track_id, trackName: r.track_name, artistName: r.artist_name, plays: r.plays, minutes: minutes(r.ms) })),
    topArtists: topArtists.map((r) => ({ artistId: r.artist_id, artistName: r.artist_name, plays: r.plays, minutes: minutes(r.ms) })),
    gaps: gaps.map((g: { gap_start: Date; gap_end: Date }) => ({ start: g.gap_start.toISOString(), end: g.gap_end.toISOString() })),
  };
}
