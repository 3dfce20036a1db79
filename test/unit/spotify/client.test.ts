import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccountsClient } from '../../../src/spotify/accounts.js';
import { apiBaseUrl, createSpotifyClient, type SpotifyCallEvent, type SpotifyClient, type TokenStore } from '../../../src/spotify/client.js';
import {
  type SpotifyError,
  SpotifyForbiddenError,
  SpotifyMalformedResponseError,
  SpotifyNotFoundError,
  SpotifyRateLimitError,
  SpotifyReauthRequiredError,
  SpotifyRequestError,
  SpotifyTransientError,
  isRetryableSpotifyError,
} from '../../../src/spotify/errors.js';
import { spotifyAccountId } from '../../../src/spotify/schemas.js';
import { AppCallLimiter } from '../../../src/spotify/call-limiter.js';
import { NO_CALL_RETRY, type CallRetryPolicy } from '../../../src/spotify/call-retry.js';
import { refusedUrl, startFakeServer, type FakeResponse, type FakeServer } from './fake-server.js';
import * as f from './fixtures.js';
import { ACCESS_TOKEN, CLIENT_SECRET, NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, REFRESH_TOKEN, expectNoSecrets, rejection } from './secrets.js';

const NOW = Date.parse('2026-01-07T08:00:00Z');
const HOUR = 3_600_000;

type Stored = Awaited<ReturnType<TokenStore['load']>>;

/** An in-memory token store that records what is saved. */
function memoryStore(initial: Stored) {
  const store = {
    current: initial,
    saves: [] as Stored[],
    loads: 0,
    async load() {
      store.loads++;
      return { ...store.current };
    },
    async save(tokens: { accessToken: string; accessTokenExpiresAt: Date; refreshToken: string }) {
      store.saves.push(tokens);
      store.current = { ...tokens };
    },
  };
  return store;
}

let server: FakeServer;
let events: SpotifyCallEvent[];
let store: ReturnType<typeof memoryStore>;
let client: SpotifyClient;

function makeClient(options: { apiUrl?: string; timeoutMs?: number; stored?: Stored; onCall?: (e: SpotifyCallEvent) => void; retry?: CallRetryPolicy } = {}): SpotifyClient {
  store = memoryStore(options.stored ?? { accessToken: ACCESS_TOKEN, accessTokenExpiresAt: new Date(NOW + HOUR), refreshToken: REFRESH_TOKEN });
  const accounts = createAccountsClient({ accountsUrl: server.url, clientId: 'client-1', clientSecret: CLIENT_SECRET, now: () => NOW });
  client = createSpotifyClient({
    apiUrl: options.apiUrl ?? server.url,
    accounts,
    tokens: store,
    now: () => NOW,
    timeoutMs: options.timeoutMs,
    onCall: options.onCall ?? ((e) => events.push(e)),
    // Each failure shape is seen on its own here; retries at the call have their own tests below.
    retry: options.retry ?? NO_CALL_RETRY,
  });
  return client;
}

const tokenRequests = () => server.requestsTo('POST', '/api/token');
const apiRequests = () => server.requests.filter((r) => r.path.startsWith('/v1/'));
const refreshesTo = (accessToken: string, refreshToken?: string): FakeResponse => ({
  body: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, scope: 'user-library-read', ...(refreshToken ? { refresh_token: refreshToken } : {}) },
});

beforeEach(async () => {
  server = await startFakeServer();
  events = [];
  makeClient();
});
afterEach(async () => {
  await server.close();
});

describe('base URL', () => {
  it.each([
    ['https://api.spotify.com', 'https://api.spotify.com'],
    ['https://api.spotify.com/', 'https://api.spotify.com'],
    ['https://api.spotify.com/v1', 'https://api.spotify.com'],
    ['https://api.spotify.com/v1/', 'https://api.spotify.com'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://proxy.local/spotify/', 'http://proxy.local/spotify'],
  ])('%s → %s', (apiUrl, base) => {
    expect(apiBaseUrl(apiUrl)).toBe(base);
  });

  it('calls /v1/... under the origin, with or without /v1 in apiUrl', async () => {
    server.on('GET', '/v1/me', { body: f.privateUser() });
    for (const apiUrl of [server.url, `${server.url}/`, `${server.url}/v1`]) {
      await makeClient({ apiUrl }).getMe();
    }
    expect(server.requestsTo('GET', '/v1/me')).toHaveLength(3);
  });
});

describe('tokens', () => {
  it('uses a stored access token that is still valid, without a token request', async () => {
    server.on('GET', '/v1/me', { body: f.privateUser() });
    const me = await client.getMe();
    expect(me.account_id).toBe('acct-stable-1');
    expect(spotifyAccountId(me)).toBe('acct-stable-1');
    expect(server.requestsTo('GET', '/v1/me')[0]?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(tokenRequests()).toHaveLength(0);
    expect(store.saves).toHaveLength(0);
  });

  it.each([
    ['no access token', { accessToken: null, accessTokenExpiresAt: null }],
    ['an expired one', { accessToken: ACCESS_TOKEN, accessTokenExpiresAt: new Date(NOW - 1000) }],
    ['one expiring within 60 s', { accessToken: ACCESS_TOKEN, accessTokenExpiresAt: new Date(NOW + 30_000) }],
  ])('refreshes and saves before the call with %s, keeping the refresh token', async (_, stored) => {
    makeClient({ stored: { ...stored, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', refreshesTo(NEW_ACCESS_TOKEN));
    server.on('GET', '/v1/me', { body: f.privateUser() });
    await client.getMe();
    expect(tokenRequests()).toHaveLength(1);
    expect(store.saves).toEqual([{ accessToken: NEW_ACCESS_TOKEN, accessTokenExpiresAt: new Date(NOW + HOUR), refreshToken: REFRESH_TOKEN }]);
    expect(server.requestsTo('GET', '/v1/me')[0]?.headers.authorization).toBe(`Bearer ${NEW_ACCESS_TOKEN}`);
    expect(client.calls).toBe(1);
  });

  it('saves a rotated refresh token', async () => {
    makeClient({ stored: { accessToken: null, accessTokenExpiresAt: null, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', refreshesTo(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN));
    server.on('GET', '/v1/me', { body: f.privateUser() });
    await client.getMe();
    expect(store.current.refreshToken).toBe(NEW_REFRESH_TOKEN);
  });

  it('on a 401 refreshes once and retries once', async () => {
    server.on('POST', '/api/token', refreshesTo(NEW_ACCESS_TOKEN));
    server.on('GET', '/v1/me', (request) =>
      request.headers.authorization === `Bearer ${NEW_ACCESS_TOKEN}`
        ? { body: f.privateUser() }
        : { status: 401, body: { error: { status: 401, message: 'The access token expired' } } },
    );
    const me = await client.getMe();
    expect(me.id).toBe('demo');
    expect(tokenRequests()).toHaveLength(1);
    expect(apiRequests()).toHaveLength(2);
    expect(client.calls).toBe(2);
    expect(events.map((e) => [e.endpoint, e.outcome, e.status])).toEqual([
      ['GET /v1/me', 'unauthorized', 401],
      ['GET /v1/me', 'ok', 200],
    ]);
    expect(store.current.accessToken).toBe(NEW_ACCESS_TOKEN);
  });

  it('a 401 that persists after the refresh is transient, after exactly two requests', async () => {
    server.on('POST', '/api/token', refreshesTo(NEW_ACCESS_TOKEN));
    server.on('GET', '/v1/me/tracks', { status: 401, body: { error: { status: 401, message: `Invalid access token ${ACCESS_TOKEN}` } } });
    const error = await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }));
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect(error).toMatchObject({ status: 401, reason: 'unauthorized', endpoint: 'GET /v1/me/tracks' });
    expect(apiRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(1);
    expect(isRetryableSpotifyError(error)).toBe(true);
  });

  it('a revoked refresh token (invalid_grant) is SpotifyReauthRequiredError, and no API call is made', async () => {
    makeClient({ stored: { accessToken: null, accessTokenExpiresAt: null, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token revoked' } });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyReauthRequiredError);
    expect(apiRequests()).toHaveLength(0);
    expect(client.calls).toBe(0);
    expect(events).toHaveLength(0);
  });

  it('a refresh failing with invalid_grant after a 401 propagates as SpotifyReauthRequiredError', async () => {
    server.on('POST', '/api/token', { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token revoked' } });
    server.on('GET', '/v1/me', { status: 401, body: { error: { status: 401, message: 'The access token expired' } } });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyReauthRequiredError);
    expect(apiRequests()).toHaveLength(1);
  });

  it('uses the refresh token another process rotated meanwhile instead of asking for a new login', async () => {
    makeClient({ stored: { accessToken: null, accessTokenExpiresAt: null, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', (request) => {
      const form = new URLSearchParams(request.body);
      if (form.get('refresh_token') === REFRESH_TOKEN) {
        // Someone else refreshed first: the old token is spent, the store has the new one (access token expired again).
        store.current = { accessToken: null, accessTokenExpiresAt: null, refreshToken: NEW_REFRESH_TOKEN };
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token revoked' } };
      }
      return refreshesTo(NEW_ACCESS_TOKEN);
    });
    server.on('GET', '/v1/me', { body: f.privateUser() });
    await client.getMe();
    expect(tokenRequests().map((r) => new URLSearchParams(r.body).get('refresh_token'))).toEqual([REFRESH_TOKEN, NEW_REFRESH_TOKEN]);
    expect(store.current).toMatchObject({ accessToken: NEW_ACCESS_TOKEN, refreshToken: NEW_REFRESH_TOKEN });
  });

  it('concurrent calls share one refresh', async () => {
    makeClient({ stored: { accessToken: null, accessTokenExpiresAt: null, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', { ...refreshesTo(NEW_ACCESS_TOKEN), delayMs: 50 });
    server.on('GET', '/v1/artists/a1', { body: f.artist('a1') });
    server.on('GET', '/v1/artists/a2', { body: f.artist('a2') });
    await Promise.all([client.getArtist('a1'), client.getArtist('a2')]);
    expect(tokenRequests()).toHaveLength(1);
    expect(client.calls).toBe(2);
  });
});

describe('rate limits', () => {
  const limited = (headers: Record<string, string>, body: unknown = { error: { status: 429, message: 'API rate limit exceeded' } }): FakeResponse => ({
    status: 429,
    headers,
    body,
  });

  it('Retry-After 5 is a short limit', async () => {
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': '5' }));
    const error = await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }));
    expect(error).toBeInstanceOf(SpotifyRateLimitError);
    expect(error).toMatchObject({ kind: 'short', retryAfterSeconds: 5, endpoint: 'GET /v1/me/tracks' });
    expect(isRetryableSpotifyError(error)).toBe(true);
    expect(events).toEqual([expect.objectContaining({ outcome: 'rate_limited_short', status: 429 })]);
  });

  it('Retry-After 18000 is the quota', async () => {
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': '18000' }));
    const error = await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }));
    expect(error).toMatchObject({ kind: 'quota', retryAfterSeconds: 18000 });
    expect(isRetryableSpotifyError(error)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ outcome: 'rate_limited_quota', status: 429 })]);
  });

  it('no Retry-After and no quota reason is headerless, not the quota', async () => {
    server.on('GET', '/v1/me/tracks', limited({}));
    const error = await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }));
    expect(error).toMatchObject({ kind: 'headerless', retryAfterSeconds: null, reason: null });
    expect(error.message).toContain('no Retry-After');
    expect(events).toEqual([expect.objectContaining({ outcome: 'rate_limited_headerless', status: 429 })]);
  });

  it('an empty 429 body with no Retry-After is headerless too', async () => {
    server.on('GET', '/v1/me/tracks', limited({}, ''));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'headerless', retryAfterSeconds: null });
  });

  it('QUOTA_EXCEEDED without Retry-After is the quota, with no wait known', async () => {
    server.on('GET', '/v1/me/tracks', limited({}, { error: { status: 429, message: 'Quota exceeded', reason: 'QUOTA_EXCEEDED' } }));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'quota', retryAfterSeconds: null });
  });

  it('a QUOTA_EXCEEDED body is the quota even with a short Retry-After', async () => {
    server.on('GET', '/v1/artists/a1', limited({ 'retry-after': '5' }, { error: { status: 429, message: 'Quota exceeded', reason: 'QUOTA_EXCEEDED' } }));
    const error = await rejection(() => client.getArtist('a1'));
    expect(error).toMatchObject({ kind: 'quota', retryAfterSeconds: 5, reason: 'QUOTA_EXCEEDED', endpoint: 'GET /v1/artists/{id}' });
  });

  it('a top-level reason QUOTA_EXCEEDED counts too', async () => {
    server.on('GET', '/v1/artists/a1', limited({ 'retry-after': '30' }, { reason: 'QUOTA_EXCEEDED', error: { status: 429, message: 'x' } }));
    const error = await rejection(() => client.getArtist('a1'));
    expect(error).toMatchObject({ kind: 'quota', retryAfterSeconds: 30 });
  });

  it('reads Retry-After as an HTTP date against the clock', async () => {
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': new Date(NOW + 30_000).toUTCString() }));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'short', retryAfterSeconds: 30 });
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': new Date(NOW + 2 * HOUR).toUTCString() }));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'quota', retryAfterSeconds: 7200 });
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': new Date(NOW - 10_000).toUTCString() }));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'short', retryAfterSeconds: 0 });
  });

  it('an unreadable Retry-After is treated as missing', async () => {
    server.on('GET', '/v1/me/tracks', limited({ 'retry-after': 'soon' }));
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toMatchObject({ kind: 'headerless', retryAfterSeconds: null });
  });
});

describe('other failures', () => {
  it('403 → SpotifyForbiddenError', async () => {
    server.on('GET', '/v1/artists', { status: 403, body: { error: { status: 403, message: 'Forbidden' } } });
    const error = await rejection(() => client.getArtists(['a1', 'a2']));
    expect(error).toBeInstanceOf(SpotifyForbiddenError);
    expect(error).toMatchObject({ status: 403, endpoint: 'GET /v1/artists' });
    expect(isRetryableSpotifyError(error)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ outcome: 'forbidden', status: 403 })]);
  });

  it('404 → SpotifyNotFoundError', async () => {
    server.on('GET', '/v1/playlists/p1/items', { status: 404, body: { error: { status: 404, message: 'Resource not found' } } });
    const error = await rejection(() => client.getPlaylistItems('p1', { limit: 50, offset: 0 }));
    expect(error).toBeInstanceOf(SpotifyNotFoundError);
    expect(error.message).toContain('Resource not found');
    expect((error as SpotifyError).endpoint).toBe('GET /v1/playlists/{id}/items');
    expect(events).toEqual([expect.objectContaining({ outcome: 'not_found', status: 404 })]);
  });

  it.each([500, 502, 503])('%i → SpotifyTransientError', async (status) => {
    server.on('GET', '/v1/me', { status, body: 'upstream trouble' });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect(error).toMatchObject({ status, reason: 'server_error' });
    expect(isRetryableSpotifyError(error)).toBe(true);
    expect(events).toEqual([expect.objectContaining({ outcome: 'server_error', status })]);
  });

  it('400 → SpotifyRequestError, not retryable', async () => {
    server.on('GET', '/v1/me/tracks', { status: 400, body: { error: { status: 400, message: 'Invalid limit' } } });
    const error = await rejection(() => client.getSavedTracks({ limit: 500, offset: 0 }));
    expect(error).toBeInstanceOf(SpotifyRequestError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toContain('Invalid limit');
    expect(isRetryableSpotifyError(error)).toBe(false);
    expect(events).toEqual([expect.objectContaining({ outcome: 'client_error', status: 400 })]);
  });

  it('a timeout is transient, and the request counts', async () => {
    makeClient({ timeoutMs: 150 });
    server.on('GET', '/v1/me', { delayMs: 3_000, body: f.privateUser() });
    const started = Date.now();
    const error = await rejection(() => client.getMe());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect(error).toMatchObject({ reason: 'timeout', endpoint: 'GET /v1/me' });
    expect(client.calls).toBe(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ endpoint: 'GET /v1/me', outcome: 'network_error' });
    expect(events[0]?.status).toBeUndefined();
  });

  it('a refused connection is transient', async () => {
    makeClient({ apiUrl: await refusedUrl() });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect(error).toMatchObject({ reason: 'network' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a body that is not JSON is malformed', async () => {
    server.on('GET', '/v1/me', { headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    expect((error as SpotifyMalformedResponseError).issues).toMatch(/not JSON \(text\/html/);
    expect(isRetryableSpotifyError(error)).toBe(true);
    expect(events).toEqual([expect.objectContaining({ outcome: 'malformed', status: 200 })]);
  });

  it('a schema violation names the path and what was wrong', async () => {
    const broken = f.track('t2');
    delete broken.name;
    server.on('GET', '/v1/me/tracks', {
      body: f.page([
        { added_at: '2024-01-01T00:00:00Z', track: f.track('t1') },
        { added_at: '2024-01-02T00:00:00Z', track: broken },
      ]),
    });
    const error = await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }));
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    const { issues } = error as SpotifyMalformedResponseError;
    expect(issues).toContain('items[1].track.name');
    expect(issues).toContain('expected string');
    expect(error.message).toContain('GET /v1/me/tracks');
  });

  it('a missing total is a schema violation', async () => {
    const body = f.page([]);
    delete body.total;
    server.on('GET', '/v1/me/playlists', { body });
    const error = await rejection(() => client.getMyPlaylists({ limit: 50, offset: 0 }));
    expect((error as SpotifyMalformedResponseError).issues).toMatch(/^total: /);
  });

  it('a broken playlist item names the field inside the item, not just "invalid input"', async () => {
    const broken = f.track('t1');
    broken.album = { ...(broken.album as object), id: 42 };
    server.on('GET', '/v1/playlists/p1/items', { body: f.page([f.playlistItem(f.track('t0')), f.playlistItem(broken)]) });
    const error = await rejection(() => client.getPlaylistItems('p1', { limit: 50, offset: 0 }));
    expect((error as SpotifyMalformedResponseError).issues).toContain('items[1].item.album.id');
  });

  it('onCall that throws does not change the outcome', async () => {
    makeClient({
      onCall: () => {
        throw new Error('observer broke');
      },
    });
    server.on('GET', '/v1/me', { body: f.privateUser() });
    await expect(client.getMe()).resolves.toMatchObject({ id: 'demo' });
  });

  it('never shows a token, even when Spotify echoes one', async () => {
    const echo = { error: { status: 400, message: `bad token ${ACCESS_TOKEN} / ${REFRESH_TOKEN}` } };
    for (const status of [400, 403, 404, 418, 500]) {
      server.on('GET', '/v1/me', { status, body: echo });
      const error = await rejection(() => client.getMe());
      expect(error.message).toContain('bad token [redacted]');
    }
  });
});

describe('responses', () => {
  it('saved tracks: a page of tracks, local files included', async () => {
    server.on('GET', '/v1/me/tracks', {
      body: f.page(
        [
          { added_at: '2024-01-01T00:00:00Z', track: f.track('t1') },
          { added_at: '2024-01-02T00:00:00Z', track: f.localTrack() },
        ],
        { offset: 100, total: 1234 },
      ),
    });
    const page = await client.getSavedTracks({ limit: 50, offset: 100 });
    const [request] = server.requestsTo('GET', '/v1/me/tracks');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ limit: '50', offset: '100' });
    expect(page.total).toBe(1234);
    expect(page.items[0]?.track).toMatchObject({ id: 't1', name: 'Track t1', album: { id: 'al-t1' }, external_ids: { isrc: 'GBAAA9100001' } });
    expect(page.items[1]?.track).toMatchObject({ id: null, is_local: true });
  });

  it('playlist items: null, local, episode, unknown types and the deprecated `track` key are all accepted', async () => {
    server.on('GET', '/v1/playlists/p1/items', {
      body: f.page([
        f.playlistItem(f.track('t1')),
        f.playlistItem(null),
        f.playlistItem(f.localTrack()),
        f.playlistItem(f.episode('e1')),
        f.playlistItem(f.track('t2'), 'track'),
        f.playlistItem({ type: 'audiobook', id: 'b1', name: 'A book' }),
        null,
        f.playlistItem(f.track('t3'), 'item', { added_at: null, added_by: null }),
      ]),
    });
    const page = await client.getPlaylistItems('p1', { limit: 50, offset: 0 });
    const items = page.items.map((entry) => entry && { type: entry.item?.type ?? null, id: entry.item?.id ?? null, isLocal: entry.is_local });
    expect(items).toEqual([
      { type: 'track', id: 't1', isLocal: false },
      { type: null, id: null, isLocal: false },
      { type: 'track', id: null, isLocal: true },
      { type: 'episode', id: 'e1', isLocal: false },
      { type: 'track', id: 't2', isLocal: false },
      { type: null, id: null, isLocal: false },
      null,
      { type: 'track', id: 't3', isLocal: false },
    ]);
    expect(page.items[0]?.added_by?.id).toBe('owner');
    expect(Object.fromEntries(server.requests[0]?.query ?? [])).toEqual({ limit: '50', offset: '0', additional_types: 'track,episode' });
  });

  it('my playlists: totals from `items` or the deprecated `tracks`, null entries accepted', async () => {
    const onlyTracks = f.simplifiedPlaylist('p2', 7);
    delete onlyTracks.items;
    const noImages = { ...f.simplifiedPlaylist('p3', 0), images: null };
    server.on('GET', '/v1/me/playlists', { body: f.page([f.simplifiedPlaylist('p1', 3), onlyTracks, null, noImages]) });
    const page = await client.getMyPlaylists({ limit: 50, offset: 0 });
    expect(page.items.map((p) => p && [p.id, p.snapshot_id, p.items?.total ?? p.tracks?.total])).toEqual([['p1', 'snap-p1', 3], ['p2', 'snap-p2', 7], null, ['p3', 'snap-p3', 0]]);
  });

  it('my playlists: a playlist without any item count is malformed', async () => {
    const neither = f.simplifiedPlaylist('p1');
    delete neither.items;
    delete neither.tracks;
    server.on('GET', '/v1/me/playlists', { body: f.page([neither]) });
    const error = await rejection(() => client.getMyPlaylists({ limit: 50, offset: 0 }));
    expect((error as SpotifyMalformedResponseError).issues).toContain('items[0].items');
  });

  it('a followed playlist comes without items', async () => {
    const followed: Record<string, unknown> = { ...f.simplifiedPlaylist('p9'), followers: { href: null, total: 10 } };
    delete followed.items;
    delete followed.tracks;
    server.on('GET', '/v1/playlists/p9', { body: followed });
    const playlist = await client.getPlaylist('p9');
    expect(playlist).toMatchObject({ id: 'p9', snapshot_id: 'snap-p9' });
    expect(playlist.items).toBeUndefined();
  });

  it('several artists: ids joined, order kept, null for unknown ids', async () => {
    server.on('GET', '/v1/artists', (request) => ({
      body: { artists: (request.query.get('ids') ?? '').split(',').map((id) => (id === 'gone' ? null : f.artist(id))) },
    }));
    const artists = await client.getArtists(['a1', 'gone', 'a3']);
    expect(artists.map((a) => a?.id ?? null)).toEqual(['a1', null, 'a3']);
    expect(server.requestsTo('GET', '/v1/artists')[0]?.query.get('ids')).toBe('a1,gone,a3');
  });

  it('several artists: a response with the wrong number of entries is malformed', async () => {
    server.on('GET', '/v1/artists', { body: { artists: [f.artist('a1')] } });
    const error = await rejection(() => client.getArtists(['a1', 'a2']));
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    expect((error as SpotifyMalformedResponseError).issues).toContain('artists: expected 2 entries');
    expect(events).toEqual([expect.objectContaining({ outcome: 'malformed' })]);
  });

  it('several artists/albums: no request for no ids, an error before any request for too many', async () => {
    expect(await client.getArtists([])).toEqual([]);
    expect(await client.getAlbums([])).toEqual([]);
    await expect(client.getArtists(Array.from({ length: 51 }, (_, i) => `a${i}`))).rejects.toThrow(RangeError);
    await expect(client.getAlbums(Array.from({ length: 21 }, (_, i) => `a${i}`))).rejects.toThrow(RangeError);
    expect(client.calls).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('artist and album details, deprecated fields optional', async () => {
    const bare = f.artist('a1');
    delete bare.genres;
    delete bare.popularity;
    delete bare.followers;
    server.on('GET', '/v1/artists/a1', { body: bare });
    server.on('GET', '/v1/albums', { body: { albums: [f.album('al1'), null] } });
    server.on('GET', '/v1/albums/al1', { body: f.album('al1') });
    expect(await client.getArtist('a1')).toMatchObject({ id: 'a1', name: 'Artist a1', type: 'artist' });
    expect(await client.getAlbums(['al1', 'x'])).toEqual([expect.objectContaining({ id: 'al1', label: 'Creation' }), null]);
    expect(await client.getAlbum('al1')).toMatchObject({ id: 'al1', album_type: 'album', total_tracks: 10, artists: [{ id: 'ar1' }] });
    expect(server.requestsTo('GET', '/v1/albums')[0]?.query.get('ids')).toBe('al1,x');
  });

  it('ids are escaped in paths', async () => {
    server.on('GET', '/v1/playlists/a%2Fb/items', { body: f.page([]) });
    await client.getPlaylistItems('a/b', { limit: 50, offset: 0 });
    expect(server.requests[0]?.path).toBe('/v1/playlists/a%2Fb/items');
  });

  it('recently played: `after` in ms, null contexts accepted', async () => {
    server.on('GET', '/v1/me/player/recently-played', {
      body: {
        href: 'x',
        items: [
          { track: f.track('t1'), played_at: '2026-01-07T07:59:00.123Z', context: null },
          { track: f.track('t2'), played_at: '2026-01-07T07:50:00.000Z', context: { type: 'playlist', uri: 'spotify:playlist:p1', href: 'h', external_urls: {} } },
        ],
        limit: 50,
        next: null,
        cursors: { after: '1767772740123', before: '1767772200000' },
      },
    });
    const page = await client.getRecentlyPlayed({ limit: 50, after: 1767772000000 });
    expect(Object.fromEntries(server.requests[0]?.query ?? [])).toEqual({ limit: '50', after: '1767772000000' });
    expect(page.items.map((p) => [p.track?.id, p.context?.type ?? null])).toEqual([
      ['t1', null],
      ['t2', 'playlist'],
    ]);
    await client.getRecentlyPlayed({ limit: 10 });
    expect(server.requests[1]?.query.has('after')).toBe(false);
  });

  it('getMe without account_id keys the account by id', async () => {
    const user = f.privateUser();
    delete user.account_id;
    server.on('GET', '/v1/me', { body: user });
    expect(spotifyAccountId(await client.getMe())).toBe('demo');
  });

  it('counts Web API requests only and reports each one', async () => {
    makeClient({ stored: { accessToken: null, accessTokenExpiresAt: null, refreshToken: REFRESH_TOKEN } });
    server.on('POST', '/api/token', refreshesTo(NEW_ACCESS_TOKEN));
    server.on('GET', '/v1/me', { body: f.privateUser() });
    server.on('GET', '/v1/artists/a1', { status: 404, body: { error: { status: 404, message: 'nope' } } });
    await client.getMe();
    await client.getArtist('a1').catch(() => undefined);
    expect(client.calls).toBe(2);
    expect(events.map((e) => `${e.endpoint} ${e.outcome}`)).toEqual(['GET /v1/me ok', 'GET /v1/artists/{id} not_found']);
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
    for (const event of events) expectNoSecrets(event);
  });
});

describe('retries at the call', () => {
  const quick: CallRetryPolicy = { attempts: 4, baseDelayMs: 10, roundTrips: 2, minDelayMs: 1, jitter: 0.5 };

  it('retries a 5xx, a timeout and a malformed body, and counts every request', async () => {
    makeClient({ retry: quick, timeoutMs: 200 });
    const answers: FakeResponse[] = [
      { status: 503, body: 'busy' },
      { delayMs: 1_000, body: f.privateUser() },
      { body: '<html>gateway</html>', headers: { 'content-type': 'text/html' } },
      { body: f.privateUser() },
    ];
    server.on('GET', '/v1/me', (_request, count) => answers[count - 1] as FakeResponse);
    const me = await client.getMe();
    expect(me.id).toBe('demo');
    expect(client.calls).toBe(4);
    expect(events.map((e) => e.outcome)).toEqual(['server_error', 'network_error', 'malformed', 'ok']);
  });

  it('gives up after the last attempt with the last failure', async () => {
    makeClient({ retry: quick });
    server.on('GET', '/v1/me', { status: 502, body: 'bad gateway' });
    const error = await rejection(() => client.getMe());
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect(apiRequests()).toHaveLength(4);
  });

  it('never retries a 429, a 404 or a 400 at the call', async () => {
    makeClient({ retry: quick });
    server.on('GET', '/v1/me/tracks', { status: 429, headers: { 'retry-after': '3' }, body: { error: { status: 429, message: 'API rate limit exceeded' } } });
    server.on('GET', '/v1/artists/a1', { status: 404, body: { error: { status: 404, message: 'non existing id' } } });
    server.on('GET', '/v1/albums/b1', { status: 400, body: { error: { status: 400, message: 'invalid id' } } });
    expect(await rejection(() => client.getSavedTracks({ limit: 50, offset: 0 }))).toBeInstanceOf(SpotifyRateLimitError);
    expect(await rejection(() => client.getArtist('a1'))).toBeInstanceOf(SpotifyNotFoundError);
    expect(await rejection(() => client.getAlbum('b1'))).toBeInstanceOf(SpotifyRequestError);
    expect(apiRequests()).toHaveLength(3);
  });
});

describe('calls in flight together, through the app call limiter', () => {
  function instrumented() {
    let inFlight = 0;
    let most = 0;
    return {
      handler: async (request: { path: string }) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return { body: f.artist(request.path.split('/').pop() as string) };
      },
      most: () => most,
    };
  }

  it('never has more in flight than the limiter allows, and grows while answers are clean', async () => {
    const limiter = new AppCallLimiter({ maxConcurrency: 6 });
    store = memoryStore({ accessToken: ACCESS_TOKEN, accessTokenExpiresAt: new Date(NOW + HOUR), refreshToken: REFRESH_TOKEN });
    const accounts = createAccountsClient({ accountsUrl: server.url, clientId: 'client-1', now: () => NOW });
    const limited = createSpotifyClient({ apiUrl: server.url, accounts, tokens: store, now: () => NOW, gate: limiter, retry: NO_CALL_RETRY });
    const probe = instrumented();
    const ids = Array.from({ length: 60 }, (_, i) => `a${i}`);
    for (const id of ids) server.on('GET', `/v1/artists/${id}`, probe.handler);
    const artists = await Promise.all(ids.map((id) => limited.getArtist(id)));
    expect(artists.map((a) => a.id)).toEqual(ids);
    expect(limited.calls).toBe(60);
    expect(probe.most()).toBeGreaterThan(2);
    expect(probe.most()).toBeLessThanOrEqual(6);
    expect(limiter.concurrency).toBe(6);
  });

  it('knows how long clean answers take (what sets the wait before a retry), and ignores failed calls', async () => {
    let clock = 0;
    const limiter = new AppCallLimiter({ maxConcurrency: 4, now: () => clock });
    expect(limiter.roundTripMs()).toBeNull();
    const first = await limiter.acquire();
    clock = 40;
    first.release({ kind: 'ok' });
    expect(limiter.roundTripMs()).toBe(40);
    const failed = await limiter.acquire();
    clock = 5_040;
    failed.release({ kind: 'other' }); // a timeout says nothing of how fast answers come
    expect(limiter.roundTripMs()).toBe(40);
    for (let i = 0; i < 50; i++) {
      const permit = await limiter.acquire();
      clock += 20;
      permit.release({ kind: 'ok' });
    }
    expect(limiter.roundTripMs()).toBeGreaterThanOrEqual(20);
    expect(limiter.roundTripMs()).toBeLessThan(22);
  });

  it('halves on a short 429, learns the window from it, and holds every call for its Retry-After', async () => {
    let clock = 0;
    const limiter = new AppCallLimiter({ maxConcurrency: 20, initial: { concurrency: 20, windowLimit: null }, windowMs: 1_000, now: () => clock });
    clock = 1_200;
    const permits = await Promise.all(Array.from({ length: 20 }, () => limiter.acquire()));
    expect(limiter.callsInFlight).toBe(20);
    permits.slice(0, 19).forEach((p) => p.release({ kind: 'ok' }));
    clock = 1_250;
    permits[19]?.release({ kind: 'short_rate_limit', retryAfterSeconds: 1 });
    expect(limiter.concurrency).toBe(10);
    expect(limiter.state.windowLimit).toBe(19); // 20 calls met the limit: 5% less from now on
    let granted = false;
    void limiter.acquire().then((p) => {
      granted = true;
      p.release({ kind: 'ok' });
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(granted).toBe(false); // the Retry-After holds it (1 s)
    clock = 2_300;
    await expect.poll(() => granted, { timeout: 3_000, interval: 50 }).toBe(true);
  });
});
