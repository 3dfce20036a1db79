import { type AppMode } from './config.js';
import { type CollectionSave } from './collections.js';
import { localUri, type Library, type Playlist } from './library.js';

/** What a correct mirror of the library holds in a given app mode (contract: GET /_sim/truth). */
export interface Truth {
  appMode: AppMode;
  accountId: string;
  /** Newest first, as `GET /v1/me/tracks` lists them. */
  savedTracks: string[];
  /** Sorted; every track artist and album artist of every saved or visible playlist track. */
  artists: string[];
  /** Sorted; the album of every saved or visible playlist track. */
  albums: string[];
  /** In the order of `GET /v1/me/playlists`. */
  playlists: TruthPlaylist[];
  /** Entries of accessible playlists a mirror skips. */
  skipped: { nullItems: number; localItems: number; episodes: number };
  /** Saved album ids, newest first (as `GET /v1/me/albums`). */
  savedAlbums: string[];
  /** Followed artist ids, sorted (as `GET /v1/me/following` pages them). */
  followedArtists: string[];
  /** Saved show, episode and audiobook ids, newest first. */
  savedShows: string[];
  savedEpisodes: string[];
  savedAudiobooks: string[];
}

export interface TruthPlaylist {
  id: string;
  snapshotId: string;
  itemsAccessible: boolean;
  /** Track ids in playlist order (duplicates kept), without null, local and episode entries. */
  items: string[];
  /** Every entry's uri in order, null for an unavailable one (empty when the items may not be read). */
  entryUris: (string | null)[];
  /** The owner's Spotify user id. */
  ownerId: string;
  name: string;
}

export interface LibraryStats {
  savedTracks: number;
  artists: number;
  albums: number;
  playlists: number;
  /** Every entry of every playlist in the user's list, awkward ones included. */
  playlistItems: number;
}

/** Development-mode apps may read items only of playlists the user owns or collaborates on. */
export const itemsAccessible = (playlist: Playlist, appMode: AppMode): boolean => appMode === 'extended' || playlist.relation !== 'followed';

/** Indexes of every artist and album a mirror needs; indexes, not ids: this runs over 100k-track libraries. */
function visibleCatalog(library: Library, appMode: AppMode): { artists: Set<number>; albums: Set<number> } {
  const { catalog } = library;
  const artists = new Set<number>();
  const albums = new Set<number>();
  const addTrack = (index: number): void => {
    const track = catalog.tracks[index];
    if (!track) throw new Error(`no track ${index}`);
    for (const artist of track.artists) artists.add(artist);
    if (!albums.has(track.album)) {
      albums.add(track.album);
      for (const artist of catalog.albums[track.album]?.artists ?? []) artists.add(artist);
    }
  };
  for (const saved of library.saved) addTrack(saved.track);
  for (const playlist of library.playlists) {
    if (!itemsAccessible(playlist, appMode)) continue;
    for (const item of playlist.items) if (item.kind === 'track') addTrack(item.track);
  }
  return { artists, albums };
}

export function computeTruth(library: Library, appMode: AppMode): Truth {
  const { catalog } = library;
  const trackId = (index: number): string => catalog.tracks[index]?.id ?? '';
  const savedTracks: string[] = [];
  for (let i = library.saved.length - 1; i >= 0; i--) savedTracks.push(trackId(library.saved[i]?.track ?? 0));

  const skipped = { nullItems: 0, localItems: 0, episodes: 0 };
  const playlists = library.playlists.map((playlist): TruthPlaylist => {
    const accessible = itemsAccessible(playlist, appMode);
    const items: string[] = [];
    const entryUris: (string | null)[] = [];
    if (accessible) {
      for (const item of playlist.items) {
        entryUris.push(entryUri(library, item));
        if (item.kind === 'track') items.push(trackId(item.track));
        else if (item.kind === 'unavailable') skipped.nullItems++;
        else if (item.kind === 'local') skipped.localItems++;
        else skipped.episodes++;
      }
    }
    return {
      id: playlist.id,
      snapshotId: playlist.snapshotId,
      itemsAccessible: accessible,
      items,
      entryUris,
      ownerId: library.users[playlist.owner]?.id ?? '',
      name: playlist.name,
    };
  });

  const visible = visibleCatalog(library, appMode);
  const ids = (indexes: Set<number>, list: { id: string }[]): string[] => [...indexes].map((i) => list[i]?.id ?? '').sort();
  const { collections } = library;
  const newestFirst = (saves: readonly CollectionSave[], list: readonly { id: string }[]): string[] => [...saves].reverse().map((s) => list[s.index]?.id ?? '');
  return {
    appMode,
    accountId: library.accountId,
    savedTracks,
    artists: ids(visible.artists, catalog.artists),
    albums: ids(visible.albums, catalog.albums),
    playlists,
    skipped,
    savedAlbums: newestFirst(collections.savedAlbums, catalog.albums),
    followedArtists: collections.followedArtists.map((i) => catalog.artists[i]?.id ?? '').sort(),
    savedShows: newestFirst(collections.savedShows, catalog.shows),
    savedEpisodes: newestFirst(collections.savedEpisodes, catalog.episodes),
    savedAudiobooks: newestFirst(collections.savedAudiobooks, catalog.audiobooks),
  };
}

/** An entry's uri as the API lists it; null for an unavailable one. */
function entryUri(library: Library, item: Playlist['items'][number]): string | null {
  if (item.kind === 'track') return `spotify:track:${library.catalog.tracks[item.track]?.id ?? ''}`;
  if (item.kind === 'episode') return `spotify:episode:${library.catalog.episodes[item.episode]?.id ?? ''}`;
  if (item.kind === 'local') return localUri(item.local);
  return null;
}

export function computeLibraryStats(library: Library, appMode: AppMode): LibraryStats {
  const visible = visibleCatalog(library, appMode);
  return {
    savedTracks: library.saved.length,
    artists: visible.artists.size,
    albums: visible.albums.size,
    playlists: library.playlists.length,
    playlistItems: library.playlists.reduce((sum, p) => sum + p.items.length, 0),
  };
}
