import type { Knex } from 'knex';

/** A track as the library API shows it, wherever it appears (saved, in a playlist, on an artist or album). */
export interface TrackView {
  id: string;
  uri: string;
  name: string;
  durationMs: number | null;
  explicit: boolean | null;
  discNumber: number | null;
  trackNumber: number | null;
  isrc: string | null;
  artists: { id: string; name: string; detailsSynced: boolean }[];
  album: { id: string; name: string; albumType: string | null; releaseDate: string | null; detailsSynced: boolean; imageUrl: string | null };
}

export interface TrackViewRow {
  track_id: string;
  track_uri: string | null;
  track_name: string;
  duration_ms: number | null;
  explicit: boolean | null;
  disc_number: number | null;
  track_number: number | null;
  isrc: string | null;
  artists: TrackView['artists'];
  album_id: string;
  album_name: string;
  album_type: string | null;
  release_date: string | null;
  album_details_synced: boolean;
  album_image_url: string | null;
}

/** The columns of a TrackViewRow, for a query that joins `tracks as t` and `albums as al`. */
export function trackViewColumns(db: Knex): (string | Knex.Raw)[] {
  return [
    't.id as track_id',
    't.uri as track_uri',
    't.name as track_name',
    't.duration_ms',
    't.explicit',
    't.disc_number',
    't.track_number',
    't.isrc',
    'al.id as album_id',
    'al.name as album_name',
    'al.album_type',
    'al.release_date',
    db.raw('al.details_synced_at is not null as album_details_synced'),
    db.raw(`al.images -> 0 ->> 'url' as album_image_url`),
    db.raw(`(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'detailsSynced', a.details_synced_at is not null) order by ta.position), '[]'::json)
             from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = t.id) as artists`),
  ];
}

export function toTrackView(row: TrackViewRow): TrackView {
  return {
    id: row.track_id,
    uri: row.track_uri ?? `spotify:track:${row.track_id}`,
    name: row.track_name,
    durationMs: row.duration_ms,
    explicit: row.explicit,
    discNumber: row.disc_number,
    trackNumber: row.track_number,
    isrc: row.isrc,
    artists: row.artists,
    album: {
      id: row.album_id,
      name: row.album_name,
      albumType: row.album_type,
      releaseDate: row.release_date,
      detailsSynced: row.album_details_synced,
      imageUrl: row.album_image_url,
    },
  };
}
