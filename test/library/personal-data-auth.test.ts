import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { signInCookieName } from '../../src/api/auth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, testConfig, unreachableTemporal } from '../api/fixtures.js';

const token = 'the-api-token-123-of-32-characters-at-least';
let testDb: TestDatabase;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await insertAccount(testDb.db, 'solo');
  await testDb.db('albums').insert({ id: 'al1', name: 'Album' });
  await testDb.db('tracks').insert({ id: 't1', name: 'Track', album_id: 'al1' });
  await testDb.db('artists').insert({ id: 'ar1', name: 'Artist' });
  await testDb.db('playlists').insert({ account_id: 'solo', id: 'p1', name: 'Mine', snapshot_id: 's1' });
  app = createApp({
    db: testDb.db,
    config: testConfig({ API_TOKEN: token, SPOTIFY_CLIENT_ID: 'client-1' }),
    temporal: unreachableTemporal,
    connect: async () => {
      throw new Error('not used');
    },
  });
});
afterAll(async () => {
  await testDb?.drop();
});

const personalJson = [
  '/api/library/tracks',
  '/api/library/artists/ar1',
  '/api/library/albums/al1',
  '/api/library/playlists',
  '/api/library/playlists/p1',
  '/api/history/plays',
  '/api/history/stats',
  '/api/export/saved.csv',
  '/api/export/playlists/p1.csv',
  '/api/export/history.csv',
  '/api/export/saved-albums.csv',
  '/api/export/followed-artists.csv',
  '/api/export/shows.csv',
  '/api/export/episodes.csv',
  '/api/export/audiobooks.csv',
  '/api/export/backup.json',
];
const pages = ['/library', '/artists/ar1', '/albums/al1', '/playlists', '/playlists/p1', '/history', '/sync-status', '/settings/tokens', '/settings/security'];

async function signInCookie(): Promise<string> {
  const res = await app.request('/sign-in', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, next: '/history' }).toString(),
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/history');
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Lax/i);
  expect(setCookie).not.toContain(token);
  return setCookie.split(';')[0]!;
}

describe('with API_TOKEN set', () => {
  it.each(personalJson)('%s refuses a request without the token (401 JSON)', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('missing_api_token');
    const wrong = await app.request(path, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_api_token');
    const forged = await app.request(path, { headers: { Cookie: `${signInCookieName}=forged` } });
    expect(forged.status).toBe(401);
  });

  it.each(pages)('%s sends a person without the token to the sign-in form', async (path) => {
    const res = await app.request(path, { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?${new URLSearchParams({ next: path })}`);
  });

  it.each(personalJson)('%s answers with the bearer token and with the sign-in cookie', async (path) => {
    for (const headers of [{ Authorization: `Bearer ${token}` }, { Cookie: await signInCookie() }] as Record<string, string>[]) {
      const res = await app.request(path, { headers });
      expect(res.status).toBe(200);
      // Read to the end, as a client does: a streamed export holds its database snapshot until then.
      await res.arrayBuffer();
    }
  });

  it('lets the pages through with the cookie; Sign in with Spotify is open to everyone (the callback decides who may join)', async () => {
    const cookie = await signInCookie();
    for (const path of pages) expect((await app.request(path, { headers: { Cookie: cookie } })).status, path).toBe(200);
    const login = await app.request('/auth/login');
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toMatch(/\/authorize\?/);
  });

  it('status and its page need the token too; /metrics keeps its aggregate series open but names accounts only to a caller', async () => {
    expect((await app.request('/api/sync/status')).status).toBe(401);
    const open = await (await app.request('/metrics')).text();
    expect(open).toContain('spotify_sync_accounts');
    expect(open).not.toContain('account="solo"');
    const withToken = await (await app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } })).text();
    expect(withToken).toContain('spotify_sync_login_expiry_timestamp_seconds{account="solo"}');
  });

  it('refuses a wrong token at the sign-in form, and never sends a person to another site', async () => {
    const wrong = await app.request('/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'guess', next: '/library' }).toString(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('not the API token');
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await app.request('/sign-in', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, next }).toString(),
      });
      expect(res.headers.get('location'), next).toBe('/library');
    }
  });

  it.each(['/healthz', '/metrics', '/sign-in', '/openapi.json', '/assets/library.css'])('%s stays open', async (path) => {
    expect((await app.request(path)).status).toBe(200);
  });
});
