import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import { findFreePort } from '../../src/dev/ports.js';
import { projectRoot } from '../../src/project-root.js';
import { abandonRequest, partialUpload } from '../helpers/abandoned-requests.js';
import { syncedLibrary } from '../library/synced-library.js';

/**
 * Requests that once took a running instance down, sent to `npm run api` as a real process: HEAD on a
 * streamed export (each leaked a Postgres connection until the pool was empty) and an upload abandoned
 * halfway (an uncaught "aborted" error ended the process). Every route and page is then walked under
 * HEAD and under a request cut off mid-body or mid-response, so a new route cannot bring them back.
 */

let lib: Awaited<ReturnType<typeof syncedLibrary>>;
let api: ChildProcess;
let base: string;
let importDir: string;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let ids: { playlist: string; artist: string; album: string; track: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  lib = await syncedLibrary();
  importDir = await mkdtemp(join(tmpdir(), 'spotify-sync-outage-imports-'));
  const port = await findFreePort();
  api = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', 'api'], {
    cwd: projectRoot,
    env: { ...lib.h.processEnv(), PORT: String(port), HISTORY_IMPORT_DIR: importDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (d) => (output += String(d)));
  api.stderr!.on('data', (d) => (output += String(d)));
  exited = new Promise((resolve) => api.on('exit', (code, signal) => resolve({ code, signal })));
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (api.exitCode !== null) throw new Error(`npm run api exited (${api.exitCode}):\n${output}`);
    const up = await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (i > 600) throw new Error(`npm run api did not answer within a minute:\n${output}`);
    await sleep(100);
  }
  const playlist = (await lib.db('playlists').where({ account_id: lib.accountId, items_accessible: true }).whereNull('removed_at').first('id')) as { id: string };
  const track = (await lib.db('saved_tracks as s').join('tracks as t', 't.id', 's.track_id').where('s.account_id', lib.accountId).first('t.id', 't.album_id')) as {
    id: string;
    album_id: string;
  };
  const artist = (await lib.db('track_artists').where({ track_id: track.id }).first('artist_id')) as { artist_id: string };
  ids = { playlist: playlist.id, artist: artist.artist_id, album: track.album_id, track: track.id };
});

afterAll(async () => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
  await lib?.h.close();
  if (importDir) await rm(importDir, { recursive: true, force: true });
});

/** The API's Postgres pool as /metrics reports it. */
async function pool(): Promise<{ used: number; free: number; pending: number }> {
  const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(20_000) })).text();
  const read = (state: string) => {
    const match = new RegExp(`^spotify_sync_db_pool_connections\\{state="${state}"\\} (\\d+)$`, 'm').exec(text);
    if (!match) throw new Error(`/metrics has no pool gauge for ${state}: ${text.slice(0, 500)}`);
    return Number(match[1]);
  };
  return { used: read('used'), free: read('free'), pending: read('pending') };
}

/** No connection stays checked out (a request that just ended may take a moment to hand its back). */
async function expectPoolIdle(): Promise<void> {
  let last = await pool();
  for (let i = 0; i < 50 && (last.used > 0 || last.pending > 0); i++) {
    await sleep(100);
    last = await pool();
  }
  expect(last).toMatchObject({ used: 0, pending: 0 });
}

/** What a user checks: the process lives, and the pages and status answer promptly. */
async function expectInstanceAnswers(): Promise<void> {
  expect(api.exitCode, output).toBeNull();
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
  expect(health.status).toBe(200);
  for (const path of ['/library', '/sync-status', '/api/sync/status']) {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5_000) });
    expect(res.status, path).toBe(200);
    await res.arrayBuffer();
  }
  const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
  expect(ready.status).toBe(200);
}

describe('requests that once took the instance down', () => {
  it('100 HEAD requests on each streamed export leave the pool as it was; the pages and status still answer', async () => {
    await expectPoolIdle();
    const routes = ['/api/export/saved.csv', `/api/export/playlists/${ids.playlist}.csv`, '/api/export/history.csv', '/api/export/saved-albums.csv', '/api/export/backup.json'];
    for (const route of routes) {
      for (let i = 0; i < 100; i += 10) {
        const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}${route}`, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })));
        for (const res of answers) {
          expect(res.status, route).toBe(200);
          expect(res.headers.get('content-disposition'), route).toMatch(/^attachment; filename=/);
        }
      }
    }
    await expectPoolIdle();
    await expectInstanceAnswers();
  });

  it('a GET cut off mid-download releases its connection too', async () => {
    for (let i = 0; i < 20; i++) {
      await abandonRequest(base, '/api/export/backup.json', { method: 'GET', readFirstChunk: true });
    }
    await expectPoolIdle();
    await expectInstanceAnswers();
  });

  it('100 uploads abandoned halfway leave the process alive and nothing on disk; a whole upload still imports', async () => {
    for (let i = 0; i < 100; i++) {
      const path = i % 2 === 0 ? '/api/history/imports' : '/history/import';
      await abandonRequest(base, path, partialUpload());
    }
    await sleep(500);
    await expectInstanceAnswers();
    await expectPoolIdle();
    expect(await readdir(importDir)).toEqual([]);

    const zip = await (await fetch(`${lib.h.sim.url}/_sim/export/extended.zip`)).blob();
    const form = new FormData();
    form.append('file', zip, 'my_spotify_data.zip');
    const started = await fetch(`${base}/api/history/imports`, { method: 'POST', body: form });
    const body = (await started.json()) as { importId: string };
    expect(started.status, JSON.stringify(body)).toBe(202);
    let state = '';
    for (let i = 0; i < 600 && state !== 'complete'; i++) {
      const res = await fetch(`${base}/api/history/imports/${body.importId}`);
      const summary = (await res.json()) as { state: string; plays: number };
      state = summary.state;
      if (state === 'failed') throw new Error(`the import failed: ${JSON.stringify(summary)}`);
      if (state !== 'complete') await sleep(200);
    }
    expect(state).toBe('complete');
    const stored = (await lib.db('play_history').where({ account_id: lib.accountId, source: 'extended_export' }).count({ n: '*' }).first()) as { n: number };
    expect(Number(stored.n)).toBeGreaterThan(0);
  });

  it('every route and page, under HEAD and cut off mid-body or mid-response, leaves the pool, the process and /healthz as they were', async () => {
    // The app's own route table: a route added later is walked too.
    const routes = createApp({ db: lib.db, config: lib.h.config, temporal: async () => lib.h.client }).routes;
    const params: Record<string, string> = {
      id: ids.playlist,
      playlistId: ids.playlist,
      artistId: ids.artist,
      albumId: ids.album,
      trackId: ids.track,
      importId: '00000000-0000-4000-8000-000000000000',
      file: `${ids.playlist}.csv`,
      year: '2026',
    };
    const concrete = (path: string, method: string) => {
      const byKind: Record<string, string> = { '/artists/:id': ids.artist, '/albums/:id': ids.album, '/api/library/artists/:id': ids.artist, '/api/library/albums/:id': ids.album };
      const tracks = path.startsWith('/tracks/') ? ids.track : undefined;
      return path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => byKind[path] ?? tracks ?? params[name] ?? `x${method}`).replace(/\/\*$/, '/x');
    };
    const seen = new Set<string>();
    let walked = 0;
    for (const route of routes) {
      if (route.method === 'ALL' || seen.has(`${route.method} ${route.path}`)) continue;
      seen.add(`${route.method} ${route.path}`);
      const path = concrete(route.path, route.method);
      if (route.method === 'GET') {
        const res = await fetch(`${base}${path}`, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
        expect(res.status, `HEAD ${path}`).not.toBe(500);
        await abandonRequest(base, path, { method: 'GET', readFirstChunk: true });
      } else {
        const json = { headers: { 'Content-Type': 'application/json', 'Content-Length': String(1024 * 1024) }, body: '{"accountId": "' };
        await abandonRequest(base, path, path.includes('import') ? partialUpload() : { method: route.method, ...json });
      }
      walked++;
    }
    expect(walked).toBeGreaterThan(25);
    await sleep(500);
    await expectPoolIdle();
    await expectInstanceAnswers();
    // Only imports that started may keep their files (the walk's demo import, the whole upload): no abandoned upload's.
    const started = (await lib.db('history_imports').pluck('source_dir')) as string[];
    const left = (await readdir(importDir)).map((name) => join(importDir, name));
    expect(left.filter((dir) => !started.includes(dir))).toEqual([]);
  });

  it('Ctrl-C after all of that stops the API within seconds', async () => {
    expect(api.exitCode, output).toBeNull();
    const started = Date.now();
    api.kill('SIGINT');
    const result = await Promise.race([exited, sleep(10_000).then(() => 'still running' as const)]);
    expect(result, output).not.toBe('still running');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
