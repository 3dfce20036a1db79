import { type Hono } from 'hono';
import { apiError, type ApiHandler, type ApiRequest, type ApiResult, apiRoute, ok } from './api-route.js';
import { type Playlist } from './library.js';
import {
  albumObject,
  albumTracksPage,
  artistObject,
  isoSeconds,
  pageObject,
  playHistoryObject,
  playlistItemsPage,
  playlistObject,
  privateUser,
  simplifiedPlaylist,
  trackObject,
} from './objects.js';
import { parseId, parseIds, parseLimit, parsePaging, parseTimestamp } from './request-params.js';
import { type SimulatorState } from './simulator-state.js';
import { itemsAccessible } from './truth.js';
import { followedArtistsPage, savedAlbum, savedAudiobook, savedEpisode, savedPage, savedShow } from './collection-objects.js';
import { type CollectionSave } from './collections.js';

/** The Web API routes under /v1 (the ones the product uses, plus their deprecated siblings). */
export function mountWebApi(app: Hono, state: SimulatorState): void {
  const { library } = state;
  const { catalog } = library;
  const route = (template: string, scope: string | undefined, handler: ApiHandler): void => {
    app.get(template.replace(/\{(\w+)\}/g, ':$1'), apiRoute(state, template, scope, handler));
  };
  const developmentOnlyForbidden = (): ApiResult | undefined => (state.config.appMode === 'development' ? apiError(403, 'Forbidden') : undefined);
  const findPlaylist = (id: string): Playlist | ApiResult => {
    const parsed = parseId(id);
    if (!parsed.ok) return parsed.error;
    return library.playlists.find((p) => p.id === id) ?? apiError(404, 'non existing id');
  };
  const isResult = (value: Playlist | ApiResult): value is ApiResult => 'status' in value;

  route('/v1/me', undefined, ({ render }) => ok(privateUser(render)));

  route('/v1/me/tracks', 'user-library-read', ({ c, render }) => {
    const paging = parsePaging(c);
    if (!paging.ok) return paging.error;
    const { limit, offset } = paging.value;
    const saved = library.saved;
    const items = [];
    // Stored oldest first; the API lists newest first.
    for (let i = offset; i < Math.min(saved.length, offset + limit); i++) {
      const entry = saved[saved.length - 1 - i];
      if (entry) items.push({ added_at: isoSeconds(entry.addedAt), track: trackObject(render, entry.track) });
    }
    return ok(pageObject(`${render.apiBase}/me/tracks`, items, offset, limit, saved.length));
  });

  const savedCollection = (path: string, saves: () => readonly CollectionSave[], renderSave: (ctx: ApiRequest['render'], save: CollectionSave) => Record<string, unknown>) =>
    route(`/v1${path}`, 'user-library-read', ({ c, render }) => {
      const paging = parsePaging(c);
      if (!paging.ok) return paging.error;
      return ok(savedPage(`${render.apiBase}${path}`, saves(), paging.value.offset, paging.value.limit, (save) => renderSave(render, save)));
    });
  savedCollection('/me/albums', () => library.collections.savedAlbums, savedAlbum);
  savedCollection('/me/shows', () => library.collections.savedShows, savedShow);
  savedCollection('/me/episodes', () => library.collections.savedEpisodes, savedEpisode);
  savedCollection('/me/audiobooks', () => library.collections.savedAudiobooks, savedAudiobook);

  route('/v1/me/following', 'user-follow-read', ({ c, render }) => {
    if (c.req.query('type') !== 'artist') return apiError(400, 'Bad request.');
    const limit = parseLimit(c);
    if (!limit.ok) return limit.error;
    const after = c.req.query('after');
    if (after !== undefined && !parseId(after).ok) return apiError(400, 'Invalid after');
    return ok(followedArtistsPage(render, after, limit.value));
  });

  route('/v1/artists', undefined, ({ c, render }) => {
    const forbidden = developmentOnlyForbidden();
    if (forbidden) return forbidden;
    const ids = parseIds(c, 50);
    if (!ids.ok) return ids.error;
    return ok({
      artists: ids.value.map((id) => {
        const index = catalog.findArtist(id);
        return index === undefined ? null : artistObject(render, index);
      }),
    });
  });

  route('/v1/artists/{id}', undefined, ({ c, render }) => {
    const id = parseId(c.req.param('id') ?? '');
    if (!id.ok) return id.error;
    const index = catalog.findArtist(id.value);
    return index === undefined ? apiError(404, 'non existing id') : ok(artistObject(render, index));
  });

  route('/v1/albums', undefined, ({ c, render }) => {
    const forbidden = developmentOnlyForbidden();
    if (forbidden) return forbidden;
    const ids = parseIds(c, 20);
    if (!ids.ok) return ids.error;
    return ok({
      albums: ids.value.map((id) => {
        const index = catalog.findAlbum(id);
        return index === undefined ? null : albumObject(render, index);
      }),
    });
  });

  route('/v1/albums/{id}', undefined, ({ c, render }) => {
    const id = parseId(c.req.param('id') ?? '');
    if (!id.ok) return id.error;
    const index = catalog.findAlbum(id.value);
    return index === undefined ? apiError(404, 'non existing id') : ok(albumObject(render, index));
  });

  route('/v1/tracks', undefined, ({ c, render }) => {
    const forbidden = developmentOnlyForbidden();
    if (forbidden) return forbidden;
    const ids = parseIds(c, 50);
    if (!ids.ok) return ids.error;
    return ok({
      tracks: ids.value.map((id) => {
        const index = catalog.findTrack(id);
        return index === undefined ? null : trackObject(render, index);
      }),
    });
  });

  route('/v1/tracks/{id}', undefined, ({ c, render }) => {
    const id = parseId(c.req.param('id') ?? '');
    if (!id.ok) return id.error;
    const index = catalog.findTrack(id.value);
    return index === undefined ? apiError(404, 'non existing id') : ok(trackObject(render, index));
  });

  route('/v1/albums/{id}/tracks', undefined, ({ c, render }) => {
    const id = parseId(c.req.param('id') ?? '');
    if (!id.ok) return id.error;
    const index = catalog.findAlbum(id.value);
    if (index === undefined) return apiError(404, 'non existing id');
    const paging = parsePaging(c);
    if (!paging.ok) return paging.error;
    return ok(albumTracksPage(render, index, paging.value.offset, paging.value.limit));
  });

  route('/v1/me/playlists', undefined, ({ c, render }) => {
    const paging = parsePaging(c, 50, 100_000);
    if (!paging.ok) return paging.error;
    const { limit, offset } = paging.value;
    const items = library.playlists.slice(offset, offset + limit).map((p) => simplifiedPlaylist(render, p));
    return ok(pageObject(`${render.apiBase}/me/playlists`, items, offset, limit, library.playlists.length));
  });

  route('/v1/playlists/{id}', undefined, ({ c, render }) => {
    const playlist = findPlaylist(c.req.param('id') ?? '');
    return isResult(playlist) ? playlist : ok(playlistObject(render, playlist, state.config.appMode));
  });

  route('/v1/playlists/{id}/items', undefined, ({ c, render }) => {
    const playlist = findPlaylist(c.req.param('id') ?? '');
    if (isResult(playlist)) return playlist;
    if (!itemsAccessible(playlist, state.config.appMode)) {
      return apiError(403, 'Forbidden');
    }
    const paging = parsePaging(c);
    if (!paging.ok) return paging.error;
    return ok(playlistItemsPage(render, playlist, 'item', paging.value.offset, paging.value.limit));
  });

  route('/v1/playlists/{id}/tracks', undefined, ({ c, render }) => {
    const forbidden = developmentOnlyForbidden();
    if (forbidden) return forbidden;
    const playlist = findPlaylist(c.req.param('id') ?? '');
    if (isResult(playlist)) return playlist;
    const paging = parsePaging(c, 100);
    if (!paging.ok) return paging.error;
    return ok(playlistItemsPage(render, playlist, 'track', paging.value.offset, paging.value.limit));
  });

  route('/v1/me/player/recently-played', 'user-read-recently-played', recentlyPlayed(state));
}

/**
 * Only the last 50 plays exist. Without a cursor: the newest `limit`. With `after` (exclusive): the
 * `limit` plays right after it, so paging forward with `cursors.after` sees every play once. With
 * `before` (exclusive): the `limit` plays right before it. Items are always newest first. A full page
 * without `after` always links to the older page, which may be empty.
 */
function recentlyPlayed(state: SimulatorState): ApiHandler {
  return ({ c, render }: ApiRequest): ApiResult => {
    const limit = parseLimit(c);
    if (!limit.ok) return limit.error;
    const after = parseTimestamp(c, 'after');
    if (!after.ok) return after.error;
    const before = parseTimestamp(c, 'before');
    if (!before.ok) return before.error;
    if (after.value !== undefined && before.value !== undefined) {
      return apiError(400, 'Only one of after or before may be specified');
    }
    const plays = state.library.plays;
    let page;
    if (after.value !== undefined) {
      const cursor = after.value;
      page = plays
        .filter((p) => p.playedAt > cursor)
        .slice(0, limit.value)
        .reverse();
    } else {
      const cursor = before.value ?? Number.POSITIVE_INFINITY;
      page = plays
        .filter((p) => p.playedAt < cursor)
        .reverse()
        .slice(0, limit.value);
    }
    const newest = page[0];
    const oldest = page[page.length - 1];
    const base = `${render.apiBase}/me/player/recently-played`;
    let next: string | null = null;
    if (newest && oldest) {
      if (after.value !== undefined) {
        if (plays.some((p) => p.playedAt > newest.playedAt)) next = `${base}?after=${newest.playedAt}&limit=${limit.value}`;
      } else if (page.length === limit.value) {
        // Spotify links a full page to the one before it even when nothing older exists; that page
        // is empty, with `cursors: null` and `next: null`.
        next = `${base}?before=${oldest.playedAt}&limit=${limit.value}`;
      }
    }
    return ok({
      href: `${base}${new URL(c.req.url).search}`,
      limit: limit.value,
      next,
      cursors: newest && oldest ? { after: String(newest.playedAt), before: String(oldest.playedAt) } : null,
      items: page.map((play) => playHistoryObject(render, play)),
    });
  };
}
