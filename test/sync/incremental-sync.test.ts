import { afterEach, describe, expect, it } from 'vitest';
import { ensureAllIncrementalSchedules } from '../../src/accounts/incremental-schedule.js';
import { loadConfig } from '../../src/config/load-config.js';
import { incrementalSyncScheduleId } from '../../src/ids.js';
import type { IncrementalSyncResult } from '../../workflows/incremental-sync.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { closeHarnessAndSchedules, createHarness, type Harness } from '../helpers/sync-harness.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { pauseSignal, resumeSignal } from '../../workflows/contract.js';

interface Stats {
  requests: { total: number; byEndpoint: Record<string, { total: number }> };
}

let harness: Harness | undefined;
afterEach(async () => {
  await closeHarnessAndSchedules(harness);
  harness = undefined;
});

/** A connected account whose initial sync has completed. */
async function syncedHarness(sim: { seed: number; tracks: number; playlists: number; appMode: 'development' | 'extended' }) {
  const h = (harness = await createHarness({ sim }));
  await h.startWorker();
  const { accountId } = await h.connect();
  await initialSyncHandle(h.client, accountId).result();
  return { h, accountId };
}

function runIncremental(h: Harness, accountId: string, suffix: string): Promise<IncrementalSyncResult> {
  return h.client.workflow.execute('incrementalSyncWorkflow', {
    taskQueue: h.config.temporal.taskQueue,
    workflowId: `incremental-sync:${accountId}:test-${suffix}`,
    args: [{ accountId }],
  });
}

const endpointCalls = (stats: Stats) =>
  Object.fromEntries(
    Object.entries(stats.requests.byEndpoint)
      .filter(([e, v]) => e.includes(' /v1/') && !e.includes('recently-played') && v.total > 0)
      .map(([e, v]) => [e, v.total]),
  );

describe('incremental sync', () => {
  it('is scheduled once per account at the configured interval, and a triggered run executes', async () => {
    const { h, accountId } = await syncedHarness({ seed: 2, tracks: 120, playlists: 3, appMode: 'extended' });
    const schedule = h.client.schedule.getHandle(incrementalSyncScheduleId(accountId));
    const description = await schedule.describe();
    expect(description.spec.intervals?.[0]?.every).toBe(6 * 3_600_000);
    expect(description.policies.overlap).toBe('SKIP');

    // A second connect and a worker restart (which re-checks every account) create nothing new.
    expect((await h.connect()).scheduleCreated).toBe(false);
    expect(await ensureAllIncrementalSchedules({ client: h.client, config: h.config }, [accountId])).toEqual({ created: 0, checked: 1 });
    const listed: string[] = [];
    for await (const s of h.client.schedule.list()) if (s.scheduleId.includes(accountId)) listed.push(s.scheduleId);
    expect(listed).toEqual([incrementalSyncScheduleId(accountId)]);

    // A changed interval updates the schedule.
    const changed = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: h.config.temporal.taskQueue, SYNC_INCREMENTAL_INTERVAL_HOURS: '3' });
    await ensureAllIncrementalSchedules({ client: h.client, config: changed }, [accountId]);
    expect((await schedule.describe()).spec.intervals?.[0]?.every).toBe(3 * 3_600_000);

    await schedule.trigger();
    await expect.poll(async () => (await schedule.describe()).info.recentActions.length, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);
    const action = (await schedule.describe()).info.recentActions[0];
    const runId = action?.action.workflow.workflowId as string;
    expect(runId.startsWith(incrementalSyncScheduleId(accountId))).toBe(true);
    const result = (await h.client.workflow.getHandle(runId).result()) as IncrementalSyncResult;
    expect(result.outcome).toBe('completed');
    const runs = await h.db.db('incremental_runs').where({ account_id: accountId });
    expect(runs.map((r) => r.outcome)).toEqual(['completed']);
  });

  it('on an unchanged library spends one saved-tracks call, the playlist listing pages and one page of each dated collection, nothing else', async () => {
    const { h, accountId } = await syncedHarness({ seed: 4, tracks: 240, playlists: 60, appMode: 'extended' });
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });
    const result = await runIncremental(h, accountId, 'unchanged');
    expect(result.outcome).toBe('completed');
    const calls = endpointCalls(await h.simRequest<Stats>('/_sim/stats'));
    // Followed artists were read whole by the initial sync less than a day ago.
    expect(calls).toEqual({
      'GET /v1/me/tracks': 1,
      'GET /v1/me/playlists': 2,
      'GET /v1/me/albums': 1,
      'GET /v1/me/shows': 1,
      'GET /v1/me/episodes': 1,
      'GET /v1/me/audiobooks': 1,
    });
    expect(result.apiCalls).toBe(7);
  });

  it('after saves, removals, re-saves, playlist edits and a deletion, one run makes the mirror equal to the library again', async () => {
    const { h, accountId } = await syncedHarness({ seed: 6, tracks: 200, playlists: 8, appMode: 'development' });
    await h.simRequest('/_sim/mutate', { body: { removeTracks: 5 } });
    await runIncremental(h, accountId, 'first');
    const removed = (await h.db.db('saved_tracks').where({ account_id: accountId }).whereNotNull('removed_at').pluck('track_id')) as string[];
    expect(removed).toHaveLength(5);

    const changes = await h.simRequest<{ editedPlaylists?: { id: string }[]; deletedPlaylists?: string[] }>('/_sim/mutate', {
      body: { saveTracks: 7, resaveTracks: 2, removeTracks: 3, editPlaylists: 2, deletePlaylists: 1 },
    });
    const activeBefore = new Set((await h.db.db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').pluck('track_id')) as string[]);
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });
    const result = await runIncremental(h, accountId, 'second');
    expect(result.outcome).toBe('completed');
    const savedNow = (await h.simRequest<Truth>('/_sim/truth')).savedTracks;
    expect(result.counts.newSaves).toBe(savedNow.filter((id) => !activeBefore.has(id)).length);
    expect(result.counts.newSaves).toBeGreaterThanOrEqual(7);
    await recordHistoryFixture(h.client, 'incrementalSyncWorkflow--changed-library', `incremental-sync:${accountId}:test-second`);

    const truth = await h.simRequest<Truth>('/_sim/truth');
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });

    // Soft deletes only: every save ever seen is still there; those gone from the library are marked.
    const allSaves = await h.db.db('saved_tracks').where({ account_id: accountId }).select('track_id', 'removed_at');
    const inLibrary = new Set(truth.savedTracks);
    expect(allSaves.filter((r) => !inLibrary.has(r.track_id)).every((r) => r.removed_at !== null)).toBe(true);
    expect(allSaves.filter((r) => !inLibrary.has(r.track_id)).length).toBeGreaterThanOrEqual(3);
    expect(removed.some((id) => inLibrary.has(id))).toBe(true); // re-saved ones came back
    const deleted = await h.db.db('playlists').where({ account_id: accountId }).whereNotNull('removed_at').pluck('id');
    expect(deleted).toEqual(changes.deletedPlaylists);

    // Only the edited playlists' items were fetched.
    const stats = await h.simRequest<Stats>('/_sim/stats');
    const stillThere = (changes.editedPlaylists ?? []).map((p) => p.id).filter((id) => !(changes.deletedPlaylists ?? []).includes(id));
    expect(stillThere.length).toBeGreaterThan(0);
    const itemCalls = stats.requests.byEndpoint['GET /v1/playlists/{id}/items']?.total ?? 0;
    const editedPages = await h.db
      .db('playlists')
      .where({ account_id: accountId })
      .whereIn('id', stillThere)
      .sum({ n: h.db.db.raw('ceil(total_items / 50.0)') })
      .first();
    expect(itemCalls).toBe(Number(editedPages?.n));
  });

  it('refreshes artists and albums whose details are older than 7 days, and only those', async () => {
    const { h, accountId } = await syncedHarness({ seed: 9, tracks: 150, playlists: 2, appMode: 'extended' });
    const staleArtists = (await h.db.db('artists').orderBy('id').limit(60).pluck('id')) as string[];
    const staleAlbums = (await h.db.db('albums').orderBy('id').limit(25).pluck('id')) as string[];
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3_600_000);
    await h.db.db('artists').whereIn('id', staleArtists).update({ details_synced_at: eightDaysAgo });
    await h.db.db('albums').whereIn('id', staleAlbums).update({ details_synced_at: eightDaysAgo });
    const freshBefore = await h.db.db('artists').whereNotIn('id', staleArtists).select('id', 'details_synced_at');
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });

    const result = await runIncremental(h, accountId, 'stale');
    expect(result.counts.artistsRefreshed).toBe(60);
    expect(result.counts.albumsRefreshed).toBe(25);
    const calls = endpointCalls(await h.simRequest<Stats>('/_sim/stats'));
    expect(calls['GET /v1/artists']).toBe(2); // 60 ids in batches of 50
    expect(calls['GET /v1/albums']).toBe(2); // 25 ids in batches of 20
    const staleLeft = await h.db
      .db('artists')
      .where('details_synced_at', '<', new Date(Date.now() - 7 * 24 * 3_600_000))
      .count({ n: '*' })
      .first();
    expect(Number(staleLeft?.n)).toBe(0);
    const freshAfter = await h.db.db('artists').whereNotIn('id', staleArtists).select('id', 'details_synced_at');
    expect(freshAfter).toEqual(freshBefore);
  });

  it('is skipped without any Spotify call while the initial sync is incomplete', async () => {
    const h = (harness = await createHarness({ sim: { seed: 12, tracks: 400, playlists: 4, appMode: 'development', config: { latencyMs: 20 } } }));
    const { accountId } = await h.connect();
    // No worker for the initial sync yet: it cannot have completed.
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });
    await h.startWorker();
    const initial = initialSyncHandle(h.client, accountId);
    await initial.signal(pauseSignal);
    const result = await runIncremental(h, accountId, 'early');
    expect(result).toMatchObject({ outcome: 'skipped', reason: 'skipped: initial sync in progress', apiCalls: 0 });
    await recordHistoryFixture(h.client, 'incrementalSyncWorkflow--skipped', `incremental-sync:${accountId}:test-early`);
    const runs = await h.db.db('incremental_runs').where({ account_id: accountId });
    expect(runs.map((r) => [r.outcome, r.result.reason])).toEqual([['skipped', 'skipped: initial sync in progress']]);
    await initial.signal(resumeSignal);
  });
});
