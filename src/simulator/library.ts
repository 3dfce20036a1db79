import { Catalog, playlistTrackProfile, savedTrackProfile } from './catalog.js';
import { artistName, playlistName, personName, trackName, albumName } from './names.js';
import { createPrng, type Prng } from './prng.js';
import { anchorCollections, defaultCollectionSizes, emptyCollections, generateCollections, type Collections, type CollectionSizes } from './collections.js';

/** The demo user's library: saved tracks, playlists and play history over the catalogue. Pure data. */

export interface User {
  id: string;
  displayName: string;
}

export interface LocalFile {
  title: string;
  artist: string;
  album: string;
  durationMs: number;
}

/** A local file's uri as Spotify writes it: `spotify:local:artist:album:title:seconds`, `+` for spaces. */
export function localUri(local: LocalFile): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `spotify:local:${enc(local.artist)}:${enc(local.album)}:${enc(local.title)}:${Math.round(local.durationMs / 1000)}`;
}

interface ItemBase {
  /** Unix ms. */
  addedAt: number;
  /** Index into `Library.users`. */
  addedBy: number;
}

export type PlaylistItem =
  | (ItemBase & { kind: 'track'; track: number })
  /** A track Spotify no longer has: the API sends `item: null`. */
  | (ItemBase & { kind: 'unavailable' })
  | (ItemBase & { kind: 'local'; local: LocalFile })
  | (ItemBase & { kind: 'episode'; episode: number });

/** The user's relation to a playlist decides whether development-mode apps may read its items. */
export type PlaylistRelation = 'owned' | 'collaborative' | 'followed';

export interface Playlist {
  id: string;
  name: string;
  description: string;
  /** Index into `Library.users`; 0 is the demo user. */
  owner: number;
  relation: PlaylistRelation;
  public: boolean;
  followers: number;
  snapshotId: string;
  items: PlaylistItem[];
}

export interface SavedTrack {
  track: number;
  addedAt: number;
}

export interface PlayContext {
  type: 'playlist' | 'album' | 'artist';
  id: string;
}

export interface Play {
  track: number;
  playedAt: number;
  context: PlayContext | null;
}

export interface Library {
  seed: number;
  catalog: Catalog;
  /** users[0] is the demo user; the others own the playlists the demo user follows or collaborates on. */
  users: User[];
  accountId: string;
  /** Oldest first: the API reads it from the end (newest first). */
  saved: SavedTrack[];
  /** Tracks the user unsaved, available to resave. */
  removed: number[];
  /** Tracks that appeared only in playlists, reused so that some sit in several playlists. */
  playlistOnlyTracks: number[];
  /** In the order of the user's playlist list. */
  playlists: Playlist[];
  /** Playlists deleted from (unfollowed by) the user's list, which following again brings back. */
  unfollowedPlaylists: Playlist[];
  /** Oldest first, never more than `maxPlays`: Spotify keeps only the last 50 plays. */
  plays: Play[];
  /** Saved albums, followed artists, saved shows, episodes and audiobooks. */
  collections: Collections;
  /** Bumped by every mutation, so derived numbers can be cached. */
  version: number;
}

export const maxPlays = 50;

export interface LibraryOptions {
  seed: number;
  tracks: number;
  playlists: number;
  userId?: string;
  accountId?: string;
  /** Sizes of the collections; by default in proportion to `tracks`. */
  collections?: CollectionSizes;
}

const day = 86_400_000;

/**
 * Generates the library with times relative to 0 (all in the past, i.e. negative); `anchorLibrary`
 * moves them to the simulator clock once it is known (the clock may be asynchronous).
 */
export function generateLibrary(options: LibraryOptions): Library {
  const rng = createPrng(options.seed, 'library');
  const catalog = new Catalog(rng);
  const userId = options.userId ?? 'demo-user';
  const users: User[] = [{ id: userId, displayName: 'Demo Listener' }];
  const library: Library = {
    seed: options.seed,
    catalog,
    users,
    accountId: options.accountId ?? `${userId}-${options.seed}`,
    saved: [],
    removed: [],
    playlistOnlyTracks: [],
    playlists: [],
    unfollowedPlaylists: [],
    plays: [],
    collections: emptyCollections(),
    version: 0,
  };

  // Saved over several years, denser for big libraries; generated newest first.
  const meanGap = Math.min(day, (6 * 365 * day) / Math.max(1, options.tracks));
  let addedAt = -rng.int(5, 120) * 60_000;
  const newestFirst: SavedTrack[] = [];
  for (let i = 0; i < options.tracks; i++) {
    newestFirst.push({ track: catalog.newTrack(savedTrackProfile), addedAt });
    addedAt -= 1000 + Math.floor(-Math.log(1 - rng.next()) * meanGap);
  }
  library.saved = newestFirst.reverse();

  const otherUsers = Math.max(3, Math.ceil(options.playlists / 4));
  for (let i = 0; i < otherUsers; i++) {
    users.push({
      id: `${personName(rng)
        .toLowerCase()
        .replace(/[^a-z]/g, '')}${rng.int(1, 9999)}`,
      displayName: personName(rng),
    });
  }
  for (const relation of playlistRelations(rng, options.playlists)) {
    library.playlists.push(newPlaylist(library, rng, relation));
  }
  library.plays = initialPlays(library, rng);
  // Last, and from a stream of its own, so the rest of the library is what it was before collections existed.
  const sizes = defaultCollectionSizes(options.tracks, options.collections);
  library.collections = generateCollections(
    catalog,
    createPrng(options.seed, 'collections'),
    library.saved.map((s) => s.track),
    sizes,
  );
  return library;
}

/** About 60% owned, 10% collaborative, 30% followed, each kind present once there are three playlists. */
function playlistRelations(rng: Prng, count: number): PlaylistRelation[] {
  const collaborative = count >= 3 ? Math.max(1, Math.round(count * 0.1)) : 0;
  const followed = count >= 2 ? Math.max(1, Math.round(count * 0.3)) : 0;
  const owned = count - collaborative - followed;
  const relations: PlaylistRelation[] = [
    ...Array<PlaylistRelation>(owned).fill('owned'),
    ...Array<PlaylistRelation>(collaborative).fill('collaborative'),
    ...Array<PlaylistRelation>(followed).fill('followed'),
  ];
  return rng.shuffled(relations);
}

function newPlaylist(library: Library, rng: Prng, relation: PlaylistRelation): Playlist {
  const owner = relation === 'owned' ? 0 : rng.int(1, library.users.length - 1);
  const playlist: Playlist = {
    id: library.catalog.newId(),
    name: playlistName(rng),
    description: rng.chance(0.5) ? '' : `Songs for ${playlistName(rng).toLowerCase()}`,
    owner,
    relation,
    public: relation === 'collaborative' ? false : relation === 'followed' ? true : rng.chance(0.4),
    followers: relation === 'owned' ? rng.int(0, 12) : rng.int(10, 250_000),
    snapshotId: newSnapshotId(rng),
    items: [],
  };
  const count = rng.chance(0.08) ? 0 : rng.int(1, 120);
  let addedAt = -rng.int(30, 3 * 365) * day;
  for (let i = 0; i < count; i++) {
    addedAt += rng.int(60_000, 3 * day);
    playlist.items.push(newPlaylistItem(library, rng, playlist, Math.min(addedAt, -60_000)));
  }
  return playlist;
}

/** ~70% saved tracks, ~25% tracks only in playlists, the rest the awkward cases real playlists have. */
export function newPlaylistItem(library: Library, rng: Prng, playlist: Playlist, addedAt: number): PlaylistItem {
  const addedBy = playlist.relation === 'collaborative' && rng.chance(0.5) ? 0 : playlist.owner;
  const roll = rng.next();
  const savedTrack = library.saved.length > 0 ? library.saved[rng.int(0, library.saved.length - 1)] : undefined;
  if (roll < 0.7 && savedTrack) return { kind: 'track', track: savedTrack.track, addedAt, addedBy };
  if (roll < 0.95) return { kind: 'track', track: playlistOnlyTrack(library, rng), addedAt, addedBy };
  if (roll < 0.97) return { kind: 'unavailable', addedAt, addedBy };
  if (roll < 0.985) {
    const local: LocalFile = {
      title: trackName(rng),
      artist: artistName(rng),
      album: albumName(rng),
      durationMs: rng.int(90_000, 420_000),
    };
    return { kind: 'local', local, addedAt, addedBy };
  }
  const episodes = library.catalog.episodes;
  const episode = episodes.length > 0 && rng.chance(0.3) ? rng.int(0, episodes.length - 1) : library.catalog.newEpisode();
  return { kind: 'episode', episode, addedAt, addedBy };
}

export function playlistOnlyTrack(library: Library, rng: Prng): number {
  if (library.playlistOnlyTracks.length > 0 && rng.chance(0.3)) return rng.pick(library.playlistOnlyTracks);
  const track = library.catalog.newTrack(playlistTrackProfile);
  library.playlistOnlyTracks.push(track);
  return track;
}

export function newSnapshotId(rng: Prng): string {
  return `AAAA${rng.base62(28)}`;
}

/** About 30 plays over the past day, at least a few minutes apart. */
function initialPlays(library: Library, rng: Prng): Play[] {
  const plays: Play[] = [];
  let playedAt = -rng.int(2, 20) * 60_000;
  while (plays.length < 30 && playedAt > -day) {
    plays.push(randomPlay(library, rng, playedAt));
    playedAt -= rng.int(4, 90) * 60_000 + rng.int(0, 59_999);
  }
  return plays.reverse();
}

export function randomPlay(library: Library, rng: Prng, playedAt: number): Play {
  const saved = library.saved;
  const track = saved.length > 0 && rng.chance(0.8) ? (saved[rng.int(0, saved.length - 1)]?.track ?? 0) : rng.int(0, Math.max(0, library.catalog.tracks.length - 1));
  const t = library.catalog.tracks[track];
  const roll = rng.next();
  let context: PlayContext | null = null;
  const playlists = library.playlists;
  if (roll < 0.3 && playlists.length > 0) context = { type: 'playlist', id: rng.pick(playlists).id };
  else if (roll < 0.55 && t) context = { type: 'album', id: library.catalog.albums[t.album]?.id ?? '' };
  else if (roll < 0.75 && t) context = { type: 'artist', id: library.catalog.artists[t.artists[0] ?? 0]?.id ?? '' };
  return { track, playedAt, context };
}

/** Moves every generated (relative) time onto the simulator clock. */
export function anchorLibrary(library: Library, now: number): void {
  for (const saved of library.saved) saved.addedAt += now;
  for (const playlist of library.playlists) for (const item of playlist.items) item.addedAt += now;
  for (const play of library.plays) play.playedAt += now;
  anchorCollections(library.collections, now);
}
