import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { NotFoundError } from '../errors.js';
import { toTrackView, trackViewColumns, type TrackView, type TrackViewRow } from './track-view.js';

export interface LibraryTrack extends TrackView {
  /** Saved (not removed) in the account's library; false for a track known only from its playlists. */
  saved: boolean;
  /** The account's plays of it (30 s or more, every source). */
  plays: number;
}

/**
 * Those of `candidates` (a subquery of track ids) that are in the account's library: saved and not
 * removed, or in one of its playlists. The candidates are few (one artist's or album's tracks), so each
 * is checked with indexed lookups rather than by listing the whole library.
 */
async function libraryTracks(db: Db, accountId: string, candidates: Knex.QueryBuilder, orderBy: (b: Knex.QueryBuilder) => void): Promise<LibraryTrack[]> {
  const builder = db('tracks as t')
    .join('albums as al', 'al.id', 't.album_id')
    .select([
      ...trackViewColumns(db),
      db.raw('exists (select 1 from saved_tracks s where s.account_id = ? and s.track_id = t.id and s.removed_at is null) as saved', [accountId]),
      db.raw('(select count(*)::int from play_history h where h.account_id = ? and h.track_id = t.id and not h.is_short) as plays', [accountId]),
    ])
    .whereIn('t.id', candidates)
    .where((w) =>
      w
        .whereRaw('exists (select 1 from saved_tracks s where s.account_id = ? and s.track_id = t.id and s.removed_at is null)', [accountId])
        .orWhereRaw(
          'exists (select 1 from playlist_items pi join playlists p on p.account_id = pi.account_id and p.id = pi.playlist_id where pi.account_id = ? and pi.track_id = t.id and p.removed_at is null)',
          [accountId],
        ),
    );
  orderBy(builder);
  const rows = (await builder) as (TrackViewRow & { saved: boolean; plays: number })[];
  return rows.map((row) => ({ ...toTrackView(row), saved: row.saved, plays: row.plays }));
}

export interface ArtistDetails {
  id: string;
  name: string;
  /** False for a stub: known from a track, its own details not fetched yet. */
  detailsSynced: boolean;
  genres: string[];
  imageUrl: string | null;
  tracks: LibraryTrack[];
}

export async function readArtist(db: Db, accountId: string, artistId: string): Promise<ArtistDetails> {
  const artist = await db('artists').where({ id: artistId }).first();
  if (!artist) throw new NotFoundError('unknown_artist', `No artist with id "${artistId}" in the mirror`);
  // Tracks crediting the artist, and tracks of albums crediting it.
  const candidates = db
    .select('track_id')
    .from('track_artists')
    .where('artist_id', artistId)
    .union((u) => u.select('t2.id').from('tracks as t2').join('album_artists as y', 'y.album_id', 't2.album_id').where('y.artist_id', artistId));
  const tracks = await libraryTracks(db, accountId, candidates, (b) =>
    b.orderBy([{ column: 'al.release_date', order: 'desc', nulls: 'last' }, 'al.name', 't.disc_number', 't.track_number', 't.id']),
  );
  return {
    id: artist.id,
    name: artist.name,
    detailsSynced: artist.details_synced_at !== null,
    genres: artist.genres ?? [],
    imageUrl: (artist.images as { url?: string }[] | null)?.[0]?.url ?? null,
    tracks,
  };
}

export interface AlbumDetails {
  id: string;
  name: string;
  detailsSynced: boolean;
  albumType: string | null;
  releaseDate: string | null;
  totalTracks: number | null;
  label: string | null;
  imageUrl: string | null;
  artists: { id: string; name: string; detailsSynced: boolean }[];
  tracks: LibraryTrack[];
}

export async function readAlbum(db: Db, accountId: string, albumId: string): Promise<AlbumDetails> {
  const album = await db('albums').where({ id: albumId }).first();
  if (!album) throw new NotFoundError('unknown_album', `No album with id "${albumId}" in the mirror`);
  const artists = (await db('album_artists as aa')
    .join('artists as a', 'a.id', 'aa.artist_id')
    .where('aa.album_id', albumId)
    .orderBy('aa.position')
    .select('a.id', 'a.name', db.raw('a.details_synced_at is not null as "detailsSynced"'))) as AlbumDetails['artists'];
  const tracks = await libraryTracks(db, accountId, db('tracks').where('album_id', albumId).select('id'), (b) => b.orderBy(['t.disc_number', 't.track_number', 't.id']));
  return {
    id: album.id,
    name: album.name,
    detailsSynced: album.details_synced_at !== null,
    albumType: album.album_type,
    releaseDate: album.release_date,
    totalTracks: album.total_tracks,
    label: album.label,
    imageUrl: (album.images as { url?: string }[] | null)?.[0]?.url ?? null,
    artists,
    tracks,
  };
}
