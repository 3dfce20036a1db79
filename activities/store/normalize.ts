import type { AlbumRow, ArtistRow, TrackRow } from '../../src/db/rows.js';

/**
 * Spotify objects → rows. Structural input types (the fields we store), so validated client types
 * and heartbeat-restored plain objects both fit.
 */
export interface ArtistRef {
  id: string | null;
  name: string;
}
export interface ImageRef {
  url: string;
  height?: number | null;
  width?: number | null;
}
export interface AlbumRef {
  id: string | null;
  name: string;
  album_type?: string | null;
  release_date?: string | null;
  release_date_precision?: string | null;
  total_tracks?: number | null;
  images?: ImageRef[] | null;
  artists?: ArtistRef[] | null;
}
export interface TrackLike {
  id: string | null;
  type?: string;
  name: string;
  is_local?: boolean | null;
  duration_ms?: number | null;
  explicit?: boolean | null;
  disc_number?: number | null;
  track_number?: number | null;
  popularity?: number | null;
  uri?: string | null;
  external_ids?: { isrc?: string | null } | null;
  album?: AlbumRef | null;
  artists?: ArtistRef[] | null;
}
export interface FullArtistLike extends ArtistRef {
  genres?: string[] | null;
  popularity?: number | null;
  followers?: { total?: number | null } | null;
  images?: ImageRef[] | null;
}
export interface FullAlbumLike extends AlbumRef {
  label?: string | null;
  popularity?: number | null;
  genres?: string[] | null;
}

/** The album columns a track's embedded album already gives (a stub's row, and the base of a full one). */
function albumColumns(album: AlbumRef, id: string) {
  return {
    id,
    name: album.name,
    album_type: album.album_type ?? null,
    release_date: album.release_date ?? null,
    release_date_precision: album.release_date_precision ?? null,
    total_tracks: album.total_tracks ?? null,
    images: JSON.stringify(album.images ?? []),
  };
}

/** Everything one batch writes to the catalog, deduplicated by id (one upsert may not touch a row twice). */
export class CatalogRows {
  readonly tracks = new Map<string, TrackRow>();
  readonly albumStubs = new Map<string, Omit<AlbumRow, 'label' | 'popularity' | 'genres' | 'details_synced_at'>>();
  readonly artistStubs = new Map<string, { id: string; name: string }>();
  readonly trackArtists = new Map<string, string[]>();
  readonly albumArtists = new Map<string, string[]>();
  readonly fullArtists = new Map<string, ArtistRow>();
  readonly fullAlbums = new Map<string, AlbumRow>();

  get size(): number {
    return this.tracks.size + this.fullArtists.size + this.fullAlbums.size;
  }

  private addArtistRefs(artists: ArtistRef[] | null | undefined): string[] {
    const ids: string[] = [];
    for (const artist of artists ?? []) {
      if (!artist?.id) continue;
      if (!this.artistStubs.has(artist.id)) this.artistStubs.set(artist.id, { id: artist.id, name: artist.name });
      if (!ids.includes(artist.id)) ids.push(artist.id);
    }
    return ids;
  }

  private addAlbumRef(album: AlbumRef): void {
    if (!album.id) return;
    this.albumStubs.set(album.id, albumColumns(album, album.id));
    const artistIds = this.addArtistRefs(album.artists);
    if (artistIds.length > 0) this.albumArtists.set(album.id, artistIds);
  }

  /** Adds a track with its album and artists as stubs. Returns false (nothing added) for items we skip. */
  addTrack(track: TrackLike | null | undefined): track is TrackLike & { id: string } {
    if (!track || track.is_local || !track.id || (track.type !== undefined && track.type !== 'track') || !track.album?.id) return false;
    this.addAlbumRef(track.album);
    this.trackArtists.set(track.id, this.addArtistRefs(track.artists));
    this.tracks.set(track.id, {
      id: track.id,
      name: track.name,
      album_id: track.album.id,
      duration_ms: track.duration_ms ?? null,
      explicit: track.explicit ?? null,
      disc_number: track.disc_number ?? null,
      track_number: track.track_number ?? null,
      popularity: track.popularity ?? null,
      isrc: track.external_ids?.isrc ?? null,
      uri: track.uri ?? null,
    });
    return true;
  }

  addFullArtist(artist: FullArtistLike, syncedAt: Date): void {
    if (!artist.id) return;
    this.fullArtists.set(artist.id, {
      id: artist.id,
      name: artist.name,
      genres: artist.genres ?? null,
      popularity: artist.popularity ?? null,
      followers: artist.followers?.total ?? null,
      images: JSON.stringify(artist.images ?? []),
      details_synced_at: syncedAt,
    });
  }

  addFullAlbum(album: FullAlbumLike, syncedAt: Date): void {
    if (!album.id) return;
    const artistIds = this.addArtistRefs(album.artists);
    if (artistIds.length > 0) this.albumArtists.set(album.id, artistIds);
    this.fullAlbums.set(album.id, {
      ...albumColumns(album, album.id),
      label: album.label ?? null,
      popularity: album.popularity ?? null,
      genres: album.genres ?? null,
      details_synced_at: syncedAt,
    });
  }

  /** Plain form for heartbeat details (resumed by `CatalogRows.fromJSON`). */
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(
      (['tracks', 'albumStubs', 'artistStubs', 'trackArtists', 'albumArtists', 'fullArtists', 'fullAlbums'] as const).map((k) => [k, [...this[k].entries()]]),
    );
  }

  static fromJSON(json: unknown): CatalogRows {
    const rows = new CatalogRows();
    const source = (json ?? {}) as Record<string, [string, unknown][]>;
    for (const key of ['tracks', 'albumStubs', 'artistStubs', 'trackArtists', 'albumArtists', 'fullArtists', 'fullAlbums'] as const) {
      const target = rows[key] as Map<string, unknown>;
      for (const [id, value] of source[key] ?? []) {
        if ((key === 'fullArtists' || key === 'fullAlbums') && value && typeof value === 'object') {
          const row = value as { details_synced_at: string | Date };
          target.set(id, { ...row, details_synced_at: new Date(row.details_synced_at) });
        } else target.set(id, value);
      }
    }
    return rows;
  }
}
