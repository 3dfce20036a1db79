import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { startApi } from '../../src/api/start-api.js';
import { silentLogger } from '../../src/api/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { connectTemporal, insertAccount, insertHistory, insertPlays, insertSyncState, testConfig, unreachableTemporal } from './fixtures.js';

let testDb: TestDatabase;
let temporal: Client;
const config = testConfig();

beforeAll(async () => {
  testDb = await createTestDatabase();
  temporal = await connectTemporal(inject('temporalAddress'));
});

afterAll(async () => {
  await temporal?.connection.close();
  await testDb?.drop();
});

const app = (temporalFactory: () => Promise<Client> = async () => temporal) => createApp({ db: testDb.db, config, temporal: temporalFactory });

describe('health', () => {
  it('GET /healthz answers {ok: true}', async () => {
    const res = await app(unreachableTemporal).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET /readyz answers 200 when Postgres and Temporal both answer', async () => {
    const res = await app().request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { postgres: 'ok', temporal: 'ok' } });
  });

  it('GET /readyz answers 503 naming Temporal when it is unreachable', async () => {
    const res = await app(unreachableTemporal).request('/readyz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string }; checks: Record<string, string> };
    expect(body.error).toEqual({ code: 'not_ready', message: 'Not ready: Temporal not reachable' });
    expect(body.checks.postgres).toBe('ok');
    expect(body.checks.temporal).toMatch(/^failed: Temporal is not reachable/);
  });

  it('GET /readyz answers 503 naming Postgres when it is unreachable (and the status API 503 too)', async () => {
    const { connectDb } = await import('../../src/db/connect.js');
    const deadDb = connectDb('postgres://postgres@127.0.0.1:1/none');
    try {
      const res = await createApp({ db: deadDb, config, temporal: async () => temporal }).request('/readyz');
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { message: string }; checks: Record<string, string> };
      expect(body.error.message).toBe('Not ready: Postgres not reachable');
      expect(body.checks.temporal).toBe('ok');

      const status = await createApp({ db: deadDb, config, temporal: async () => temporal }).request('/api/sync/status');
      expect(status.status).toBe(503);
      expect(((await status.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
    } finally {
      await deadDb.destroy();
    }
  });
});

describe('GET /metrics', () => {
  it('reports counts from Postgres in Prometheus text, with the default process metrics', async () => {
    const now = Date.now();
    await insertAccount(testDb.db, 'm1', { sync_state: 'running' });
    await insertAccount(testDb.db, 'm2', { sync_state: 'rate_limited' });
    await insertSyncState(testDb.db, 'm1', 'tracks', { synced_count: 1247, total_estimated: 3500 });
    await insertSyncState(testDb.db, 'm1', 'artists', { synced_count: 12 });
    // m2 still waits 90 minutes after the reset time Spotify gave it.
    await insertSyncState(testDb.db, 'm2', 'tracks', { synced_count: 40, rate_limit_reset_at: new Date(now - 5_400_000) });
    await insertSyncState(testDb.db, 'm1', 'playback', { phase: 'playback', batches: 4, last_updated_at: new Date('2026-03-01T10:00:00Z') });
    await insertSyncState(testDb.db, 'm2', 'playback', { phase: 'playback', batches: 2, last_updated_at: new Date('2026-03-01T08:00:00Z') });
    await testDb.db('spotify_calls').insert([
      { account_id: 'm1', endpoint: 'GET /v1/me/tracks', outcome: 'ok', calls: 25 },
      { account_id: 'm2', endpoint: 'GET /v1/me/tracks', outcome: 'ok', calls: 5 },
      { account_id: 'm1', endpoint: 'GET /v1/me/tracks', outcome: 'rate_limited_short', calls: 3 },
      { account_id: 'm1', endpoint: 'GET /v1/artists/{id}', outcome: 'rate_limited_quota', calls: 1 },
      { account_id: 'm2', endpoint: 'GET /v1/artists/{id}', outcome: 'rate_limited_short', calls: 2 },
    ]);
    await insertHistory(testDb.db, 'm1', [
      { items: 200, durationMs: 1000, at: new Date(now - 2000) },
      { items: 200, durationMs: 1000, at: new Date(now - 1000), rateLimited: true },
    ]);
    await insertPlays(testDb.db, 'm1', 3, new Date('2026-01-01T00:00:00Z'));
    await testDb.db('playback_gaps').insert({ account_id: 'm1', gap_start: new Date(now - 7200_000), gap_end: new Date(now - 3600_000) });

    const res = await app(unreachableTemporal).request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const line of [
      'spotify_sync_initial_sync_entities{entity="tracks"} 1287',
      'spotify_sync_initial_sync_entities{entity="artists"} 12',
      'spotify_sync_initial_sync_entities_expected{entity="tracks"} 3540',
      'spotify_sync_initial_sync_entities_expected{entity="artists"} 12',
      'spotify_sync_accounts{state="running"} 1',
      'spotify_sync_accounts{state="rate_limited"} 1',
      `spotify_sync_playback_oldest_last_poll_timestamp_seconds ${Date.parse('2026-03-01T08:00:00Z') / 1000}`,
      'spotify_sync_spotify_calls_total{endpoint="GET /v1/me/tracks",outcome="ok"} 30',
      'spotify_sync_spotify_calls_total{endpoint="GET /v1/artists/{id}",outcome="rate_limited_quota"} 1',
      'spotify_sync_rate_limited_total{kind="short"} 5',
      'spotify_sync_rate_limited_total{kind="quota"} 1',
      'spotify_sync_rate_limit_waits_total 1',
      'spotify_sync_playback_polls_total 6',
      'spotify_sync_playback_gaps_total 1',
      'spotify_sync_plays_total 3',
      '# TYPE spotify_sync_spotify_calls_total counter',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    // Account ids label only the login expiry (a development-mode app has at most five users).
    expect(text.split('\n').filter((l) => l.includes('account="') && !l.startsWith('spotify_sync_login_expiry_timestamp_seconds{'))).toEqual([]);
    const overdue = Number(/^spotify_sync_rate_limit_overdue_seconds (\S+)$/m.exec(text)?.[1]);
    expect(overdue).toBeGreaterThanOrEqual(5_400);
    expect(overdue).toBeLessThan(5_400 + 60);

    // Computed at scrape time: a second scrape sees new rows, and nothing is counted twice.
    await testDb.db('spotify_calls').where({ account_id: 'm2', endpoint: 'GET /v1/me/tracks' }).update({ calls: 15 });
    const again = await app(unreachableTemporal).request('/metrics');
    expect(await again.text()).toContain('spotify_sync_spotify_calls_total{endpoint="GET /v1/me/tracks",outcome="ok"} 40');
  });

  it('keeps a registry per app (two apps in one process do not clash)', async () => {
    const a = app(unreachableTemporal);
    const b = app(unreachableTemporal);
    expect((await a.request('/metrics')).status).toBe(200);
    expect((await b.request('/metrics')).status).toBe(200);
    expect((await a.request('/metrics')).status).toBe(200);
  });
});

describe('GET /openapi.json', () => {
  it('describes every route, with the declared error bodies', async () => {
    const res = await app(unreachableTemporal).request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.0.0');
    expect(
      Object.entries(doc.paths)
        .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
        .sort(),
    ).toEqual(
      [
        'GET /',
        'GET /albums/{id}',
        'GET /api/export/audiobooks.csv',
        'GET /api/export/backup.json',
        'GET /api/export/episodes.csv',
        'GET /api/export/followed-artists.csv',
        'GET /api/export/history.csv',
        'GET /api/export/playlists/{file}',
        'GET /api/export/saved-albums.csv',
        'GET /api/export/saved.csv',
        'GET /api/export/shows.csv',
        'GET /api/history/imports/{importId}',
        'GET /api/history/listening',
        'GET /api/history/plays',
        'GET /api/history/stats',
        'GET /api/history/years/{year}',
        'GET /api/library/albums/{id}',
        'GET /api/library/artists/{id}',
        'GET /api/library/audiobooks',
        'GET /api/library/episodes',
        'GET /api/library/followed-artists',
        'GET /api/library/playlists',
        'GET /api/library/playlists/{id}',
        'GET /api/library/playlists/{id}/diff',
        'GET /api/library/playlists/{id}/versions',
        'GET /api/library/playlists/{id}/versions/{version}',
        'GET /api/library/changes',
        'GET /api/library/saved-albums',
        'GET /api/library/shows',
        'GET /api/library/tracks',
        'GET /api/restores/{restoreId}',
        'POST /api/restores',
        'GET /api/sync/status',
        'GET /artists/{id}',
        'GET /auth/callback',
        'GET /auth/login',
        'GET /healthz',
        'GET /history',
        'GET /library',
        'GET /library/albums',
        'GET /library/artists',
        'GET /library/audiobooks',
        'GET /library/podcasts',
        'GET /metrics',
        'GET /openapi.json',
        'GET /playlists',
        'GET /playlists/{id}',
        'GET /playlists/{id}/history',
        'GET /library/changes',
        'GET /readyz',
        'GET /join/{secret}',
        'GET /settings/notifications',
        'GET /settings/security',
        'GET /settings/tokens',
        'GET /sign-in',
        'GET /sync-status',
        'GET /tracks/{id}',
        'GET /year/{year}',
        'POST /api/history/imports',
        'POST /api/sync/pause',
        'POST /api/sync/reset',
        'POST /api/sync/resume',
        'POST /sign-in',
        'POST /sign-out',
      ].sort(),
    );
    for (const action of ['pause', 'resume', 'reset']) {
      const op = doc.paths[`/api/sync/${action}`]!.post!;
      expect(Object.keys(op.responses).sort()).toEqual(['202', '400', '401', '403', '404', '413', '415', '503']);
      expect(op.security).toEqual([{ bearerAuth: [] }, { signInCookie: [] }]);
    }
    expect(Object.keys(doc.paths['/api/sync/status']!.get!.responses).sort()).toEqual(['200', '400', '401', '404']);
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.components.schemas).toHaveProperty('AccountStatus');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
  });
});

describe('anything else', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const res = await app(unreachableTemporal).request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/nope; see /openapi.json for the API' } });
  });

  it('answers an unknown page with an HTML 404 in the site’s layout', async () => {
    const res = await app(unreachableTemporal).request('/nope', { headers: { Accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('Page not found');
    expect(page).toContain('data-testid="nav-library"');
  });

  it('answers a method a route does not serve with 405, its Allow header and a JSON body', async () => {
    const api = app(unreachableTemporal);
    const trace = await api.request('/metrics', { method: 'PATCH' });
    expect(trace.status).toBe(405);
    expect(trace.headers.get('allow')).toBe('GET, HEAD');
    expect(((await trace.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');

    const del = await api.request('/api/sync/pause', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('POST');
    // A path parameter: the library's artist route serves GET only.
    const put = await api.request('/api/library/artists/some-artist', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toContain('GET');
    // A page that takes forms on other paths: POST to the page itself is still not served.
    const post = await api.request('/sync-status', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    // The right method on the same path is not affected.
    expect((await api.request('/healthz')).status).toBe(200);
    expect((await api.request('/nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers an unexpected failure with a JSON 500 and logs it without the query string', async () => {
    const logged: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>) => logged.push(JSON.stringify([message, fields]));
    const brokenDb = (() => {
      throw new Error('boom');
    }) as unknown as TestDatabase['db'];
    const res = await createApp({ db: brokenDb, config, temporal: unreachableTemporal, logger: { info: log, warn: log, error: log } }).request(
      '/api/sync/status?accountId=x&secret=hunter2',
    );
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on the server; see its log' } });
    expect(logged.join('\n')).toContain('Error: boom');
    expect(logged.join('\n')).toContain('/api/sync/status');
    expect(logged.join('\n')).not.toContain('hunter2');
  });

  it('startApi serves the app over HTTP and closes', async () => {
    const api = await startApi({ db: testDb.db, config, temporal: unreachableTemporal, port: 0, logger: silentLogger });
    try {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${api.url}/healthz`);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      await api.close();
    }
  });
});
