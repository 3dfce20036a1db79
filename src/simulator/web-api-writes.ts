import { type Context, type Hono } from 'hono';
import { apiError, type ApiHandler, type ApiResult, apiRoute, ok, type RequiredScope } from './api-route.js';
import { newSnapshotId, type Library, type Playlist, type PlaylistItem } from './library.js';
import { playlistObject } from './objects.js';
import { parseId } from './request-params.js';
import { type SimulatorState } from './simulator-state.js';

/**
 * The write endpoints of the 2026 Web API that the time machine uses, answering as Spotify does: a new
 * `snapshot_id` per playlist write, 403 `Forbidden` for a playlist the user neither owns nor
 * collaborates on, 400 for a local file's uri (the Web API cannot add local files), 403 `Insufficient
 * client scope` without the scope, and the same rate limits and quota as the reads.
 */

const playlistScopes = ['playlist-modify-public', 'playlist-modify-private'] as const;
export const writeScopes = [...playlistScopes, 'user-library-modify'] as const;

/** Most uris per call: 100 for playlist items, 40 for the library. */
const MAX_PLAYLIST_URIS = 100;
const MAX_LIBRARY_URIS = 40;

export function mountWebApiWrites(app: Hono, state: SimulatorState): void {
  const { library } = state;
  const route = (method: 'POST' | 'PUT' | 'DELETE', template: string, scope: RequiredScope, handler: ApiHandler): void => {
    app.on(method, template.replace(/\{(\w+)\}/g, ':$1'), apiRoute(state, template, scope, handler, method));
  };
  const snapshot = () => newSnapshotId(state.mutations);
  const writable = (c: Context): Playlist | ApiResult => {
    const id = c.req.param('id') ?? '';
    const parsed = parseId(id);
    if (!parsed.ok) return parsed.error;
    const playlist = library.playlists.find((p) => p.id === id);
    if (!playlist) return apiError(404, 'non existing id');
    if (playlist.relation === 'followed') return apiError(403, 'Forbidden');
    return playlist;
  };
  const isResult = (value: unknown): value is ApiResult => typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

  route('POST', '/v1/me/playlists', playlistScopes, async ({ c, render }) => {
    const body = await jsonBody(c);
    if (typeof body?.name !== 'string' || body.name.length === 0) return apiError(400, 'Missing required field: name');
    const playlist: Playlist = {
      id: library.catalog.newId(),
      name: body.name,
      description: typeof body.description === 'string' ? body.description : '',
      owner: 0,
      relation: 'owned',
      public: body.public === undefined ? true : body.public === true,
      followers: 0,
      snapshotId: snapshot(),
      items: [],
    };
    library.playlists.unshift(playlist);
    library.version++;
    return { status: 201, body: playlistObject(render, playlist, state.config.appMode) };
  });

  route('PUT', '/v1/playlists/{id}', playlistScopes, async ({ c }) => {
    const playlist = writable(c);
    if (isResult(playlist)) return playlist;
    const body = await jsonBody(c);
    if (!body) return apiError(400, 'Error parsing JSON.');
    if (typeof body.name === 'string') playlist.name = body.name;
    if (typeof body.description === 'string') playlist.description = body.description;
    if (typeof body.public === 'boolean') playlist.public = body.public;
    playlist.snapshotId = snapshot();
    library.version++;
    return { status: 200, body: undefined };
  });

  route('POST', '/v1/playlists/{id}/items', playlistScopes, async ({ c, now }) => {
    const playlist = writable(c);
    if (isResult(playlist)) return playlist;
    const body = await jsonBody(c);
    const uris = urisOf(body?.uris ?? c.req.query('uris')?.split(','), MAX_PLAYLIST_URIS);
    if (isResult(uris)) return uris;
    const items = itemsFor(library, uris, now);
    if (isResult(items)) return items;
    const position = typeof body?.position === 'number' ? body.position : playlist.items.length;
    if (position < 0 || position > playlist.items.length) return apiError(400, 'Index out of bounds');
    playlist.items.splice(position, 0, ...items);
    playlist.snapshotId = snapshot();
    library.version++;
    return { status: 201, body: { snapshot_id: playlist.snapshotId } };
  });

  route('PUT', '/v1/playlists/{id}/items', playlistScopes, async ({ c, now }) => {
    const playlist = writable(c);
    if (isResult(playlist)) return playlist;
    const body = await jsonBody(c);
    if (body && typeof body.range_start === 'number' && typeof body.insert_before === 'number') {
      const start = body.range_start;
      const length = typeof body.range_length === 'number' ? body.range_length : 1;
      const before = body.insert_before;
      if (start < 0 || start + length > playlist.items.length || before < 0 || before > playlist.items.length) return apiError(400, 'Index out of bounds');
      const moved = playlist.items.splice(start, length);
      playlist.items.splice(before > start ? before - length : before, 0, ...moved);
    } else {
      const uris = urisOf(body?.uris ?? c.req.query('uris')?.split(',') ?? [], MAX_PLAYLIST_URIS, true);
      if (isResult(uris)) return uris;
      const items = itemsFor(library, uris, now);
      if (isResult(items)) return items;
      playlist.items = items;
    }
    playlist.snapshotId = snapshot();
    library.version++;
    return ok({ snapshot_id: playlist.snapshotId });
  });

  route('DELETE', '/v1/playlists/{id}/items', playlistScopes, async ({ c }) => {
    const playlist = writable(c);
    if (isResult(playlist)) return playlist;
    const body = await jsonBody(c);
    const entries = Array.isArray(body?.items) ? (body.items as unknown[]) : Array.isArray(body?.tracks) ? (body.tracks as unknown[]) : null;
    if (!entries || entries.length === 0 || entries.length > MAX_PLAYLIST_URIS) return apiError(400, 'Missing or too many items');
    const gone = new Set<string>();
    for (const entry of entries) {
      const uri = typeof entry === 'object' && entry !== null ? (entry as { uri?: unknown }).uri : undefined;
      if (typeof uri !== 'string') return apiError(400, 'Invalid uri');
      gone.add(uri);
    }
    // Every occurrence of each uri goes, as Spotify removes them.
    playlist.items = playlist.items.filter((item) => !gone.has(uriOf(library, item) ?? ''));
    playlist.snapshotId = snapshot();
    library.version++;
    return ok({ snapshot_id: playlist.snapshotId });
  });

  const libraryRoute = (method: 'PUT' | 'DELETE') =>
    route(method, '/v1/me/library', 'user-library-modify', async ({ c, now }) => {
      const uris = urisOf(c.req.query('uris')?.split(','), MAX_LIBRARY_URIS);
      if (isResult(uris)) return uris;
      for (const uri of uris) {
        const refused = method === 'PUT' ? saveUri(library, uri, now) : removeUri(library, uri);
        if (refused) return refused;
      }
      library.version++;
      return { status: 200, body: undefined };
    });
  libraryRoute('PUT');
  libraryRoute('DELETE');

  app.get(
    '/v1/me/library/contains',
    apiRoute(state, '/v1/me/library/contains', 'user-library-read', ({ c }) => {
      const uris = urisOf(c.req.query('uris')?.split(','), MAX_LIBRARY_URIS);
      if (isResult(uris)) return uris;
      return ok(uris.map((uri) => inLibrary(library, uri)));
    }),
  );
}

function inLibrary(library: Library, uri: string): boolean {
  const [, type, id = ''] = uri.split(':');
  if (type === 'track') {
    const track = library.catalog.findTrack(id);
    return track !== undefined && library.saved.some((s) => s.track === track);
  }
  if (type === 'playlist') return library.playlists.some((p) => p.id === id);
  return false;
}

async function jsonBody(c: Context): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await c.req.json();
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function urisOf(value: unknown, max: number, emptyAllowed = false): string[] | ApiResult {
  if (!Array.isArray(value) || value.some((u) => typeof u !== 'string')) return apiError(400, 'Missing uris');
  if (value.length === 0 && !emptyAllowed) return apiError(400, 'Missing uris');
  if (value.length > max) return apiError(400, `You can add a maximum of ${max} items per request.`);
  return value as string[];
}

/** The playlist entries for uris; a local file or an unknown uri is refused as Spotify refuses it. */
function itemsFor(library: Library, uris: readonly string[], now: number): PlaylistItem[] | ApiResult {
  const items: PlaylistItem[] = [];
  for (const uri of uris) {
    const [scheme, type, id] = uri.split(':');
    if (scheme !== 'spotify' || (type !== 'track' && type !== 'episode') || !id) return apiError(400, `Invalid base62 id`);
    if (type === 'track') {
      const track = library.catalog.findTrack(id);
      if (track === undefined) return apiError(400, 'Invalid base62 id');
      items.push({ kind: 'track', track, addedAt: now, addedBy: 0 });
    } else {
      const episode = library.catalog.episodes.findIndex((e) => e.id === id);
      if (episode < 0) return apiError(400, 'Invalid base62 id');
      items.push({ kind: 'episode', episode, addedAt: now, addedBy: 0 });
    }
  }
  return items;
}

function uriOf(library: Library, item: PlaylistItem): string | null {
  if (item.kind === 'track') return `spotify:track:${library.catalog.tracks[item.track]?.id ?? ''}`;
  if (item.kind === 'episode') return `spotify:episode:${library.catalog.episodes[item.episode]?.id ?? ''}`;
  return null;
}

/** `PUT /v1/me/library`: a track saved (again, at the top), a playlist followed (again). */
function saveUri(library: Library, uri: string, now: number): ApiResult | undefined {
  const [scheme, type, id] = uri.split(':');
  if (scheme !== 'spotify' || !id) return apiError(400, 'Invalid uri');
  if (type === 'track') {
    const track = library.catalog.findTrack(id);
    if (track === undefined) return apiError(400, 'Invalid uri');
    if (!library.saved.some((s) => s.track === track)) {
      library.saved.push({ track, addedAt: now });
      library.removed = library.removed.filter((t) => t !== track);
    }
    return undefined;
  }
  if (type === 'playlist') {
    if (library.playlists.some((p) => p.id === id)) return undefined;
    const unfollowed = library.unfollowedPlaylists.find((p) => p.id === id);
    if (!unfollowed) return apiError(404, 'non existing id');
    library.unfollowedPlaylists = library.unfollowedPlaylists.filter((p) => p !== unfollowed);
    library.playlists.unshift(unfollowed);
    return undefined;
  }
  return apiError(400, 'Unsupported uri type');
}

/** `DELETE /v1/me/library`: a track unsaved, a playlist unfollowed (for its owner: deleted from the list). */
function removeUri(library: Library, uri: string): ApiResult | undefined {
  const [scheme, type, id] = uri.split(':');
  if (scheme !== 'spotify' || !id) return apiError(400, 'Invalid uri');
  if (type === 'track') {
    const track = library.catalog.findTrack(id);
    if (track === undefined) return apiError(400, 'Invalid uri');
    if (library.saved.some((s) => s.track === track)) {
      library.saved = library.saved.filter((s) => s.track !== track);
      library.removed.push(track);
    }
    return undefined;
  }
  if (type === 'playlist') {
    const playlist = library.playlists.find((p) => p.id === id);
    if (playlist) {
      library.playlists = library.playlists.filter((p) => p !== playlist);
      library.unfollowedPlaylists.push(playlist);
    }
    return undefined;
  }
  return apiError(400, 'Unsupported uri type');
}
