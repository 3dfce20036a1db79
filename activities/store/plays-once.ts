import type { Knex } from 'knex';
import type { PlayInput } from './play-input.js';

/**
 * One history, no duplicates: the rule every writer of play_history goes through (the playback poll and
 * the history import).
 *
 * Every source gives the END of a stream: the export's `ts` is when the stream ended (second precision);
 * recently-played's `played_at` is when the play ended too (spotify/web-api#613, #1199, and
 * multi-scrobbler#167 compare it with the start time and find the end); account data's `endTime` is the
 * end truncated to the minute. So a stored play and an incoming one are the same stream when they name
 * the same thing and their possible end times overlap: within MATCH_TOLERANCE_MS of each other, or for
 * account data within the minute after `endTime` (plus the tolerance).
 *
 * A polled play pairs only with a stream of at least 30 s: recently-played leaves shorter ones out, and
 * two real plays of one track at least 30 s long end at least 30 s apart, so the tolerance (well under
 * half of that) can only ever pair a play with itself. The two kinds of export (extended history and
 * account data) pair only on the same duration played, to the millisecond: the same stream, recorded
 * twice. Two entries of one kind never pair: an export lists each stream once, and a track skipped
 * twice in a row is two streams of the same length ending seconds apart. The test
 * of the import justifies the value: the simulator's export ends plays up to 2 s after recently-played's
 * `played_at`, and plays the same track back to back.
 *
 * A matched play is stored once: what the stored row lacks is filled from the incoming one (a polled
 * play gains the export's duration, reasons and platform; an exported play gains the poll's context).
 * The same thing ending at exactly the same instant (a re-import, an entry the export repeats) is the
 * same row by the primary key.
 */
export const MATCH_TOLERANCE_MS = 10_000;
/** Account data gives minutes: the real end is in the minute after `endTime`. */
export const MINUTE_PRECISION_MS = 60_000;

export interface InsertOnceResult {
  inserted: number;
  /** Incoming plays already stored (matched, or equal end time). */
  duplicates: number;
}

const columns = `n int, played_at timestamptz, stream_key text, ends_from timestamptz, ends_to timestamptz, source text, content_type text,
  ms_played int, track_id text, track_key text, spotify_uri text, track_name text, artist_name text, album_name text,
  show_name text, reason_start text, reason_end text, shuffle boolean, skipped boolean, offline boolean, offline_at timestamptz,
  incognito boolean, platform text, conn_country text, context_type text, context_uri text, import_id text, medium text`;

const fillable = [
  'ms_played',
  'spotify_uri',
  'track_name',
  'artist_name',
  'album_name',
  'show_name',
  'reason_start',
  'reason_end',
  'shuffle',
  'skipped',
  'offline',
  'offline_at',
  'incognito',
  'platform',
  'conn_country',
  'context_type',
  'context_uri',
  'import_id',
  'medium',
];

// The stored row's own window of possible end times, by its source's precision.
const storedFrom = `p.played_at - interval '${MATCH_TOLERANCE_MS} milliseconds'`;
const storedTo = `p.played_at + case when p.source = 'account_export' then interval '${MINUTE_PRECISION_MS + MATCH_TOLERANCE_MS} milliseconds' else interval '${MATCH_TOLERANCE_MS} milliseconds' end`;

const statement = `
with incoming as (
  select * from jsonb_to_recordset(cast(? as jsonb)) as r(${columns})
),
matches as (
  -- Per incoming play, the nearest stored play that is the same stream: a lateral lookup on the
  -- primary key's range (offset 0 keeps it one indexed probe per play, whatever the statistics say).
  select i.n, m.stored_at, m.stored_key
  from incoming i
  cross join lateral (
    select p.played_at as stored_at, p.stream_key as stored_key
    from play_history p
    where p.account_id = ?
      and p.played_at between i.ends_from - interval '${MINUTE_PRECISION_MS + MATCH_TOLERANCE_MS} milliseconds' and i.ends_to
      and p.content_type = i.content_type
      and case when i.source = 'poll' or p.source = 'poll'
        then coalesce(i.ms_played, 30000) >= 30000 and coalesce(p.ms_played, 30000) >= 30000
        else i.source <> p.source and i.ms_played is not distinct from p.ms_played end
      and ${storedFrom} <= i.ends_to and ${storedTo} >= i.ends_from
      and (
        (i.track_key is not null and i.track_key = coalesce(p.track_id, substring(p.spotify_uri from '^spotify:track:([A-Za-z0-9]+)$')))
        or (i.content_type <> 'track' and i.spotify_uri is not null and i.spotify_uri = p.spotify_uri)
        or ((i.source = 'account_export' or p.source = 'account_export')
          and lower(p.track_name) = lower(i.track_name)
          and lower(coalesce(p.artist_name, p.show_name, '')) = lower(coalesce(i.artist_name, i.show_name, '')))
      )
    order by abs(extract(epoch from p.played_at - i.played_at))
    limit 1
    offset 0
  ) m
),
filled as (
  update play_history p set
    ${fillable
      .filter((c) => c !== 'import_id')
      .map((c) => `${c} = coalesce(p.${c}, i.${c})`)
      .join(',\n    ')},
    track_id = coalesce(p.track_id, i.track_id, (select t.id from tracks t where t.id = i.track_key))
  from matches m join incoming i on i.n = m.n
  where p.account_id = ? and p.played_at = m.stored_at and p.stream_key = m.stored_key
    -- Only rows that gain something (every poll sends the last 50 plays again: most are stored as they are).
    and (${fillable
      .filter((c) => c !== 'import_id')
      .map((c) => `(p.${c} is null and i.${c} is not null)`)
      .join(' or ')}
      or (p.track_id is null and (i.track_id is not null or i.track_key is not null)))
  returning p.played_at
),
inserted as (
  insert into play_history (account_id, played_at, stream_key, track_id, source, content_type, ${fillable.join(', ')})
  select ?, i.played_at, i.stream_key, coalesce(i.track_id, (select t.id from tracks t where t.id = i.track_key)), i.source, i.content_type,
    ${fillable.map((c) => `i.${c}`).join(', ')}
  -- An entry repeated within the statement is proposed once (on conflict may touch a row only once).
  from (select distinct on (played_at, stream_key) * from incoming order by played_at, stream_key, n) i
  where not exists (select 1 from matches m where m.n = i.n)
  -- The same stream stored again (a re-import): it only gains what it lacks (the medium of plays stored
  -- before it was kept), and is not counted as inserted.
  on conflict (account_id, played_at, stream_key) do update set medium = excluded.medium where play_history.medium is null
  returning (xmax = 0) as fresh
)
select (select count(*) from inserted where fresh)::int as inserted, (select count(*) from filled)::int as filled`;

/**
 * What a play is of, for the primary key (account, end time, stream key): the same thing ending at the
 * same instant is one stream, but exports hold several streams of one thing ending in the same second.
 * A play known by its names only (account data) ends at a minute, and a track restarted within that
 * minute is two rows of the same names and minute: their durations tell them apart. The extended history
 * holds pairs and triples of one track or episode with the same `ts` (a 0 ms skip and a full play, say):
 * their duration and reasons tell them apart, so its keys carry both. An entry the export repeats,
 * every field equal, is still one stream. Polled plays have neither (recently-played shows each play
 * once, to the millisecond).
 */
export function streamKey(p: PlayInput): string {
  const track = p.trackKey ?? p.trackId;
  const names = `names:${(p.trackName ?? '').toLowerCase()}|${(p.artistName ?? p.showName ?? '').toLowerCase()}|${p.msPlayed ?? ''}`;
  const what = track ? `track:${track}` : (p.spotifyUri ?? names);
  if (p.source !== 'extended_export') return what;
  const reasons = `${p.reasonStart ?? ''}|${p.reasonEnd ?? ''}`;
  return what === names ? `${names}|${reasons}` : `${what}|${p.msPlayed ?? ''}|${reasons}`;
}

/** Stores plays once (see above); returns how many were new and how many already stored. */
export async function insertPlaysOnce(trx: Knex | Knex.Transaction, accountId: string, plays: readonly PlayInput[]): Promise<InsertOnceResult> {
  if (plays.length === 0) return { inserted: 0, duplicates: 0 };
  const rows = plays.map((p, n) => {
    const end = p.playedAt.getTime();
    const precision = p.source === 'account_export' ? MINUTE_PRECISION_MS : 0;
    return {
      n,
      played_at: p.playedAt.toISOString(),
      stream_key: streamKey(p),
      ends_from: new Date(end - MATCH_TOLERANCE_MS).toISOString(),
      ends_to: new Date(end + precision + MATCH_TOLERANCE_MS).toISOString(),
      source: p.source,
      content_type: p.contentType,
      ms_played: p.msPlayed,
      track_id: p.trackId,
      track_key: p.trackKey ?? p.trackId,
      spotify_uri: p.spotifyUri,
      track_name: p.trackName,
      artist_name: p.artistName,
      album_name: p.albumName,
      show_name: p.showName,
      reason_start: p.reasonStart,
      reason_end: p.reasonEnd,
      shuffle: p.shuffle,
      skipped: p.skipped,
      offline: p.offline,
      offline_at: p.offlineAt?.toISOString() ?? null,
      incognito: p.incognito,
      platform: p.platform,
      conn_country: p.connCountry,
      context_type: p.contextType,
      context_uri: p.contextUri,
      import_id: p.importId,
      medium: p.medium,
    };
  });
  // Positional bindings, in the order they appear: the rows, then the account for each of the three uses.
  const result = await trx.raw(statement, [JSON.stringify(rows), accountId, accountId, accountId]);
  const { inserted } = result.rows[0] as { inserted: number; filled: number };
  return { inserted, duplicates: plays.length - inserted };
}
