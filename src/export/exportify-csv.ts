import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { csvChunks } from './csv.js';

/**
 * The columns watsonbox/exportify writes, in its order and spelling, so that tools reading its files
 * read ours. Fields the mirror does not keep (preview URL, whether playable) stay empty, as
 * development-mode apps no longer get them either.
 */
export const exportifyColumns = [
  'Track URI',
  'Track Name',
  'Artist URI(s)',
  'Artist Name(s)',
  'Album URI',
  'Album Name',
  'Album Artist URI(s)',
  'Album Artist Name(s)',
  'Album Release Date',
  'Album Image URL',
  'Disc Number',
  'Track Number',
  'Track Duration (ms)',
  'Track Preview URL',
  'Explicit',
  'Popularity',
  'ISRC',
  'Is Playable',
  'Added By',
  'Added At',
] as const;

interface ExportTrackRow {
  track_id: string;
  track_uri: string | null;
  track_name: string;
  artists: { id: string; name: string }[];
  album_id: string;
  album_name: string;
  album_artists: { id: string; name: string }[];
  release_date: string | null;
  album_image_url: string | null;
  disc_number: number | null;
  track_number: number | null;
  duration_ms: number | null;
  explicit: boolean | null;
  popularity: number | null;
  isrc: string | null;
  added_by: string | null;
  added_at: Date | null;
}

const artistsJson = (table: string, key: string, value: string) =>
  `(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by x.position), '[]'::json)
    from ${table} x join artists a on a.id = x.artist_id where x.${key} = ${value})`;

function trackColumns(db: Db): (string | Knex.Raw)[] {
  return [
    't.id as track_id',
    't.uri as track_uri',
    't.name as track_name',
    db.raw(`${artistsJson('track_artists', 'track_id', 't.id')} as artists`),
    'al.id as album_id',
    'al.name as album_name',
    db.raw(`${artistsJson('album_artists', 'album_id', 'al.id')} as album_artists`),
    'al.release_date',
    db.raw(`al.images -> 0 ->> 'url' as album_image_url`),
    't.disc_number',
    't.track_number',
    't.duration_ms',
    't.explicit',
    't.popularity',
    't.isrc',
  ];
}

// exportify joins lists with ", " and escapes commas inside names as "\,".
const names = (list: { name: string }[]) => list.map((a) => a.name.replace(/,/g, '\\,')).join(', ');
const uris = (kind: string, list: { id: string }[]) => list.map((a) => `spotify:${kind}:${a.id}`).join(', ');
const iso = (d: Date | null) => (d ? d.toISOString().replace('.000Z', 'Z') : '');

function toRecord(row: ExportTrackRow): (string | number | boolean | null)[] {
  return [
    row.track_uri ?? `spotify:track:${row.track_id}`,
    row.track_name,
    uris('artist', row.artists),
    names(row.artists),
    `spotify:album:${row.album_id}`,
    row.album_name,
    uris('artist', row.album_artists),
    names(row.album_artists),
    row.release_date ?? '',
    row.album_image_url ?? '',
    row.disc_number ?? '',
    row.track_number ?? '',
    row.duration_ms ?? '',
    '',
    row.explicit ?? '',
    row.popularity ?? '',
    row.isrc ?? '',
    '',
    row.added_by ? `spotify:user:${row.added_by}` : '',
    iso(row.added_at),
  ];
}

/** Saved tracks (not removed), newest first, as exportify's "Liked Songs" file. */
export function savedTracksCsv(db: Db, accountId: string): AsyncGenerator<string> {
  const rows = () =>
    db('saved_tracks as s')
      .join('tracks as t', 't.id', 's.track_id')
      .join('albums as al', 'al.id', 't.album_id')
      .where('s.account_id', accountId)
      .whereNull('s.removed_at')
      .select([...trackColumns(db), db.raw('null as added_by'), 's.added_at'])
      .orderBy([
        { column: 's.added_at', order: 'desc' },
        { column: 't.id', order: 'desc' },
      ])
      .stream() as AsyncIterable<ExportTrackRow>;
  return csvChunks(exportifyColumns, rows, toRecord);
}

/**
 * Saved tracks the caller chose (a filtered list), in the order of `idPages`: each page of track ids is
 * read with one query, so a list of any length streams in bounded memory.
 */
export function chosenSavedTracksCsv(db: Db, accountId: string, idPages: () => AsyncIterable<string[]>): AsyncGenerator<string> {
  async function* rows(): AsyncIterable<ExportTrackRow> {
    for await (const ids of idPages()) {
      if (ids.length === 0) continue;
      const found = (await db('saved_tracks as s')
        .join('tracks as t', 't.id', 's.track_id')
        .join('albums as al', 'al.id', 't.album_id')
        .where('s.account_id', accountId)
        .whereIn('s.track_id', ids)
        .select([...trackColumns(db), db.raw('null as added_by'), 's.added_at'])) as ExportTrackRow[];
      const byId = new Map(found.map((row) => [row.track_id, row]));
      for (const id of ids) {
        const row = byId.get(id);
        if (row) yield row;
      }
    }
  }
  return csvChunks(exportifyColumns, rows, toRecord);
}

/** A playlist's file: exportify's columns, then what each entry is (`track`, `episode`, `local`, `unavailable`). */
export const playlistColumns = [...exportifyColumns, 'Kind'] as const;

interface ExportEntryRow extends Omit<ExportTrackRow, 'track_id' | 'track_name' | 'album_id' | 'album_name'> {
  track_id: string | null;
  track_name: string | null;
  album_id: string | null;
  album_name: string | null;
  kind: 'track' | 'episode' | 'local' | 'unavailable';
  entry_uri: string | null;
  entry_name: string | null;
  entry_artist: string | null;
  entry_album: string | null;
  entry_duration_ms: number | null;
}

/** An entry that is no catalog track: what Spotify gave for it in the columns that fit, the rest empty. */
function toEntryRecord(row: ExportEntryRow): (string | number | boolean | null)[] {
  if (row.kind === 'track' && row.track_id && row.track_name !== null && row.album_id && row.album_name !== null) {
    return [...toRecord({ ...row, track_id: row.track_id, track_name: row.track_name, album_id: row.album_id, album_name: row.album_name }), 'track'];
  }
  const record: (string | number | boolean | null)[] = exportifyColumns.map(() => '');
  const at = (column: (typeof exportifyColumns)[number]) => exportifyColumns.indexOf(column);
  record[at('Track URI')] = row.entry_uri ?? '';
  record[at('Track Name')] = row.entry_name ?? '';
  record[at('Artist Name(s)')] = row.entry_artist ?? '';
  record[at('Album Name')] = row.entry_album ?? '';
  record[at('Track Duration (ms)')] = row.entry_duration_ms ?? '';
  record[at('Added By')] = row.added_by ? `spotify:user:${row.added_by}` : '';
  record[at('Added At')] = iso(row.added_at);
  return [...record, row.kind];
}

/** One playlist's stored entries in order, each marked by its kind (its last known entries when it was deleted on Spotify). */
export function playlistCsv(db: Db, accountId: string, playlistId: string): AsyncGenerator<string> {
  const rows = () =>
    db('playlist_items as pi')
      .leftJoin('tracks as t', 't.id', 'pi.track_id')
      .leftJoin('albums as al', 'al.id', 't.album_id')
      .leftJoin('episodes as e', 'e.id', 'pi.episode_id')
      .leftJoin('shows as sh', 'sh.id', 'e.show_id')
      .where({ 'pi.account_id': accountId, 'pi.playlist_id': playlistId })
      .select([
        ...trackColumns(db),
        'pi.added_by',
        'pi.added_at',
        'pi.kind',
        'pi.uri as entry_uri',
        db.raw('coalesce(pi.local_name, e.name) as entry_name'),
        db.raw('coalesce(pi.local_artist, sh.name) as entry_artist'),
        'pi.local_album as entry_album',
        db.raw('coalesce(pi.local_duration_ms, e.duration_ms) as entry_duration_ms'),
      ])
      .orderBy('pi.position')
      .stream() as AsyncIterable<ExportEntryRow>;
  return csvChunks(playlistColumns, rows, toEntryRecord);
}

export const historyColumns = ['Played At', 'Source', 'Content Type', 'ms Played', 'Short', 'Track URI', 'Track Name', 'Artist Name', 'Album Name', 'Context URI'] as const;

/** Every play, oldest first, with catalog names where the play is resolved to a track. */
export function historyCsv(db: Db, accountId: string): AsyncGenerator<string> {
  const rows = () =>
    db('play_history as h')
      .leftJoin('tracks as t', 't.id', 'h.track_id')
      .leftJoin('albums as al', 'al.id', 't.album_id')
      .where('h.account_id', accountId)
      .select(
        'h.played_at',
        'h.source',
        'h.content_type',
        'h.ms_played',
        'h.is_short',
        'h.track_id',
        't.uri',
        db.raw('coalesce(t.name, h.track_name) as track_name'),
        db.raw(
          `coalesce((select string_agg(a.name, ', ' order by ta.position) from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = h.track_id), h.artist_name) as artist_name`,
        ),
        db.raw('coalesce(al.name, h.album_name) as album_name'),
        'h.context_uri',
      )
      .orderBy('h.played_at')
      .stream() as AsyncIterable<{
      played_at: Date;
      source: string;
      content_type: string;
      ms_played: number | null;
      is_short: boolean;
      track_id: string | null;
      uri: string | null;
      track_name: string | null;
      artist_name: string | null;
      album_name: string | null;
      context_uri: string | null;
    }>;
  return csvChunks(historyColumns, rows, (r) => [
    r.played_at.toISOString(),
    r.source,
    r.content_type,
    r.ms_played ?? '',
    r.is_short,
    r.uri ?? (r.track_id ? `spotify:track:${r.track_id}` : ''),
    r.track_name ?? '',
    r.artist_name ?? '',
    r.album_name ?? '',
    r.context_uri ?? '',
  ]);
}
