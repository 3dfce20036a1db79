import { albumInfo, artistInfo, artistTitle, trackTitle } from './catalog.js';
import { type AppMode } from './config.js';
import { localUri, type LocalFile, type Library, type Play, type Playlist, type PlaylistItem } from './library.js';
import { type Listener } from './listeners.js';
import { labels } from './names.js';
import { generatedCover } from './covers.js';
import { createPrng, hashString, prngFor } from './prng.js';
import { itemsAccessible } from './truth.js';

/**
 * Renders Spotify Web API JSON objects (shapes from the OpenAPI reference) from the library. Details
 * that nothing depends on (durations, popularity, ISRCs, images) derive from the id instead of being stored.
 */

export interface RenderContext {
  library: Library;
  /** e.g. http://127.0.0.1:4010/v1: links point back at the simulator, so following `next` works. */
  apiBase: string;
  appMode: AppMode;
  /** Who is asking (`/v1/me`). */
  listener: Listener;
  /** With the `snapshotChurn` quirk on: a fresh snapshot id for each read of a followed playlist. */
  churnedSnapshotId?: () => string;
}

type Json = Record<string, unknown>;

/**
 * Fields development mode no longer sends (Spotify's changelog, February 2026): the app sees the
 * objects without them; extended-quota apps still get them.
 */
const droppedInDevelopmentMode = {
  user: ['country', 'email', 'product', 'explicit_content', 'followers'],
  artist: ['followers', 'genres', 'popularity'],
  album: ['popularity', 'available_markets'],
  track: ['popularity', 'available_markets'],
} as const;

function forAppMode(ctx: RenderContext, kind: keyof typeof droppedInDevelopmentMode, object: Json): Json {
  if (ctx.appMode === 'development') for (const field of droppedInDevelopmentMode[kind]) delete object[field];
  return object;
}

export const markets = ['DE', 'GB', 'SE', 'US'];

export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
export const isoMillis = (ms: number): string => new Date(ms).toISOString();

export const openUrl = (type: string, id: string): Json => ({ spotify: `https://open.spotify.com/${type}/${id}` });

/**
 * Images in Spotify's shape (one per size, largest first). The URL is the simulator's own generated
 * cover (src/simulator/covers.ts), scalable, so every size shares it: the real service's CDN is not
 * reachable offline.
 */
export function images(id: string, sizes: number[]): Json[] {
  const url = generatedCover(id);
  return sizes.map((size) => ({ url, height: size, width: size }));
}

export function pageObject(url: string, items: unknown[], offset: number, limit: number, total: number): Json {
  const at = (o: number): string => {
    const u = new URL(url);
    u.searchParams.set('offset', String(o));
    u.searchParams.set('limit', String(limit));
    return u.toString();
  };
  return {
    href: at(offset),
    items,
    limit,
    next: offset + limit < total ? at(offset + limit) : null,
    offset,
    previous: offset > 0 ? at(Math.max(0, offset - limit)) : null,
    total,
  };
}

export function simplifiedArtist(ctx: RenderContext, index: number): Json {
  const artist = ctx.library.catalog.artists[index];
  if (!artist) throw new Error(`no artist ${index}`);
  return {
    external_urls: openUrl('artist', artist.id),
    href: `${ctx.apiBase}/artists/${artist.id}`,
    id: artist.id,
    name: artistTitle(artist),
    type: 'artist',
    uri: `spotify:artist:${artist.id}`,
  };
}

export function artistObject(ctx: RenderContext, index: number): Json {
  const artist = ctx.library.catalog.artists[index];
  if (!artist) throw new Error(`no artist ${index}`);
  const rng = prngFor(artist.id);
  return forAppMode(ctx, 'artist', {
    ...simplifiedArtist(ctx, index),
    followers: { href: null, total: rng.int(0, 2_000_000) },
    genres: artistInfo(artist).genres,
    images: images(artist.id, [640, 320, 160]),
    popularity: rng.int(0, 100),
  });
}

export function simplifiedAlbum(ctx: RenderContext, index: number): Json {
  const album = ctx.library.catalog.albums[index];
  if (!album) throw new Error(`no album ${index}`);
  const info = albumInfo(album);
  return forAppMode(ctx, 'album', {
    album_type: album.albumType,
    total_tracks: album.totalTracks,
    available_markets: markets,
    external_urls: openUrl('album', album.id),
    href: `${ctx.apiBase}/albums/${album.id}`,
    id: album.id,
    images: images(album.id, [640, 300, 64]),
    name: info.name,
    release_date: info.releaseDate,
    release_date_precision: info.releaseDatePrecision,
    type: 'album',
    uri: `spotify:album:${album.id}`,
    artists: album.artists.map((a) => simplifiedArtist(ctx, a)),
  });
}

/** The album's tracks in order: catalogue tracks at their positions, deterministic filler elsewhere. */
export function albumTracksPage(ctx: RenderContext, index: number, offset: number, limit: number): Json {
  const album = ctx.library.catalog.albums[index];
  if (!album) throw new Error(`no album ${index}`);
  const byPosition = new Map<number, number>();
  for (const t of album.tracks) byPosition.set(ctx.library.catalog.tracks[t]?.trackNumber ?? 0, t);
  const items: Json[] = [];
  for (let position = offset + 1; position <= Math.min(album.totalTracks, offset + limit); position++) {
    const track = byPosition.get(position);
    items.push(track !== undefined ? simplifiedTrack(ctx, track) : fillerTrack(ctx, index, position));
  }
  return pageObject(`${ctx.apiBase}/albums/${album.id}/tracks`, items, offset, limit, album.totalTracks);
}

export function albumObject(ctx: RenderContext, index: number): Json {
  const album = ctx.library.catalog.albums[index];
  if (!album) throw new Error(`no album ${index}`);
  const rng = prngFor(album.id);
  const year = albumInfo(album).releaseDate.slice(0, 4);
  const label = rng.pick(labels);
  return forAppMode(ctx, 'album', {
    ...simplifiedAlbum(ctx, index),
    tracks: albumTracksPage(ctx, index, 0, 50),
    copyrights: [
      { text: `© ${year} ${label}`, type: 'C' },
      { text: `℗ ${year} ${label}`, type: 'P' },
    ],
    external_ids: { upc: String(rng.int(100_000, 999_999)) + String(rng.int(100_000, 999_999)) },
    genres: [],
    label,
    popularity: rng.int(0, 100),
  });
}

/** A track's duration, as every rendering of it says. */
export const trackDurationMs = (id: string): number => trackDetails(id).duration_ms as number;

function trackDetails(id: string): Json {
  const rng = prngFor(id);
  return {
    disc_number: 1,
    duration_ms: rng.int(95_000, 420_000),
    explicit: rng.chance(0.15),
    preview_url: null,
    popularity: rng.int(0, 100),
    isrc: `${rng.pick(['US', 'GB', 'SE', 'DE'])}${rng.base62(3).toUpperCase()}${rng.int(10, 25)}${String(rng.int(0, 99_999)).padStart(5, '0')}`,
  };
}

export function simplifiedTrack(ctx: RenderContext, index: number): Json {
  const track = ctx.library.catalog.tracks[index];
  if (!track) throw new Error(`no track ${index}`);
  const { disc_number, duration_ms, explicit, preview_url } = trackDetails(track.id);
  return forAppMode(ctx, 'track', {
    artists: track.artists.map((a) => simplifiedArtist(ctx, a)),
    available_markets: markets,
    disc_number,
    duration_ms,
    explicit,
    external_urls: openUrl('track', track.id),
    href: `${ctx.apiBase}/tracks/${track.id}`,
    id: track.id,
    name: trackTitle(track),
    preview_url,
    track_number: track.trackNumber,
    type: 'track',
    uri: `spotify:track:${track.id}`,
    is_local: false,
  });
}

function fillerTrack(ctx: RenderContext, albumIndex: number, position: number): Json {
  const album = ctx.library.catalog.albums[albumIndex];
  if (!album) throw new Error(`no album ${albumIndex}`);
  const rng = createPrng(hashString(`${album.id}:${position}`), 'filler');
  const id = rng.base62();
  const { duration_ms, explicit } = trackDetails(id);
  return forAppMode(ctx, 'track', {
    artists: album.artists.map((a) => simplifiedArtist(ctx, a)),
    available_markets: markets,
    disc_number: 1,
    duration_ms,
    explicit,
    external_urls: openUrl('track', id),
    href: `${ctx.apiBase}/tracks/${id}`,
    id,
    name: `${albumInfo(album).name} (Track ${position})`,
    preview_url: null,
    track_number: position,
    type: 'track',
    uri: `spotify:track:${id}`,
    is_local: false,
  });
}

export function trackObject(ctx: RenderContext, index: number): Json {
  const track = ctx.library.catalog.tracks[index];
  if (!track) throw new Error(`no track ${index}`);
  const { popularity, isrc } = trackDetails(track.id);
  const simplified = simplifiedTrack(ctx, index);
  return forAppMode(ctx, 'track', {
    album: simplifiedAlbum(ctx, track.album),
    ...simplified,
    external_ids: { isrc },
    popularity,
  });
}

/** A local file as the app mode renders it (the album it names loses the same fields). */
function localTrackFor(ctx: RenderContext, local: LocalFile): Json {
  const track = localTrack(local);
  forAppMode(ctx, 'album', track.album as Json);
  return forAppMode(ctx, 'track', track);
}

/** Spotify's shape for a local file: no id, no links, a spotify:local: URI (see testkit/spec-overlays.ts). */
export function localTrack(local: LocalFile): Json {
  return {
    album: {
      album_type: null,
      artists: [],
      available_markets: [],
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: local.album,
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
    },
    artists: [{ external_urls: {}, href: null, id: null, name: local.artist, type: 'artist', uri: null }],
    available_markets: [],
    disc_number: 0,
    duration_ms: local.durationMs,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: true,
    name: local.title,
    popularity: 0,
    preview_url: null,
    track_number: 0,
    type: 'track',
    uri: localUri(local),
  };
}

export function episodeObject(ctx: RenderContext, index: number): Json {
  const { catalog } = ctx.library;
  const episode = catalog.episodes[index];
  const show = episode ? catalog.shows[episode.show] : undefined;
  if (!episode || !show) throw new Error(`no episode ${index}`);
  const rng = prngFor(episode.id);
  const description = `In this episode of ${show.name}: ${episode.name}.`;
  return {
    audio_preview_url: null,
    description,
    html_description: `<p>${description}</p>`,
    duration_ms: rng.int(600_000, 5_400_000),
    explicit: false,
    external_urls: openUrl('episode', episode.id),
    href: `${ctx.apiBase}/episodes/${episode.id}`,
    id: episode.id,
    images: images(episode.id, [640, 300, 64]),
    is_externally_hosted: false,
    is_playable: true,
    language: 'en',
    languages: ['en'],
    name: episode.name,
    release_date: episode.releaseDate,
    release_date_precision: 'day',
    type: 'episode',
    uri: `spotify:episode:${episode.id}`,
    show: simplifiedShow(ctx, episode.show),
  };
}

/** SimplifiedShowObject. */
export function simplifiedShow(ctx: RenderContext, index: number): Json {
  const { catalog } = ctx.library;
  const show = catalog.shows[index];
  if (!show) throw new Error(`no show ${index}`);
  return {
    available_markets: markets,
    copyrights: [],
    description: `${show.name} by ${show.publisher}`,
    html_description: `<p>${show.name} by ${show.publisher}</p>`,
    explicit: false,
    external_urls: openUrl('show', show.id),
    href: `${ctx.apiBase}/shows/${show.id}`,
    id: show.id,
    images: images(show.id, [640, 300, 64]),
    is_externally_hosted: false,
    languages: ['en'],
    media_type: 'audio',
    name: show.name,
    publisher: show.publisher,
    total_episodes: catalog.episodes.filter((e) => e.show === index).length,
    type: 'show',
    uri: `spotify:show:${show.id}`,
  };
}

export function playlistUser(ctx: RenderContext, userIndex: number): Json {
  const user = ctx.library.users[userIndex];
  if (!user) throw new Error(`no user ${userIndex}`);
  return {
    external_urls: openUrl('user', user.id),
    href: `${ctx.apiBase}/users/${user.id}`,
    id: user.id,
    type: 'user',
    uri: `spotify:user:${user.id}`,
  };
}

const playlistOwner = (ctx: RenderContext, userIndex: number): Json => ({
  ...playlistUser(ctx, userIndex),
  display_name: ctx.library.users[userIndex]?.displayName ?? null,
});

export type ItemKey = 'item' | 'track';

/** `/items` entries carry `item`; the deprecated `/tracks` entries carry `track`. */
export function playlistItemObject(ctx: RenderContext, item: PlaylistItem, key: ItemKey): Json {
  let content: Json | null;
  if (item.kind === 'track') content = trackObject(ctx, item.track);
  else if (item.kind === 'episode') content = episodeObject(ctx, item.episode);
  else if (item.kind === 'local') content = localTrackFor(ctx, item.local);
  else content = null;
  return {
    added_at: isoSeconds(item.addedAt),
    added_by: playlistUser(ctx, item.addedBy),
    is_local: item.kind === 'local',
    [key]: content,
  };
}

export function playlistItemsPage(ctx: RenderContext, playlist: Playlist, key: ItemKey, offset: number, limit: number): Json {
  const items = playlist.items.slice(offset, offset + limit).map((item) => playlistItemObject(ctx, item, key));
  const route = key === 'item' ? 'items' : 'tracks';
  return pageObject(`${ctx.apiBase}/playlists/${playlist.id}/${route}`, items, offset, limit, playlist.items.length);
}

function playlistBase(ctx: RenderContext, playlist: Playlist): Json {
  return {
    collaborative: playlist.relation === 'collaborative',
    description: playlist.description,
    external_urls: openUrl('playlist', playlist.id),
    href: `${ctx.apiBase}/playlists/${playlist.id}`,
    id: playlist.id,
    images: playlist.items.length > 0 ? images(playlist.id, [640]) : [],
    name: playlist.name,
    owner: playlistOwner(ctx, playlist.owner),
    public: playlist.public,
    snapshot_id: playlist.relation === 'followed' && ctx.churnedSnapshotId ? ctx.churnedSnapshotId() : playlist.snapshotId,
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
  };
}

export function simplifiedPlaylist(ctx: RenderContext, playlist: Playlist): Json {
  const ref = (route: string): Json => ({ href: `${ctx.apiBase}/playlists/${playlist.id}/${route}`, total: playlist.items.length });
  return { ...playlistBase(ctx, playlist), items: ref('items'), tracks: ref('tracks') };
}

/**
 * Development-mode apps get no items of playlists the user neither owns nor collaborates on, and no
 * deprecated `tracks` at all.
 */
export function playlistObject(ctx: RenderContext, playlist: Playlist, appMode: AppMode): Json {
  const body: Json = { ...playlistBase(ctx, playlist), followers: { href: null, total: playlist.followers } };
  if (itemsAccessible(playlist, appMode)) body.items = playlistItemsPage(ctx, playlist, 'item', 0, 100);
  if (appMode === 'extended') body.tracks = playlistItemsPage(ctx, playlist, 'track', 0, 100);
  return body;
}

export function privateUser(ctx: RenderContext): Json {
  const user = ctx.listener;
  return forAppMode(ctx, 'user', {
    account_id: user.accountId,
    country: 'SE',
    display_name: user.displayName,
    email: `${user.id}@example.com`,
    explicit_content: { filter_enabled: false, filter_locked: false },
    external_urls: openUrl('user', user.id),
    followers: { href: null, total: 3 },
    href: `${ctx.apiBase}/users/${user.id}`,
    id: user.id,
    images: [],
    product: 'premium',
    type: 'user',
    uri: `spotify:user:${user.id}`,
  });
}

export function playHistoryObject(ctx: RenderContext, play: Play): Json {
  const context = play.context;
  return {
    track: trackObject(ctx, play.track),
    played_at: isoMillis(play.playedAt),
    context: context
      ? {
          type: context.type,
          href: `${ctx.apiBase}/${context.type}s/${context.id}`,
          external_urls: openUrl(context.type, context.id),
          uri: `spotify:${context.type}:${context.id}`,
        }
      : null,
  };
}
