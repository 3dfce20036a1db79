import { z } from 'zod';

/**
 * Zod schemas for the parts of the Spotify Web API and Accounts service we call, written from
 * `shared/reference/spotify-web-api.openapi.yml` (2026-05). Objects are loose: fields we do not use
 * pass through unchecked, so an added or dropped field Spotify does not need to matter to us never
 * fails a call. What we rely on (ids, names, types, arrays, totals) is required and checked.
 *
 * Real libraries hold awkward entries that must not fail a page: a playlist item whose content is
 * null (no longer available), local files (`is_local: true`, ids null), episodes, and playable types
 * we do not know (read as null). Callers skip and count those.
 */

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const isoDateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected an ISO 8601 date-time' });

const int = z.number().int();

export const imageSchema = z.looseObject({
  url: z.string(),
  height: nullish(int),
  width: nullish(int),
});
export type Image = z.infer<typeof imageSchema>;

/** Artist as embedded in tracks and albums; local files carry artists with a null id. */
export const simplifiedArtistSchema = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  type: z.literal('artist').optional(),
  uri: nullish(z.string()),
});
export type SimplifiedArtist = z.infer<typeof simplifiedArtistSchema>;

/** `GET /v1/artists/{id}`. Genres, popularity and followers are deprecated and may be absent. */
export const artistSchema = simplifiedArtistSchema.extend({
  id: z.string(),
  type: z.literal('artist'),
  genres: nullish(z.array(z.string())),
  popularity: nullish(int),
  followers: nullish(z.looseObject({ total: nullish(int) })),
  images: nullish(z.array(imageSchema)),
});
export type Artist = z.infer<typeof artistSchema>;

/** Album as embedded in a track. The album of a local file has a null id and null details. */
export const simplifiedAlbumSchema = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  type: z.literal('album').optional(),
  album_type: nullish(z.string()),
  release_date: nullish(z.string()),
  release_date_precision: nullish(z.string()),
  total_tracks: nullish(int),
  images: nullish(z.array(imageSchema)),
  artists: z.array(simplifiedArtistSchema),
  uri: nullish(z.string()),
});
export type SimplifiedAlbum = z.infer<typeof simplifiedAlbumSchema>;

/** A track of an album's embedded page (SimplifiedTrackObject): no album of its own. */
export const albumTrackSchema = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  artists: z.array(simplifiedArtistSchema),
  duration_ms: nullish(int),
  explicit: nullish(z.boolean()),
  disc_number: nullish(int),
  track_number: nullish(int),
  uri: nullish(z.string()),
});
export type AlbumTrack = z.infer<typeof albumTrackSchema>;

/**
 * `GET /v1/albums/{id}`. The embedded track page is checked loosely (only its total) for the
 * enrichment, which does not read it; a saved album's page is read with `albumTracksSchema`.
 */
export const albumSchema = simplifiedAlbumSchema.extend({
  id: z.string(),
  type: z.literal('album'),
  label: nullish(z.string()),
  popularity: nullish(int),
  genres: nullish(z.array(z.string())),
  tracks: nullish(z.looseObject({ total: int })),
});
export type Album = z.infer<typeof albumSchema>;

/** TrackObject. `id` is null for local files (and then `is_local` is true). */
export const trackSchema = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  type: z.literal('track'),
  is_local: nullish(z.boolean()),
  album: simplifiedAlbumSchema,
  artists: z.array(simplifiedArtistSchema),
  duration_ms: nullish(int),
  explicit: nullish(z.boolean()),
  disc_number: nullish(int),
  track_number: nullish(int),
  popularity: nullish(int),
  external_ids: nullish(z.looseObject({ isrc: nullish(z.string()) })),
  uri: nullish(z.string()),
});
export type Track = z.infer<typeof trackSchema>;

/** SimplifiedShowObject, as embedded in an episode and in a saved show. */
export const showSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('show').optional(),
  publisher: nullish(z.string()),
  description: nullish(z.string()),
  explicit: nullish(z.boolean()),
  media_type: nullish(z.string()),
  total_episodes: nullish(int),
  images: nullish(z.array(imageSchema)),
  uri: nullish(z.string()),
});
export type Show = z.infer<typeof showSchema>;

/** EpisodeObject: in playlists (where `show` is there too) and among saved episodes. */
export const episodeSchema = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  type: z.literal('episode'),
  uri: nullish(z.string()),
  description: nullish(z.string()),
  duration_ms: nullish(int),
  explicit: nullish(z.boolean()),
  release_date: nullish(z.string()),
  images: nullish(z.array(imageSchema)),
  show: nullish(showSchema),
});
export type Episode = z.infer<typeof episodeSchema>;

/** AudiobookObject (`GET /v1/me/audiobooks`); its chapters are not stored. */
export const audiobookSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.literal('audiobook').optional(),
  authors: nullish(z.array(z.looseObject({ name: nullish(z.string()) }))),
  narrators: nullish(z.array(z.looseObject({ name: nullish(z.string()) }))),
  publisher: nullish(z.string()),
  description: nullish(z.string()),
  edition: nullish(z.string()),
  explicit: nullish(z.boolean()),
  total_chapters: nullish(int),
  images: nullish(z.array(imageSchema)),
  uri: nullish(z.string()),
});
export type Audiobook = z.infer<typeof audiobookSchema>;

const knownPlayableTypes = new Set(['track', 'episode']);

/**
 * The content of a playlist item or a play: a track or an episode by `type`. Any other type (Spotify
 * may add some) reads as null, like unavailable content, so the caller skips it instead of the page
 * failing. A track or episode that breaks its schema still fails the response.
 */
export const playableItemSchema = z.union([
  z.discriminatedUnion('type', [trackSchema, episodeSchema]),
  z.looseObject({ type: z.string().refine((type) => !knownPlayableTypes.has(type)) }).transform((): null => null),
]);
export type PlayableItem = Track | Episode;

/** SavedTrackObject (`GET /v1/me/tracks`). */
export const savedTrackSchema = z.looseObject({
  added_at: isoDateTime,
  track: trackSchema.nullable(),
});
export type SavedTrack = z.infer<typeof savedTrackSchema>;

export const playlistUserSchema = z.looseObject({
  id: z.string(),
  type: z.literal('user').optional(),
  display_name: nullish(z.string()),
});
export type PlaylistUser = z.infer<typeof playlistUserSchema>;

/**
 * An entry of `GET /v1/playlists/{id}/items`. Since 2026 it carries `item`; the deprecated `/tracks`
 * route carried `track`. Both are accepted and `item` is always set in the result (`item`, else
 * `track`, else null), so callers read `item` only. `added_at`/`added_by` are null on very old playlists.
 */
export const playlistItemSchema = z
  .looseObject({
    added_at: nullish(isoDateTime),
    added_by: nullish(z.looseObject({ id: nullish(z.string()), type: z.literal('user').optional() })),
    is_local: nullish(z.boolean()),
    item: nullish(playableItemSchema),
    track: nullish(playableItemSchema),
  })
  .transform((entry) => ({ ...entry, item: entry.item ?? entry.track ?? null }));
export type PlaylistItem = z.output<typeof playlistItemSchema>;

const playlistItemsRefSchema = z.looseObject({ href: nullish(z.string()), total: int });

const playlistBaseShape = {
  id: z.string(),
  name: z.string(),
  snapshot_id: z.string(),
  owner: playlistUserSchema,
  collaborative: nullish(z.boolean()),
  public: nullish(z.boolean()),
  description: nullish(z.string()),
  // Spotify sends `images: null` for playlists without a cover.
  images: nullish(z.array(imageSchema)),
  type: z.literal('playlist').optional(),
  uri: nullish(z.string()),
};

/**
 * SimplifiedPlaylistObject (`GET /v1/me/playlists`). The item count is in `items.total` (2026) or the
 * deprecated `tracks.total`; one of them must be there, or an unread playlist would look empty.
 */
export const simplifiedPlaylistSchema = z
  .looseObject({
    ...playlistBaseShape,
    items: nullish(playlistItemsRefSchema),
    tracks: nullish(playlistItemsRefSchema),
  })
  .refine((playlist) => playlist.items != null || playlist.tracks != null, {
    message: 'expected `items.total` or `tracks.total`',
    path: ['items'],
  });
export type SimplifiedPlaylist = z.infer<typeof simplifiedPlaylistSchema>;

/** Number of items of a listed playlist, from `items.total` or the deprecated `tracks.total`. */
export function playlistItemCount(playlist: Pick<SimplifiedPlaylist, 'items' | 'tracks'>): number {
  return playlist.items?.total ?? playlist.tracks?.total ?? 0;
}

/** The fields every page of `GET` listings carries (PagingObject). */
export interface Paging<T> {
  href?: string | null;
  items: T[];
  limit: number;
  next?: string | null;
  offset: number;
  previous?: string | null;
  total: number;
}

export function pagingSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    href: nullish(z.string()),
    items: z.array(item),
    limit: int,
    next: nullish(z.string()),
    offset: int,
    previous: nullish(z.string()),
    total: int,
  });
}

/**
 * PlaylistObject (`GET /v1/playlists/{id}`). `items` is absent for playlists whose items the app may
 * not read (followed playlists in development mode).
 */
export const playlistSchema = z.looseObject({
  ...playlistBaseShape,
  items: nullish(pagingSchema(playlistItemSchema.nullable())),
  tracks: nullish(pagingSchema(playlistItemSchema.nullable())),
  followers: nullish(z.looseObject({ total: nullish(int) })),
});
export type Playlist = z.infer<typeof playlistSchema>;

/** ContextObject of a play; null when the track was not played from a context. */
export const playContextSchema = z.looseObject({
  type: nullish(z.string()),
  uri: nullish(z.string()),
  href: nullish(z.string()),
});

/** PlayHistoryObject (`GET /v1/me/player/recently-played`). */
export const playHistorySchema = z.looseObject({
  played_at: isoDateTime,
  track: playableItemSchema.nullable(),
  context: nullish(playContextSchema),
});
export type PlayHistory = z.infer<typeof playHistorySchema>;

/** CursorPagingObject. */
export interface CursorPaging<T> {
  href?: string | null;
  items: T[];
  limit: number;
  next?: string | null;
  cursors?: { after?: string | null; before?: string | null } | null;
  total?: number | null;
}

export function cursorPagingSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    href: nullish(z.string()),
    items: z.array(item),
    limit: int,
    next: nullish(z.string()),
    cursors: nullish(z.looseObject({ after: nullish(z.string()), before: nullish(z.string()) })),
    total: nullish(int),
  });
}

/**
 * PrivateUserObject (`GET /v1/me`). `account_id` (2026) is the stable id to key an account by;
 * `id` may change. See `spotifyAccountId`.
 */
export const spotifyUserSchema = z.looseObject({
  id: z.string(),
  account_id: z.string().optional(),
  display_name: nullish(z.string()),
  type: z.literal('user').optional(),
  country: nullish(z.string()),
  product: nullish(z.string()),
  email: nullish(z.string()),
  uri: nullish(z.string()),
});
export type SpotifyUser = z.infer<typeof spotifyUserSchema>;

/** The stable key of an account: `account_id`, or `id` where Spotify does not send one. */
export function spotifyAccountId(user: Pick<SpotifyUser, 'id' | 'account_id'>): string {
  return user.account_id && user.account_id.length > 0 ? user.account_id : user.id;
}

/** `{"artists": [...]}` of `GET /v1/artists?ids=`: null where an id is unknown. */
export const severalArtistsSchema = z.looseObject({ artists: z.array(artistSchema.nullable()) });
/** `{"albums": [...]}` of `GET /v1/albums?ids=`: null where an id is unknown. */
export const severalAlbumsSchema = z.looseObject({ albums: z.array(albumSchema.nullable()) });

export const severalTracksSchema = z.looseObject({ tracks: z.array(trackSchema.nullable()) });

export const savedTracksPageSchema = pagingSchema(savedTrackSchema);

/** SavedAlbumObject: the album with its first page of tracks (stored with it, so no call for them). */
export const savedAlbumSchema = z.looseObject({
  added_at: isoDateTime,
  album: albumSchema.extend({ tracks: nullish(z.looseObject({ total: int, items: z.array(albumTrackSchema.nullable()) })) }),
});
export type SavedAlbum = z.infer<typeof savedAlbumSchema>;
export const savedShowSchema = z.looseObject({ added_at: isoDateTime, show: showSchema });
export type SavedShow = z.infer<typeof savedShowSchema>;
export const savedEpisodeSchema = z.looseObject({ added_at: isoDateTime, episode: episodeSchema.extend({ id: z.string() }) });
export type SavedEpisode = z.infer<typeof savedEpisodeSchema>;
export const savedAudiobookSchema = z.looseObject({ added_at: isoDateTime, audiobook: audiobookSchema });
export type SavedAudiobook = z.infer<typeof savedAudiobookSchema>;
export const savedAlbumsPageSchema = pagingSchema(savedAlbumSchema);
export const savedShowsPageSchema = pagingSchema(savedShowSchema);
export const savedEpisodesPageSchema = pagingSchema(savedEpisodeSchema);
export const savedAudiobooksPageSchema = pagingSchema(savedAudiobookSchema);
/** `GET /v1/me/following?type=artist`: `{artists: CursorPaging<ArtistObject>}`. */
export const followedArtistsSchema = z.looseObject({ artists: cursorPagingSchema(artistSchema) });
export const playlistsPageSchema = pagingSchema(simplifiedPlaylistSchema.nullable());
export const playlistItemsPageSchema = pagingSchema(playlistItemSchema.nullable());
export const recentlyPlayedSchema = cursorPagingSchema(playHistorySchema);

/** Accounts service `POST /api/token` success body. `refresh_token` may be omitted on a refresh. */
export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Accounts service error body (RFC 6749 §5.2). */
export const tokenErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

/** Web API error body: `{"error": {"status", "message", "reason"?}}`; `reason` may also be top-level. */
export const apiErrorSchema = z.looseObject({
  error: z.union([z.string(), z.looseObject({ status: z.number().optional(), message: z.string().optional(), reason: z.string().optional() })]).optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
