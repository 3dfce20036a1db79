import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { createPersonalToken } from '../../src/household/personal-tokens.js';
import { openSession } from '../../src/household/sessions.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, testConfig, unreachableTemporal } from './fixtures.js';

/**
 * Two people on one instance (DESIGN.md, a household): Ada (the owner) and Bo (a member) each see only
 * their own library and history. Every route of the app's own route table, asked by one of them for the
 * other's account, answers 404 (or, where the route names no account, shows nothing of the other's);
 * a read token cannot control; a revoked token and an ended or expired session are refused.
 */

let testDb: TestDatabase;
let clock: Date;
const start = new Date('2026-12-07T12:00:00Z');
const sameOrigin = { 'Sec-Fetch-Site': 'same-origin' };

/** What only Bo's library, history and imports hold: none of it may reach Ada (the owner sees Bo's name with Bo's sync status, by design). */
const boMarkers = ['Bo Private Playlist', 'Bo Only Track', 'bo-import-file.json', 'Bo Saved Album', 'Bo Followed Artist'];

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.db;
  await insertAccount(db, 'acct-ada', { display_name: 'Ada Lovelace', connected_at: new Date('2026-01-01T00:00:00Z') });
  await insertAccount(db, 'acct-bo', { display_name: 'Bo Secret-Name', connected_at: new Date('2026-01-02T00:00:00Z') });
  await db('accounts').where({ id: 'acct-ada' }).update({ role: 'owner', joined_at: start });
  await db('accounts').where({ id: 'acct-bo' }).update({ joined_at: start });
  await db('artists').insert([{ id: 'ar-bo', name: 'Bo Artist' }]);
  await db('albums').insert([{ id: 'al-bo', name: 'Bo Album' }]);
  await db('album_artists').insert({ album_id: 'al-bo', artist_id: 'ar-bo', position: 0 });
  await db('tracks').insert([{ id: 't-bo', name: 'Bo Only Track', album_id: 'al-bo' }]);
  await db('track_artists').insert({ track_id: 't-bo', artist_id: 'ar-bo', position: 0 });
  await db('saved_tracks').insert({ account_id: 'acct-bo', track_id: 't-bo', added_at: start });
  // Bo's saved collections: an album and a followed artist (their CSV exports are Bo's alone).
  await db('artists').insert([{ id: 'ar-bo-followed', name: 'Bo Followed Artist' }]);
  await db('albums').insert([{ id: 'al-bo-saved', name: 'Bo Saved Album' }]);
  await db('saved_albums').insert({ account_id: 'acct-bo', album_id: 'al-bo-saved', added_at: start });
  await db('followed_artists').insert({ account_id: 'acct-bo', artist_id: 'ar-bo-followed', followed_at: start });
  await db('playlists').insert({ account_id: 'acct-bo', id: 'pl-bo', name: 'Bo Private Playlist', snapshot_id: 's1', items_accessible: true });
  await db('playlist_items').insert({ account_id: 'acct-bo', playlist_id: 'pl-bo', position: 0, track_id: 't-bo' });
  await db('play_history').insert({ account_id: 'acct-bo', played_at: start, track_id: 't-bo' });
  await db('history_imports').insert({ id: '11111111-1111-4111-8111-111111111111', account_id: 'acct-bo', state: 'complete', source_dir: '/nowhere' });
  await db('playlists').insert({ account_id: 'acct-ada', id: 'pl-ada', name: 'Ada Playlist', snapshot_id: 's1', items_accessible: true });
  await db('history_imports').insert({ id: '22222222-2222-4222-8222-222222222222', account_id: 'acct-ada', state: 'complete', source_dir: '/nowhere' });
  await db('history_import_files').insert({
    import_id: '11111111-1111-4111-8111-111111111111',
    position: 0,
    name: 'bo-import-file.json',
    kind: 'extended_audio',
    path: '/nowhere/bo-import-file.json',
    size_bytes: 10,
  });
});
afterAll(async () => {
  await testDb?.drop();
});
beforeEach(() => {
  clock = new Date(start);
});

const app = (env: Record<string, string> = {}) =>
  createApp({
    db: testDb.db,
    config: testConfig({ SPOTIFY_CLIENT_ID: 'client-1', ...env }),
    temporal: unreachableTemporal,
    now: () => clock,
    connect: async () => {
      throw new Error('no login in these tests');
    },
  });

async function sessionOf(accountId: string): Promise<{ cookie: string; id: string }> {
  const { id, cookie } = await openSession(testDb.db, { accountId, device: 'test browser', now: clock });
  return { id, cookie: `spotify_sync_session=${cookie}` };
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

/** An upload of a data export naming an account (the import routes). */
function exportUpload(accountId: string): FormData {
  const data = new FormData();
  data.append('accountId', accountId);
  const plays = [{ ts: '2021-03-04T10:00:00Z', ms_played: 200000, master_metadata_track_name: 'Planted', spotify_track_uri: 'spotify:track:planted' }];
  data.append('file', new Blob([JSON.stringify(plays)], { type: 'application/json' }), 'Streaming_History_Audio_2021_0.json');
  return data;
}

/** The request a route gets in the walk: a GET, an import's upload, a JSON control, or a page's form; all naming `accountId`. */
function requestOf(method: string, path: string, cookie: string, accountId: string, fields: Record<string, string> = {}): RequestInit {
  if (method === 'GET') return { headers: { Cookie: cookie } };
  const headers = { Cookie: cookie, ...sameOrigin };
  if (path.includes('/import') && !path.endsWith('/demo')) return { method, headers, body: exportUpload(accountId) };
  const json = path === '/api/restores' ? { accountId, dryRun: true, target: { kind: 'playlist', playlistId: 'pl-bo' } } : { accountId };
  if (path.startsWith('/api/')) return { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(json) };
  return { method, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ accountId, confirm: 'yes', ...fields }).toString() };
}

/** A route of the table with its parameters filled with the other person's things. */
function concrete(path: string): string {
  const byName: Record<string, string> = {
    id: path.includes('artists') ? 'ar-bo' : path.includes('albums') ? 'al-bo' : path.includes('tracks') ? 't-bo' : 'pl-bo',
    playlistId: 'pl-bo',
    artistId: 'ar-bo',
    albumId: 'al-bo',
    trackId: 't-bo',
    importId: '11111111-1111-4111-8111-111111111111',
    file: 'pl-bo.csv',
    year: '2026',
    action: 'pause',
    secret: 'not-an-invitation',
    version: '1',
    restoreId: '22222222-2222-4222-8222-222222222222',
  };
  const filled = path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => byName[name] ?? 'x').replace(/\/\*$/, '/x');
  // Routes with required query parameters get valid ones, so the answer is about the account, not the input.
  return filled.endsWith('/diff') ? `${filled}?from=1&to=2` : filled;
}

/**
 * Routes that name no account of their own: they answer the caller's own things (settings), or
 * nothing personal (operations, assets, the ways in). They must still show nothing of the other's.
 */
const namesNoAccount = (path: string) =>
  /^\/(healthz|readyz|metrics|openapi\.json|sign-in|sign-out|assets\/|join\/|auth\/|settings\/)/.test(path) ||
  ((path === '/sync-status/panel') === false && path.startsWith('/settings'));

describe('two people on one instance', () => {
  it('every route of the route table, asked by a member for the owner’s account or by the owner for a member’s library, answers 404 and shows nothing of it', async () => {
    const a = app();
    const routes = a.routes;
    const ada = await sessionOf('acct-ada');
    const bo = await sessionOf('acct-bo');
    const boSpare = await sessionOf('acct-bo');
    // Ada asking for Bo's things (the owner may see Bo's status and controls, not Bo's library): and Bo asking for Ada's.
    const seen = new Set<string>();
    let walked = 0;
    const leaks: string[] = [];
    for (const route of routes) {
      if (route.method === 'ALL' || seen.has(`${route.method} ${route.path}`)) continue;
      seen.add(`${route.method} ${route.path}`);
      // Signing out ends the walker's own session: those are tried below, on sessions of their own.
      if (['/sign-out', '/settings/security/sessions/end-all'].includes(route.path)) continue;
      const path = concrete(route.path);
      const url = `http://127.0.0.1:3000${path}${path.includes('?') ? '&' : '?'}accountId=acct-bo`;
      const res = await a.request(url, requestOf(route.method, path, ada.cookie, 'acct-bo', { name: 'x', sessionId: boSpare.id }));
      const body = await res.text();
      for (const marker of boMarkers) if (body.includes(marker)) leaks.push(`${route.method} ${route.path} shows "${marker}"`);
      walked++;
      if (namesNoAccount(route.path)) continue;
      // The owner's own reach: every account's sync status and controls (here Temporal is down: 503 for a control).
      const ownersReach = /^\/(api\/sync\/|sync-status)/.test(route.path);
      if (ownersReach) expect([200, 303, 503], `${route.method} ${route.path}`).toContain(res.status);
      else expect(res.status, `${route.method} ${route.path}: ${body.slice(0, 200)}`).toBe(404);
    }
    expect(leaks).toEqual([]);
    expect(walked).toBeGreaterThan(30);

    // A member asking for the owner's account: 404 on every account route, status and controls included.
    let memberWalked = 0;
    for (const key of seen) {
      const [method, routePath] = key.split(' ') as [string, string];
      if (namesNoAccount(routePath) || !/accountId|:|^\/(api|library|playlists|history|sync-status)/.test(routePath)) continue;
      const path = concrete(routePath).replace('pl-bo', 'pl-ada').replace('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222');
      const url = `http://127.0.0.1:3000${path}${path.includes('?') ? '&' : '?'}accountId=acct-ada`;
      const res = await a.request(url, requestOf(method, path, bo.cookie, 'acct-ada'));
      expect(res.status, `${method} ${routePath} as a member for the owner`).toBe(404);
      expect(await res.text()).not.toContain('Ada Lovelace');
      memberWalked++;
    }
    expect(memberWalked).toBeGreaterThan(20);
  });

  it('with no account named, each person gets their own: Bo’s library is Bo’s, Ada’s is empty', async () => {
    const a = app();
    const ada = await sessionOf('acct-ada');
    const bo = await sessionOf('acct-bo');
    const mine = (await (await a.request('/api/library/tracks', { headers: { Cookie: bo.cookie } })).json()) as { items: { name: string }[] };
    expect(mine.items.map((t) => t.name)).toEqual(['Bo Only Track']);
    const adas = (await (await a.request('/api/library/tracks', { headers: { Cookie: ada.cookie } })).json()) as { items: unknown[] };
    expect(adas.items).toEqual([]);
    const status = (await (await a.request('/api/sync/status', { headers: { Cookie: bo.cookie } })).json()) as { accountId: string };
    expect(status.accountId).toBe('acct-bo');
    // The library page's switcher offers a person their own account alone.
    const page = await (await a.request('/library', { headers: { Cookie: ada.cookie } })).text();
    expect(page).not.toContain('account-switcher');
    expect(page).not.toContain('Bo Secret-Name');
    // The owner's status page picks among everyone's status (never their libraries).
    const statusPage = await (await a.request('/sync-status', { headers: { Cookie: ada.cookie } })).text();
    expect(statusPage).toContain('acct-bo');
    const boStatusPage = await (await a.request('/sync-status', { headers: { Cookie: bo.cookie } })).text();
    expect(boStatusPage).not.toContain('acct-ada');
  });

  it('/metrics: aggregate series for anyone; login expiry per account only for those who may see it', async () => {
    const a = app();
    const open = await (await a.request('/metrics')).text();
    expect(open).toContain('spotify_sync_accounts{state=');
    expect(open).not.toMatch(/account="acct-/);
    const bo = await sessionOf('acct-bo');
    const members = await (await a.request('/metrics', { headers: { Cookie: bo.cookie } })).text();
    expect(members).toContain('account="acct-bo"');
    expect(members).not.toContain('account="acct-ada"');
    const ada = await sessionOf('acct-ada');
    const owners = await (await a.request('/metrics', { headers: { Cookie: ada.cookie } })).text();
    expect(owners).toContain('account="acct-bo"');
    expect(owners).toContain('account="acct-ada"');
  });

  it('once a household signed in, status and the status page need a session or token; /healthz and /metrics do not', async () => {
    const a = app();
    expect((await a.request('/api/sync/status')).status).toBe(401);
    expect((await a.request('/api/sync/status?accountId=acct-bo')).status).toBe(401);
    const page = await a.request('/sync-status');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/sign-in?next=%2Fsync-status');
    expect((await a.request('/healthz')).status).toBe(200);
    expect((await a.request('/metrics')).status).toBe(200);
  });
});

describe('personal API tokens', () => {
  it('a read token reads its own account and cannot control; a control token controls; a revoked token is refused', async () => {
    const a = app();
    const read = await createPersonalToken(testDb.db, { accountId: 'acct-bo', name: `reader ${Date.now()}`, scope: 'read', now: clock });
    const control = await createPersonalToken(testDb.db, { accountId: 'acct-bo', name: `controller ${Date.now()}`, scope: 'control', now: clock });
    const asRead = { Authorization: `Bearer ${read.token}` };
    expect((await a.request('/api/library/tracks', { headers: asRead })).status).toBe(200);
    const backup = await a.request('/api/export/backup.json', { headers: asRead });
    expect(backup.status).toBe(200);
    // Read to its end, as a client does: a streamed export holds its database snapshot until then.
    expect(await backup.text()).toContain('Bo Only Track');
    const albums = await a.request('/api/export/saved-albums.csv', { headers: asRead });
    expect(albums.status).toBe(200);
    expect(await albums.text()).toContain('Bo Saved Album');
    expect((await a.request('/api/export/followed-artists.csv?accountId=acct-ada', { headers: asRead })).status).toBe(404);
    const pause = await a.request('/api/sync/pause', { method: 'POST', headers: asRead });
    expect(pause.status).toBe(403);
    expect(await errorCode(pause)).toBe('read_only_token');
    const upload = await a.request('/api/history/imports', { method: 'POST', headers: asRead, body: new FormData() });
    expect(upload.status).toBe(403);
    // Another person's account: 404, as an unknown one.
    const other = await a.request('/api/library/tracks?accountId=acct-ada', { headers: asRead });
    expect(other.status).toBe(404);
    expect(await errorCode(other)).toBe('unknown_account');
    // The control token passes the gate (Temporal is down: 503, not 401 or 403).
    expect((await a.request('/api/sync/pause', { method: 'POST', headers: { Authorization: `Bearer ${control.token}` } })).status).toBe(503);

    // Revoked from the settings page (a session of Bo's): refused from then on.
    const bo = await sessionOf('acct-bo');
    const revoke = await a.request('/settings/tokens/revoke', {
      method: 'POST',
      headers: { Cookie: bo.cookie, ...sameOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ accountId: 'acct-bo', name: read.summary.name }).toString(),
    });
    expect(revoke.status).toBe(303);
    const refused = await a.request('/api/library/tracks', { headers: asRead });
    expect(refused.status).toBe(401);
    expect(await errorCode(refused)).toBe('invalid_api_token');
    const log = await (await a.request('/settings/security', { headers: { Cookie: bo.cookie } })).text();
    expect(log).toContain('token_revoked');
  });

  it('is made on /settings/tokens, shown once, stored hashed, and for the person’s own account only', async () => {
    const a = app();
    const bo = await sessionOf('acct-bo');
    const make = (accountId: string, name: string) =>
      a.request('/settings/tokens/new', {
        method: 'POST',
        headers: { Cookie: bo.cookie, ...sameOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ accountId, name, scope: 'control' }).toString(),
      });
    const made = await make('acct-bo', 'laptop script');
    expect(made.status).toBe(200);
    const html = await made.text();
    const token = /data-testid="new-token">([^<]+)</.exec(html)?.[1];
    expect(token).toMatch(/^sst_[A-Za-z0-9_-]{43}$/);
    const stored = (await testDb.db('personal_tokens').where({ name: 'laptop script' }).first())!;
    expect(stored.token_hash.toString('hex')).not.toContain(token!);
    expect(JSON.stringify(stored)).not.toContain(token!);
    // Shown once: the list names it, never the token again.
    const list = await (await a.request('/settings/tokens', { headers: { Cookie: bo.cookie } })).text();
    expect(list).toContain('laptop script');
    expect(list).not.toContain(token!);
    expect((await make('acct-ada', 'sneaky')).status).toBe(404);
    expect((await make('acct-bo', 'laptop script')).status).toBe(409);
  });
});

describe('sessions', () => {
  it('stored hashed; sign-out ends one, and its cookie is refused from then on', async () => {
    const a = app();
    const bo = await sessionOf('acct-bo');
    const row = (await testDb.db('sessions').where({ id: bo.id }).first())!;
    expect(JSON.stringify(row)).not.toContain(bo.cookie.split('=')[1]);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: bo.cookie } })).status).toBe(200);
    const out = await a.request('/sign-out', { method: 'POST', headers: { Cookie: bo.cookie, ...sameOrigin } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/spotify_sync_session=;.*Max-Age=0/);
    const after = await a.request('/api/library/tracks', { headers: { Cookie: bo.cookie } });
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('session_ended');
    expect((await a.request('/library', { headers: { Cookie: bo.cookie } })).status).toBe(303);
  });

  it('end one from the security page, or all at once; the owner can end a member’s, a member cannot end the owner’s', async () => {
    const a = app();
    const phone = await sessionOf('acct-bo');
    const laptop = await sessionOf('acct-bo');
    const ada = await sessionOf('acct-ada');
    const post = (cookie: string, path: string, fields: Record<string, string> = {}) =>
      a.request(path, {
        method: 'POST',
        headers: { Cookie: cookie, ...sameOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    expect((await post(laptop.cookie, '/settings/security/sessions/end', { sessionId: ada.id })).status).toBe(404);
    expect((await post(laptop.cookie, '/settings/security/sessions/end', { sessionId: phone.id })).status).toBe(303);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: phone.cookie } })).status).toBe(401);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: laptop.cookie } })).status).toBe(200);
    const again = await sessionOf('acct-bo');
    expect((await post(ada.cookie, '/settings/security/sessions/end', { sessionId: again.id })).status).toBe(303);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: again.cookie } })).status).toBe(401);
    const other = await sessionOf('acct-bo');
    expect((await post(laptop.cookie, '/settings/security/sessions/end-all')).status).toBe(303);
    for (const s of [laptop, other]) expect((await a.request('/api/library/tracks', { headers: { Cookie: s.cookie } })).status).toBe(401);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: ada.cookie } })).status).toBe(200);
    const log = await (await a.request('/settings/security', { headers: { Cookie: ada.cookie } })).text();
    expect(log).toContain('sessions_ended');
    expect(log).toContain('session_ended');
  });

  it('expire after 30 days unused, and 180 days after sign-in however often used', async () => {
    const a = app();
    const idle = await sessionOf('acct-bo');
    clock = new Date(start.getTime() + 29 * 86_400_000);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: idle.cookie } })).status).toBe(200);
    clock = new Date(clock.getTime() + 30 * 86_400_000 + 1000);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: idle.cookie } })).status).toBe(401);

    clock = new Date(start);
    const busy = await sessionOf('acct-bo');
    for (let day = 20; day < 180; day += 20) {
      clock = new Date(start.getTime() + day * 86_400_000);
      expect((await a.request('/api/library/tracks', { headers: { Cookie: busy.cookie } })).status, `day ${day}`).toBe(200);
    }
    clock = new Date(start.getTime() + 180 * 86_400_000 + 1000);
    expect((await a.request('/api/library/tracks', { headers: { Cookie: busy.cookie } })).status).toBe(401);
  });

  it('the cookie is HttpOnly, SameSite=Lax, and Secure over https (TRUST_PROXY)', async () => {
    const token = 'household-api-token-of-32-characters-at-least';
    const a = app({ API_TOKEN: token, TRUST_PROXY: 'true' });
    const res = await a.request('/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-Proto': 'https' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    // The operator's session reads every account (API_TOKEN is the machine token).
    const operator = cookie.split(';')[0]!;
    expect((await a.request('/api/library/tracks?accountId=acct-bo', { headers: { Cookie: operator } })).status).toBe(200);
  });
});

describe('cross-site forms on the household routes', () => {
  it.each([
    '/settings/tokens/new',
    '/settings/tokens/revoke',
    '/settings/security/sessions/end',
    '/settings/security/sessions/end-all',
    '/settings/security/invitations',
    '/sign-out',
  ])('%s refuses a form posted from another site with the session cookie', async (path) => {
    const a = app();
    const ada = await sessionOf('acct-ada');
    for (const signal of [{ Origin: 'http://127.0.0.1:6666' }, { 'Sec-Fetch-Site': 'cross-site' }, {}] as Record<string, string>[]) {
      const res = await a.request(`http://127.0.0.1:3000${path}`, {
        method: 'POST',
        headers: { Cookie: ada.cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...signal },
        body: new URLSearchParams({ accountId: 'acct-ada', name: 'x', scope: 'control' }).toString(),
      });
      expect(res.status, JSON.stringify(signal)).toBe(403);
    }
    expect((await a.request('/api/library/tracks', { headers: { Cookie: ada.cookie } })).status).toBe(200);
  });
});
