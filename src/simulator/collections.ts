import { type Catalog } from './catalog.js';
import { type Prng } from './prng.js';

/**
 * The rest of a library besides Liked Songs and playlists (DESIGN.md "The whole library"): saved
 * albums, followed artists, saved shows, saved episodes and saved audiobooks. Pure data.
 */

/** One save of a collection: an index into the catalogue's list, and when it was saved (Unix ms). */
export interface CollectionSave {
  index: number;
  addedAt: number;
}

export interface Collections {
  /** Oldest first: the API lists them from the end (newest first), as saved tracks. */
  savedAlbums: CollectionSave[];
  /** Artist indexes. Spotify gives no date and pages by artist id (`after`), so no order is kept here. */
  followedArtists: number[];
  savedShows: CollectionSave[];
  savedEpisodes: CollectionSave[];
  savedAudiobooks: CollectionSave[];
}

export type CollectionName = keyof Collections;

/** How big each collection is; by default in proportion to the saved tracks (100k tracks: 5k albums, 2k artists, 200 shows). */
export interface CollectionSizes {
  savedAlbums?: number;
  followedArtists?: number;
  shows?: number;
}

const day = 86_400_000;

export const emptyCollections = (): Collections => ({ savedAlbums: [], followedArtists: [], savedShows: [], savedEpisodes: [], savedAudiobooks: [] });

/** `count` saves, newest first generated then returned oldest first, spread over the past years (relative times, anchored later). */
function saveTimes(rng: Prng, count: number): number[] {
  const meanGap = Math.min(30 * day, (5 * 365 * day) / Math.max(1, count));
  const times: number[] = [];
  let addedAt = -rng.int(10, 600) * 60_000;
  for (let i = 0; i < count; i++) {
    times.push(addedAt);
    addedAt -= 1000 + Math.floor(-Math.log(1 - rng.next()) * meanGap);
  }
  return times.reverse();
}

/**
 * Saved albums are mostly albums of saved tracks, some with none of their tracks saved; followed
 * artists mostly artists of saved tracks, some on no saved track; shows come with many episodes, some
 * saved whole, some only for an episode or two.
 */
export function generateCollections(catalog: Catalog, rng: Prng, savedTracks: readonly number[], sizes: Required<CollectionSizes>): Collections {
  const collections = emptyCollections();

  const heardAlbums = rng.shuffled([...new Set(savedTracks.map((t) => catalog.tracks[t]?.album ?? 0))]);
  const albums: number[] = [];
  for (let i = 0; i < sizes.savedAlbums; i++) {
    const heard = rng.chance(0.7) ? heardAlbums.pop() : undefined;
    albums.push(heard ?? catalog.newUnheardAlbum());
  }
  const albumTimes = saveTimes(rng, albums.length);
  collections.savedAlbums = albums.map((index, i) => ({ index, addedAt: albumTimes[i] ?? 0 }));

  const heardArtists = rng.shuffled([...new Set(savedTracks.flatMap((t) => catalog.tracks[t]?.artists ?? []))]);
  const followed = new Set<number>();
  while (followed.size < sizes.followedArtists) {
    const heard = rng.chance(0.8) ? heardArtists.pop() : undefined;
    followed.add(heard ?? catalog.newTracklessArtist());
  }
  collections.followedArtists = [...followed];

  const shows: number[] = [];
  for (let i = 0; i < sizes.shows; i++) shows.push(catalog.newShow(rng.int(5, 40)));
  const savedShows = shows.filter(() => rng.chance(0.8));
  const showTimes = saveTimes(rng, savedShows.length);
  collections.savedShows = savedShows.map((index, i) => ({ index, addedAt: showTimes[i] ?? 0 }));
  const episodes = new Set<number>();
  const showEpisodes = (show: number): number[] => catalog.episodes.flatMap((e, i) => (e.show === show ? [i] : []));
  for (const show of shows) for (const episode of rng.shuffled(showEpisodes(show)).slice(0, rng.int(0, 4))) episodes.add(episode);
  const episodeTimes = saveTimes(rng, episodes.size);
  collections.savedEpisodes = rng.shuffled([...episodes]).map((index, i) => ({ index, addedAt: episodeTimes[i] ?? 0 }));

  const audiobooks: number[] = [];
  for (let i = 0; i < Math.max(sizes.shows > 0 ? 1 : 0, Math.round(sizes.shows / 4)); i++) audiobooks.push(catalog.newAudiobook());
  const audiobookTimes = saveTimes(rng, audiobooks.length);
  collections.savedAudiobooks = audiobooks.map((index, i) => ({ index, addedAt: audiobookTimes[i] ?? 0 }));
  return collections;
}

/** The sizes a library of `tracks` saved tracks has unless told otherwise. */
export function defaultCollectionSizes(tracks: number, given: CollectionSizes = {}): Required<CollectionSizes> {
  return {
    savedAlbums: given.savedAlbums ?? Math.round(tracks / 20),
    followedArtists: given.followedArtists ?? Math.round(tracks / 50),
    shows: given.shows ?? (tracks > 0 ? Math.max(2, Math.round(tracks / 500)) : 0),
  };
}

/** Moves generated (relative) save times onto the simulator clock. */
export function anchorCollections(collections: Collections, now: number): void {
  for (const list of [collections.savedAlbums, collections.savedShows, collections.savedEpisodes, collections.savedAudiobooks]) for (const save of list) save.addedAt += now;
}
