import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { AccountsClient } from './accounts.js';
import { OPEN_GATE, type CallGate, type CallOutcomeForLimiter } from './call-limiter.js';
import { DEFAULT_CALL_RETRY, withCallRetry, type CallRetryPolicy } from './call-retry.js';
import {
  accessRefusalOf,
  SpotifyAccessRefusedError,
  SpotifyForbiddenError,
  SpotifyNotFoundError,
  rateLimitError,
  SpotifyRateLimitError,
  SpotifyReauthRequiredError,
  SpotifyRequestError,
  SpotifyTransientError,
} from './errors.js';
import { DEFAULT_TIMEOUT_MS, errorDetail, fetchFailure, parseBody, parseJson } from './http.js';
import {
  albumSchema,
  artistSchema,
  playlistItemsPageSchema,
  playlistSchema,
  playlistsPageSchema,
  recentlyPlayedSchema,
  savedTracksPageSchema,
  savedAlbumsPageSchema,
  savedShowsPageSchema,
  savedEpisodesPageSchema,
  savedAudiobooksPageSchema,
  followedArtistsSchema,
  type SavedAlbum,
  type SavedShow,
  type SavedEpisode,
  type SavedAudiobook,
  severalAlbumsSchema,
  severalArtistsSchema,
  severalTracksSchema,
  trackSchema,
  spotifyUserSchema,
  type Album,
  type Artist,
  type CursorPaging,
  type Paging,
  type PlayHistory,
  type Playlist,
  type PlaylistItem,
  type SavedTrack,
  type SimplifiedPlaylist,
  type SpotifyUser,
  type Track,
} from './schemas.js';

/** Where an account's tokens live (implemented over Postgres, encrypted). */
export interface TokenStore {
  load(): Promise<{ accessToken: string | null; accessTokenExpiresAt: Date | null; refreshToken: string }>;
  save(tokens: { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string }): Promise<void>;
}

export type SpotifyCallOutcome =
  | 'ok'
  | 'rate_limited_short'
  | 'rate_limited_quota'
  | 'rate_limited_headerless'
  | 'forbidden'
  | 'not_found'
  | 'server_error'
  | 'malformed'
  | 'network_error'
  | 'client_error'
  | 'unauthorized';

/** One Web API request, as `onCall` sees it. `status` is absent when no response came (timeout, network). */
export interface SpotifyCallEvent {
  endpoint: string;
  outcome: SpotifyCallOutcome;
  status?: number;
  durationMs: number;
}

/** Route templates, the `endpoint` of events and errors (metrics labels). */
export const SPOTIFY_ENDPOINTS = {
  me: 'GET /v1/me',
  savedTracks: 'GET /v1/me/tracks',
  artists: 'GET /v1/artists',
  artist: 'GET /v1/artists/{id}',
  albums: 'GET /v1/albums',
  album: 'GET /v1/albums/{id}',
  tracks: 'GET /v1/tracks',
  track: 'GET /v1/tracks/{id}',
  myPlaylists: 'GET /v1/me/playlists',
  playlist: 'GET /v1/playlists/{id}',
  playlistItems: 'GET /v1/playlists/{id}/items',
  recentlyPlayed: 'GET /v1/me/player/recently-played',
  savedAlbums: 'GET /v1/me/albums',
  followedArtists: 'GET /v1/me/following',
  savedShows: 'GET /v1/me/shows',
  savedEpisodes: 'GET /v1/me/episodes',
  savedAudiobooks: 'GET /v1/me/audiobooks',
  createPlaylist: 'POST /v1/me/playlists',
  updatePlaylist: 'PUT /v1/playlists/{id}',
  addPlaylistItems: 'POST /v1/playlists/{id}/items',
  replacePlaylistItems: 'PUT /v1/playlists/{id}/items',
  removePlaylistItems: 'DELETE /v1/playlists/{id}/items',
  saveToLibrary: 'PUT /v1/me/library',
  removeFromLibrary: 'DELETE /v1/me/library',
  libraryContains: 'GET /v1/me/library/contains',
} as const;

/** Most uris per write: playlist items and the library. */
export const MAX_PLAYLIST_WRITE_URIS = 100;
export const MAX_LIBRARY_WRITE_URIS = 40;

/** Most ids per call of the several-at-once endpoints. */
export const MAX_ARTIST_IDS = 50;
export const MAX_ALBUM_IDS = 20;
export const MAX_TRACK_IDS = 50;

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * The Web API calls the sync makes. Each method makes one request (two when a 401 makes it refresh the
 * access token and try once more); a transient failure (5xx, timeout, network error, malformed body) is
 * retried a few times with a short jittered backoff (`retry`) before it is thrown. Everything else
 * (429s included) is the caller's to handle. Every request is counted and reported, retries included.
 * Failures are SpotifyErrors (see errors.ts). Methods may be called concurrently; `gate` decides how
 * many requests are in flight at once.
 */
export interface SpotifyClient {
  /** Web API requests made by this client so far (token requests excluded). */
  readonly calls: number;
  /** `GET /v1/me`. Key the account by `spotifyAccountId(user)` (`account_id`, else `id`). */
  getMe(): Promise<SpotifyUser>;
  /** `GET /v1/me/tracks`, newest save first. */
  getSavedTracks(page: PageRequest): Promise<Paging<SavedTrack>>;
  /** `GET /v1/artists?ids=` (at most 50): in the order asked, null for unknown ids. No request for no ids. */
  getArtists(ids: readonly string[]): Promise<(Artist | null)[]>;
  getArtist(id: string): Promise<Artist>;
  /** `GET /v1/albums?ids=` (at most 20): in the order asked, null for unknown ids. No request for no ids. */
  getAlbums(ids: readonly string[]): Promise<(Album | null)[]>;
  getAlbum(id: string): Promise<Album>;
  /** `GET /v1/tracks?ids=` (at most 50; extended-quota apps only): in the order asked, null for unknown ids. */
  getTracks(ids: readonly string[]): Promise<(Track | null)[]>;
  getTrack(id: string): Promise<Track>;
  /** `GET /v1/me/playlists`: owned and followed playlists (Spotify has been seen to send null entries). */
  getMyPlaylists(page: PageRequest): Promise<Paging<SimplifiedPlaylist | null>>;
  getPlaylist(id: string): Promise<Playlist>;
  /** `GET /v1/playlists/{id}/items`. Entries may be null, local files or episodes; read `entry.item`. */
  getPlaylistItems(id: string, page: PageRequest): Promise<Paging<PlaylistItem | null>>;
  /** `GET /v1/me/player/recently-played`; `after` is a Unix time in ms (exclusive). */
  getRecentlyPlayed(request: { limit: number; after?: number }): Promise<CursorPaging<PlayHistory>>;
  /** `GET /v1/me/albums`, newest save first, each album with its first page of tracks. */
  getSavedAlbums(page: PageRequest): Promise<Paging<SavedAlbum>>;
  /** `GET /v1/me/following?type=artist`: pages by artist id after `after` (no order, no date). */
  getFollowedArtists(request: { limit: number; after?: string }): Promise<CursorPaging<Artist>>;
  getSavedShows(page: PageRequest): Promise<Paging<SavedShow>>;
  getSavedEpisodes(page: PageRequest): Promise<Paging<SavedEpisode>>;
  getSavedAudiobooks(page: PageRequest): Promise<Paging<SavedAudiobook>>;
  /**
   * The writes (the time machine's restores). They are not retried at the call: a write whose answer
   * was lost may have happened, and only reading the playlist back can tell (the restore does).
   */
  /** `POST /v1/me/playlists` (201): a new playlist of the user. */
  createPlaylist(details: { name: string; description?: string; public?: boolean }): Promise<Playlist>;
  /** `PUT /v1/playlists/{id}`: name, description, public. */
  updatePlaylist(id: string, details: { name?: string; description?: string; public?: boolean }): Promise<void>;
  /** `POST /v1/playlists/{id}/items` (at most 100 uris, at `position` or the end): the new `snapshot_id`. */
  addPlaylistItems(id: string, uris: readonly string[], position?: number): Promise<string>;
  /** `PUT /v1/playlists/{id}/items`: the items replaced by at most 100 uris (none empties it): the new `snapshot_id`. */
  replacePlaylistItems(id: string, uris: readonly string[]): Promise<string>;
  /** `PUT /v1/me/library?uris=` (at most 40 uris of any kind; a playlist's uri follows it). */
  saveToLibrary(uris: readonly string[]): Promise<void>;
  /** `GET /v1/me/library/contains?uris=` (at most 40): whether each is saved (or followed), in order. */
  libraryContains(uris: readonly string[]): Promise<boolean[]>;
}

export interface SpotifyClientOptions {
  /**
   * The Web API origin, without `/v1`: `https://api.spotify.com` or a simulator's
   * `http://127.0.0.1:4010`. A path prefix (behind a proxy) is kept; a trailing `/v1` or slash is
   * dropped, so `https://api.spotify.com/v1` works too.
   */
  apiUrl: string;
  accounts: AccountsClient;
  tokens: TokenStore;
  fetch?: typeof fetch;
  /** Per request (headers and body), default 30 s. */
  timeoutMs?: number;
  /** Clock for token expiry and HTTP-date Retry-After, in ms since the epoch. */
  now?: () => number;
  /** Called once per Web API request with its outcome. Exceptions it throws are ignored. */
  onCall?: (event: SpotifyCallEvent) => void;
  /** Asked before every request (the app's call limiter); default: no limit. */
  gate?: CallGate;
  /** Retries of transient failures at the call; default DEFAULT_CALL_RETRY. */
  retry?: CallRetryPolicy;
}

/** How a write is sent: its method and JSON body. */
interface WriteInit {
  method: 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
}

/** What a playlist items write answers; what a write with no answer body gives. */
const snapshotAnswerSchema = z.object({ snapshot_id: z.string() });
const emptyAnswerSchema = z.unknown();

/** Refresh an access token that expires within this, rather than have a call fail with 401. */
const EXPIRY_MARGIN_MS = 60_000;

type Query = Record<string, string | number | undefined>;
type Sent<T> = { ok: true; value: T } | { ok: false };

export function apiBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) path = path.slice(0, -'/v1'.length);
  return `${url.origin}${path}`;
}

function requireId(id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('a Spotify id must be a non-empty string');
  return encodeURIComponent(id);
}

function requireIds(ids: readonly string[], max: number): string {
  if (ids.length > max) throw new RangeError(`at most ${max} ids per call, got ${ids.length}`);
  ids.forEach(requireId);
  return ids.join(',');
}

export function createSpotifyClient(options: SpotifyClientOptions): SpotifyClient {
  const base = apiBaseUrl(options.apiUrl);
  const { accounts, tokens } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const gate = options.gate ?? OPEN_GATE;
  const retry = options.retry ?? DEFAULT_CALL_RETRY;
  let calls = 0;
  let refreshing: Promise<string> | null = null;
  /** Tokens this client has handled, kept out of every message built from a response. */
  const secrets = new Set<string>();

  type Stored = Awaited<ReturnType<TokenStore['load']>>;
  const remember = (stored: Stored): Stored => {
    if (stored.accessToken) secrets.add(stored.accessToken);
    secrets.add(stored.refreshToken);
    return stored;
  };
  const load = async (): Promise<Stored> => remember(await tokens.load());
  const usable = (stored: Stored): stored is Stored & { accessToken: string } =>
    stored.accessToken !== null && stored.accessToken.length > 0 && stored.accessTokenExpiresAt !== null && stored.accessTokenExpiresAt.getTime() - now() > EXPIRY_MARGIN_MS;

  async function refreshWith(refreshToken: string): Promise<string> {
    let set;
    try {
      set = await accounts.refreshAccessToken(refreshToken);
    } catch (error) {
      if (!(error instanceof SpotifyReauthRequiredError)) throw error;
      // Another process (a concurrent activity) may have used and rotated the refresh token since we
      // loaded it: a refresh token from PKCE works once. Only a refused current token means re-login.
      const current = await load();
      if (current.refreshToken === refreshToken) throw error;
      if (usable(current)) return current.accessToken;
      set = await accounts.refreshAccessToken(current.refreshToken);
    }
    secrets.add(set.accessToken);
    secrets.add(set.refreshToken);
    await tokens.save({ accessToken: set.accessToken, accessTokenExpiresAt: set.expiresAt, refreshToken: set.refreshToken });
    return set.accessToken;
  }

  /** One refresh at a time per client; concurrent callers share it. */
  function refresh(refreshToken: string): Promise<string> {
    refreshing ??= refreshWith(refreshToken).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function accessToken(): Promise<string> {
    if (refreshing) return refreshing;
    const stored = await load();
    return usable(stored) ? stored.accessToken : refresh(stored.refreshToken);
  }

  /** After a 401 with `rejected`: a newer stored token (someone else refreshed), else a refresh. */
  async function accessTokenAfter401(rejected: string): Promise<string> {
    if (refreshing) return refreshing;
    const stored = await load();
    if (usable(stored) && stored.accessToken !== rejected) return stored.accessToken;
    return refresh(stored.refreshToken);
  }

  function report(event: SpotifyCallEvent): void {
    try {
      options.onCall?.(event);
    } catch {
      // An observer must not change the outcome of a call.
    }
  }

  /** One request, holding a slot of the gate while it is in flight. */
  async function send<S extends z.ZodType>(endpoint: string, url: string, token: string, schema: S, init?: WriteInit): Promise<Sent<z.output<S>>> {
    const permit = await gate.acquire(endpoint);
    let outcome: CallOutcomeForLimiter = { kind: 'other' };
    try {
      const sent = await sendNow(endpoint, url, token, schema, init);
      outcome = { kind: 'ok' };
      return sent;
    } catch (error) {
      if (error instanceof SpotifyRateLimitError && error.kind === 'short') {
        outcome = { kind: 'short_rate_limit', retryAfterSeconds: error.retryAfterSeconds ?? 1 };
      } else if (error instanceof SpotifyRateLimitError && error.kind === 'quota') {
        outcome = { kind: 'quota_rate_limit', retryAfterSeconds: error.retryAfterSeconds };
      }
      throw error;
    } finally {
      permit.release(outcome);
    }
  }

  async function sendNow<S extends z.ZodType>(endpoint: string, url: string, token: string, schema: S, init?: WriteInit): Promise<Sent<z.output<S>>> {
    calls++;
    const started = performance.now();
    const done = (outcome: SpotifyCallOutcome, status?: number): void =>
      report({ endpoint, outcome, ...(status === undefined ? {} : { status }), durationMs: Math.round(performance.now() - started) });

    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: init?.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init?.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      done('network_error');
      throw fetchFailure(endpoint, error, timeoutMs);
    }
    const { status } = response;
    if (response.ok && init && text.trim() === '') {
      // Some writes answer with no body (PUT /v1/playlists/{id}, PUT /v1/me/library).
      done('ok', status);
      return { ok: true, value: schema.parse(undefined) as z.output<S> };
    }
    if (response.ok) {
      try {
        const value = parseBody(endpoint, status, response.headers, text, schema);
        done('ok', status);
        return { ok: true, value };
      } catch (error) {
        done('malformed', status);
        throw error;
      }
    }
    const json = parseJson(text);
    const detail = errorDetail(json, [...secrets]);
    if (status === 401) {
      done('unauthorized', status);
      return { ok: false };
    }
    if (status === 429) {
      const error = rateLimitError(endpoint, response.headers, json, now());
      done(`rate_limited_${error.kind}`, status);
      throw error;
    }
    if (status === 403) {
      done('forbidden', status);
      const refusal = accessRefusalOf(detail);
      if (refusal) throw new SpotifyAccessRefusedError(endpoint, refusal, detail);
      throw new SpotifyForbiddenError(endpoint, detail);
    }
    if (status === 404) {
      done('not_found', status);
      throw new SpotifyNotFoundError(endpoint, detail);
    }
    if (status >= 500) {
      done('server_error', status);
      const statusLine = `${status} ${response.statusText}`.trim();
      throw new SpotifyTransientError(endpoint, { reason: 'server_error', status, detail: detail ? `${statusLine}: ${detail}` : statusLine });
    }
    done('client_error', status);
    throw new SpotifyRequestError(endpoint, status, detail);
  }

  async function get<S extends z.ZodType>(endpoint: string, path: string, query: Query, schema: S): Promise<z.output<S>> {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const href = url.toString();

    return withCallRetry(
      retry,
      async () => {
        const token = await accessToken();
        const first = await send(endpoint, href, token, schema);
        if (first.ok) return first.value;
        const second = await send(endpoint, href, await accessTokenAfter401(token), schema);
        if (second.ok) return second.value;
        throw new SpotifyTransientError(endpoint, { reason: 'unauthorized', status: 401, detail: '401 Unauthorized even after a token refresh' });
      },
      () => gate.roundTripMs(),
    );
  }

  /** A write: one request (two after a 401), never repeated on a transient failure (see SpotifyClient). */
  async function write<S extends z.ZodType>(endpoint: string, path: string, query: Query, init: WriteInit, schema: S): Promise<z.output<S>> {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const href = url.toString();
    const token = await accessToken();
    const first = await send(endpoint, href, token, schema, init);
    if (first.ok) return first.value;
    const second = await send(endpoint, href, await accessTokenAfter401(token), schema, init);
    if (second.ok) return second.value;
    throw new SpotifyTransientError(endpoint, { reason: 'unauthorized', status: 401, detail: '401 Unauthorized even after a token refresh' });
  }

  const page = ({ limit, offset }: PageRequest): Query => ({ limit, offset });

  /** The several-at-once endpoints answer one entry per id asked, in order (null for unknown ids). */
  const oneEntryPerId = (count: number, key: string) => ({ message: `expected ${count} entries, one per id`, path: [key] });

  const E = SPOTIFY_ENDPOINTS;
  return {
    get calls() {
      return calls;
    },
    getMe: () => get(E.me, '/v1/me', {}, spotifyUserSchema),
    getSavedTracks: (request) => get(E.savedTracks, '/v1/me/tracks', page(request), savedTracksPageSchema),
    async getArtists(ids) {
      const joined = requireIds(ids, MAX_ARTIST_IDS);
      if (ids.length === 0) return [];
      const schema = severalArtistsSchema.refine((b) => b.artists.length === ids.length, oneEntryPerId(ids.length, 'artists'));
      const body = await get(E.artists, '/v1/artists', { ids: joined }, schema);
      return body.artists;
    },
    getArtist: async (id) => get(E.artist, `/v1/artists/${requireId(id)}`, {}, artistSchema),
    async getAlbums(ids) {
      const joined = requireIds(ids, MAX_ALBUM_IDS);
      if (ids.length === 0) return [];
      const schema = severalAlbumsSchema.refine((b) => b.albums.length === ids.length, oneEntryPerId(ids.length, 'albums'));
      const body = await get(E.albums, '/v1/albums', { ids: joined }, schema);
      return body.albums;
    },
    getAlbum: async (id) => get(E.album, `/v1/albums/${requireId(id)}`, {}, albumSchema),
    async getTracks(ids) {
      const joined = requireIds(ids, MAX_TRACK_IDS);
      if (ids.length === 0) return [];
      const schema = severalTracksSchema.refine((b) => b.tracks.length === ids.length, oneEntryPerId(ids.length, 'tracks'));
      const body = await get(E.tracks, '/v1/tracks', { ids: joined }, schema);
      return body.tracks;
    },
    getTrack: async (id) => get(E.track, `/v1/tracks/${requireId(id)}`, {}, trackSchema),
    getMyPlaylists: (request) => get(E.myPlaylists, '/v1/me/playlists', page(request), playlistsPageSchema),
    getPlaylist: async (id) => get(E.playlist, `/v1/playlists/${requireId(id)}`, {}, playlistSchema),
    // Without `additional_types=episode` Spotify may render episodes as track-like objects.
    getPlaylistItems: async (id, request) =>
      get(E.playlistItems, `/v1/playlists/${requireId(id)}/items`, { ...page(request), additional_types: 'track,episode' }, playlistItemsPageSchema),
    getSavedAlbums: (request) => get(E.savedAlbums, '/v1/me/albums', page(request), savedAlbumsPageSchema),
    getFollowedArtists: async ({ limit, after }) => (await get(E.followedArtists, '/v1/me/following', { type: 'artist', limit, after }, followedArtistsSchema)).artists,
    getSavedShows: (request) => get(E.savedShows, '/v1/me/shows', page(request), savedShowsPageSchema),
    getSavedEpisodes: (request) => get(E.savedEpisodes, '/v1/me/episodes', page(request), savedEpisodesPageSchema),
    getSavedAudiobooks: (request) => get(E.savedAudiobooks, '/v1/me/audiobooks', page(request), savedAudiobooksPageSchema),
    getRecentlyPlayed: ({ limit, after }) =>
      get(E.recentlyPlayed, '/v1/me/player/recently-played', { limit, after: after === undefined ? undefined : Math.floor(after) }, recentlyPlayedSchema),
    createPlaylist: (details) => write(E.createPlaylist, '/v1/me/playlists', {}, { method: 'POST', body: details }, playlistSchema),
    async updatePlaylist(id, details) {
      await write(E.updatePlaylist, `/v1/playlists/${requireId(id)}`, {}, { method: 'PUT', body: details }, emptyAnswerSchema);
    },
    async addPlaylistItems(id, uris, position) {
      if (uris.length === 0 || uris.length > MAX_PLAYLIST_WRITE_URIS) throw new RangeError(`1 to ${MAX_PLAYLIST_WRITE_URIS} uris per call, got ${uris.length}`);
      const body = await write(
        E.addPlaylistItems,
        `/v1/playlists/${requireId(id)}/items`,
        {},
        { method: 'POST', body: { uris, ...(position === undefined ? {} : { position }) } },
        snapshotAnswerSchema,
      );
      return body.snapshot_id;
    },
    async replacePlaylistItems(id, uris) {
      if (uris.length > MAX_PLAYLIST_WRITE_URIS) throw new RangeError(`at most ${MAX_PLAYLIST_WRITE_URIS} uris per call, got ${uris.length}`);
      const body = await write(E.replacePlaylistItems, `/v1/playlists/${requireId(id)}/items`, {}, { method: 'PUT', body: { uris } }, snapshotAnswerSchema);
      return body.snapshot_id;
    },
    async saveToLibrary(uris) {
      if (uris.length === 0 || uris.length > MAX_LIBRARY_WRITE_URIS) throw new RangeError(`1 to ${MAX_LIBRARY_WRITE_URIS} uris per call, got ${uris.length}`);
      await write(E.saveToLibrary, '/v1/me/library', { uris: uris.join(',') }, { method: 'PUT' }, emptyAnswerSchema);
    },
    async libraryContains(uris) {
      if (uris.length === 0) return [];
      if (uris.length > MAX_LIBRARY_WRITE_URIS) throw new RangeError(`at most ${MAX_LIBRARY_WRITE_URIS} uris per call, got ${uris.length}`);
      const schema = z.array(z.boolean()).refine((b) => b.length === uris.length, { message: `expected ${uris.length} answers, one per uri` });
      return get(E.libraryContains, '/v1/me/library/contains', { uris: uris.join(',') }, schema);
    },
  };
}
