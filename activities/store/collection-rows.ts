import type { AlbumTrackEntry, AudiobookRow, EpisodeRow, ShowRow } from '../../src/db/rows.js';
import type { CollectionEntity } from '../../workflows/contract.js';
import { CatalogRows, type FullAlbumLike, type FullArtistLike, type ImageRef } from './normalize.js';

/** Spotify's objects of the saved collections (structural: the fields stored). */
export interface ShowLike {
  id: string;
  name: string;
  publisher?: string | null;
  description?: string | null;
  media_type?: string | null;
  explicit?: boolean | null;
  total_episodes?: number | null;
  images?: ImageRef[] | null;
  uri?: string | null;
}
export interface EpisodeLike {
  id: string | null;
  name: string;
  description?: string | null;
  duration_ms?: number | null;
  explicit?: boolean | null;
  release_date?: string | null;
  images?: ImageRef[] | null;
  uri?: string | null;
  show?: ShowLike | null;
}
export interface AudiobookLike {
  id: string;
  name: string;
  authors?: { name?: string | null }[] | null;
  narrators?: { name?: string | null }[] | null;
  publisher?: string | null;
  description?: string | null;
  edition?: string | null;
  explicit?: boolean | null;
  total_chapters?: number | null;
  images?: ImageRef[] | null;
  uri?: string | null;
}
export interface AlbumTrackLike {
  id: string | null;
  name: string;
  artists?: { id: string | null; name: string }[] | null;
  duration_ms?: number | null;
  explicit?: boolean | null;
  disc_number?: number | null;
  track_number?: number | null;
  uri?: string | null;
}
export interface SavedAlbumLike extends FullAlbumLike {
  id: string;
  tracks?: { items: (AlbumTrackLike | null)[] } | null;
}

/** The table of each collection's saves and its id column. */
export const collectionTables: Record<CollectionEntity, { table: 'saved_albums' | 'followed_artists' | 'saved_shows' | 'saved_episodes' | 'saved_audiobooks'; column: string }> = {
  savedAlbums: { table: 'saved_albums', column: 'album_id' },
  followedArtists: { table: 'followed_artists', column: 'artist_id' },
  savedShows: { table: 'saved_shows', column: 'show_id' },
  savedEpisodes: { table: 'saved_episodes', column: 'episode_id' },
  savedAudiobooks: { table: 'saved_audiobooks', column: 'audiobook_id' },
};

const names = (people: { name?: string | null }[] | null | undefined): string[] => (people ?? []).flatMap((p) => (p.name ? [p.name] : []));
const imagesJson = (images: ImageRef[] | null | undefined): string => JSON.stringify(images ?? []);

export function showRow(show: ShowLike): ShowRow {
  return {
    id: show.id,
    name: show.name,
    publisher: show.publisher ?? null,
    description: show.description ?? null,
    media_type: show.media_type ?? null,
    explicit: show.explicit ?? null,
    total_episodes: show.total_episodes ?? null,
    images: imagesJson(show.images),
    uri: show.uri ?? null,
  };
}

/** An episode's row; null for one without an id. */
export function episodeRow(episode: EpisodeLike): EpisodeRow | null {
  if (!episode.id) return null;
  return {
    id: episode.id,
    show_id: episode.show?.id ?? null,
    name: episode.name,
    description: episode.description ?? null,
    duration_ms: episode.duration_ms ?? null,
    explicit: episode.explicit ?? null,
    release_date: episode.release_date ?? null,
    images: imagesJson(episode.images),
    uri: episode.uri ?? null,
  };
}

/** Everything one page of a collection writes: catalog rows and the saves (id → added_at, ISO). */
export class CollectionRows {
  readonly catalog = new CatalogRows();
  readonly shows = new Map<string, ShowRow>();
  readonly episodes = new Map<string, EpisodeRow>();
  readonly audiobooks = new Map<string, AudiobookRow>();
  readonly saves = new Map<string, string>();

  constructor(readonly syncedAt: Date) {}

  addSavedAlbum(album: SavedAlbumLike, addedAt: string): void {
    this.catalog.addFullAlbum(album, this.syncedAt);
    const row = this.catalog.fullAlbums.get(album.id);
    const page: AlbumTrackEntry[] = (album.tracks?.items ?? []).flatMap((t) =>
      t
        ? [
            {
              id: t.id,
              name: t.name,
              artists: (t.artists ?? []).map((a) => ({ id: a.id, name: a.name })),
              discNumber: t.disc_number ?? null,
              trackNumber: t.track_number ?? null,
              durationMs: t.duration_ms ?? null,
              explicit: t.explicit ?? null,
              uri: t.uri ?? null,
            },
          ]
        : [],
    );
    if (row) row.tracks_page = JSON.stringify(page);
    this.saves.set(album.id, addedAt);
  }

  addFollowedArtist(artist: FullArtistLike & { id: string }, seenAt: string): void {
    this.catalog.addFullArtist(artist, this.syncedAt);
    this.saves.set(artist.id, seenAt);
  }

  addShow(show: ShowLike): void {
    this.shows.set(show.id, showRow(show));
  }

  addSavedShow(show: ShowLike, addedAt: string): void {
    this.addShow(show);
    this.saves.set(show.id, addedAt);
  }

  /** Adds an episode (and its show, when the object carries it). False for one without an id. */
  addEpisode(episode: EpisodeLike): episode is EpisodeLike & { id: string } {
    const row = episodeRow(episode);
    if (!row) return false;
    if (episode.show) this.addShow(episode.show);
    this.episodes.set(row.id, row);
    return true;
  }

  addSavedEpisode(episode: EpisodeLike, addedAt: string): void {
    if (this.addEpisode(episode)) this.saves.set(episode.id, addedAt);
  }

  addSavedAudiobook(book: AudiobookLike, addedAt: string): void {
    this.audiobooks.set(book.id, {
      id: book.id,
      name: book.name,
      authors: names(book.authors),
      narrators: names(book.narrators),
      publisher: book.publisher ?? null,
      description: book.description ?? null,
      edition: book.edition ?? null,
      explicit: book.explicit ?? null,
      total_chapters: book.total_chapters ?? null,
      images: imagesJson(book.images),
      uri: book.uri ?? null,
    });
    this.saves.set(book.id, addedAt);
  }
}
