import { spawn, type ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { historyImportWorkflowId, playbackWorkflowId } from '../../src/ids.js';
import { projectRoot } from '../../src/project-root.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { countStubs } from '../../activities/store/stub-queries.js';
import { downloadExport, importResult, pairPlays, startImport, storedPlays, syncedAccount } from '../helpers/history-import.js';

let harness: Harness | undefined;
let child: ChildProcess | undefined;
let env: TestWorkflowEnvironment | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await harness?.close();
  harness = undefined;
  await env?.teardown();
  env = undefined;
});

const count = async (h: Harness, table: string, where: Record<string, unknown>) => Number((await h.db.db(table).where(where).count({ n: '*' }).first())?.n);

describe('an import that survives a crash', () => {
  it('a worker killed mid-import: the checkpoint agrees with the rows, and a new worker completes it with nothing lost or doubled', async () => {
    const h = (harness = await createHarness({ sim: { seed: 5, tracks: 200, playlists: 4, appMode: 'development', dataExport: { olderPlays: 12_000, audioFiles: 3 } } }));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/bin/main.ts', 'worker'], { cwd: projectRoot, env: h.processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const accountId = await syncedAccount(h);
    const exported = await downloadExport(h);
    const started = await startImport(h, accountId, [exported.extended, exported.account], { heartbeatTimeoutSeconds: 3 });

    // Kill the worker once the first chunks of plays are in, well before the last.
    await expect
      .poll(async () => Number((await h.db.db('history_import_files').where({ import_id: started.importId }).sum({ n: 'entries_done' }).first())?.n ?? 0), {
        timeout: 90_000,
        interval: 50,
      })
      .toBeGreaterThan(0);
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    const files = await h.db.db('history_import_files').where({ import_id: started.importId });
    const checkpointed = files.reduce((sum, f) => sum + f.plays, 0);
    expect(files.some((f) => !f.is_complete)).toBe(true);
    // What the checkpoints say was stored is exactly what is stored.
    expect(await count(h, 'play_history', { import_id: started.importId })).toBe(checkpointed);

    await h.startWorker();
    const result = await importResult(h, accountId, started.importId);
    expect(result.state).toBe('complete');
    const rows = await storedPlays(h, accountId);
    const { missing, extra } = pairPlays(exported.truth.plays, rows);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    expect(rows.length).toBe(exported.truth.plays.length);
  }, 420_000);
});

describe('a quota 429 while resolving tracks and enriching their artists and albums (time-skipping server)', () => {
  it('waits Spotify’s Retry-After on a durable timer, then resolves and enriches the rest: plays usable throughout, nothing lost or doubled', async () => {
    const skipping = (env = await createTimeSkippingEnv());
    const h = (harness = await createHarness({
      sim: { seed: 11, tracks: 150, playlists: 3, appMode: 'development', clock: () => skipping.currentTimeMs() },
      temporal: { client: skipping.client, nativeConnection: skipping.nativeConnection },
    }));
    await h.startWorker();
    const accountId = await syncedAccount(h);
    // Polls would share the quota; this test is about the import's own calls.
    await h.client.workflow.getHandle(playbackWorkflowId(accountId)).signal('pause');
    const exported = await downloadExport(h);
    expect(exported.truth.unknownTrackIds.length + exported.truth.goneTrackIds.length).toBeGreaterThan(3);
    const detailedBefore = {
      artists: new Set(await h.db.db('artists').whereNotNull('details_synced_at').pluck('id')),
      albums: new Set(await h.db.db('albums').whereNotNull('details_synced_at').pluck('id')),
    };
    await h.simRequest('/_sim/config', { body: { quota: { perDay: 2, retryAfterSeconds: 5 * 3600 } } });
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });

    const started = await startImport(h, accountId, [exported.extended, exported.account]);
    const handle = h.client.workflow.getHandle(historyImportWorkflowId(accountId, started.importId));
    const result = await importResult(h, accountId, started.importId);
    expect(result.state).toBe('complete');

    const rows = await storedPlays(h, accountId);
    const { missing, extra } = pairPlays(exported.truth.plays, rows);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);

    // The waits were durable timers, and no lookup was spent twice: each 429 costs one call, nothing more.
    const history = await handle.fetchHistory();
    expect((history.events ?? []).filter((e) => e.timerStartedEventAttributes).length).toBeGreaterThan(0);
    const stats = await h.simRequest<{ requests: { total: number; rateLimited: number; byEndpoint: Record<string, { ok: number }> } }>('/_sim/stats');
    expect(stats.requests.rateLimited).toBeGreaterThan(0);
    const imported = (await h.db.db('history_imports').where({ id: started.importId }).first())!;
    // Every call the import made is counted (the simulator saw no other: polls paused, sync done) ...
    expect(imported.api_calls).toBe(stats.requests.total);
    // ... and each track the library lacked was fetched exactly once.
    expect(stats.requests.byEndpoint['GET /v1/tracks/{id}']?.ok).toBe(exported.truth.unknownTrackIds.length);
    expect(imported.unresolved).toBe(exported.truth.plays.filter((p) => p.contentType === 'track' && p.trackId === null).length);
    // ... and each artist and album they brought in once, through the same quota waits: no stub is left.
    const newArtists = exported.truth.unknownTrackCatalog.artists.filter((id) => !detailedBefore.artists.has(id));
    const newAlbums = exported.truth.unknownTrackCatalog.albums.filter((id) => !detailedBefore.albums.has(id));
    expect(stats.requests.byEndpoint['GET /v1/artists/{id}']?.ok ?? 0).toBe(newArtists.length);
    expect(stats.requests.byEndpoint['GET /v1/albums/{id}']?.ok ?? 0).toBe(newAlbums.length);
    expect(newArtists.length + newAlbums.length).toBeGreaterThan(2);
    expect(await countStubs(h.db.db, 'artists', accountId)).toBe(0);
    expect(await countStubs(h.db.db, 'albums', accountId)).toBe(0);
    const limited = await h.db.db('sync_state').where({ account_id: accountId, phase: 'history_import' }).orderBy('entity_type');
    expect(limited.map((r) => r.entity_type)).toEqual(['albums', 'artists', 'tracks']);
    for (const row of limited) expect(new Date(row.rate_limit_reset_at!).getTime() - new Date(row.rate_limit_hit_at!).getTime()).toBe(5 * 3_600_000);
  });
});
