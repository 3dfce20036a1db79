import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { mirrorMatchesTruth, readCollections, truthCollections, type Truth } from '../../testkit/mirror.js';
import { minimumInitialSyncCalls, syncCalls } from '../../testkit/minimum-calls.js';
import { initialSyncStatusQuery, pauseSignal, resumeSignal } from '../../workflows/contract.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { playbackWorkflowId } from '../../src/ids.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { readAccountStatus } from '../../src/status/read-status.js';

interface Stats {
  library: Record<string, number>;
  requests: { total: number; rateLimited: number; byEndpoint: Record<string, { total: number }> };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function syncToCompletion(h: Harness) {
  await h.startWorker();
  const { accountId } = await h.connect();
  const result = await initialSyncHandle(h.client, accountId).result();
  return { accountId, result };
}

describe.each(['development', 'extended'] as const)('initial sync, %s-mode app', (appMode) => {
  it('ends with the database equal to the library, no stub left, with the minimum number of calls', async () => {
    const h = (harness = await createHarness({ sim: { seed: 11, tracks: 420, playlists: 12, appMode } }));
    const truth = await h.simRequest<Truth>('/_sim/truth');
    const minimum = await minimumInitialSyncCalls(h.sim.url, h.sim.demoRefreshToken, { appMode, configuredMode: 'auto', truth });
    await h.simRequest('/_sim/stats/reset', { method: 'POST' });

    const { accountId, result } = await syncToCompletion(h);
    expect(result.state).toBe('complete');

    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
    expect(mirror.savedTracks).toEqual(expected.savedTracks);
    expect(mirror.artists).toEqual(expected.artists);
    expect(mirror.albums).toEqual(expected.albums);
    expect(mirror.playlists).toEqual(expected.playlists);
    expect(stubs).toEqual({ artists: [], albums: [] });
    // The whole library: every collection as Spotify has it, saved albums with their tracks.
    const collections = truthCollections(truth);
    expect(collections.savedAlbums.length).toBeGreaterThan(0);
    expect(collections.followedArtists.length).toBeGreaterThan(0);
    expect(collections.savedShows.length).toBeGreaterThan(0);
    expect(collections.savedEpisodes.length).toBeGreaterThan(0);
    expect(collections.savedAudiobooks.length).toBeGreaterThan(0);
    expect(await readCollections(h.db.db, accountId)).toEqual(collections);
    const savedAlbums = await h.db.db('albums').whereIn('id', collections.savedAlbums).select('id', 'tracks_page', 'total_tracks');
    for (const album of savedAlbums) expect((album.tracks_page as unknown[]).length).toBe(Math.min(50, album.total_tracks ?? 0));
    const unheard = collections.savedAlbums.filter((id) => !expected.albums.includes(id));
    expect(unheard.length).toBeGreaterThan(0);
    // Nor anywhere else: tracks known only from the play history are enriched like the rest.
    const played = await h.db.db('play_history').where({ account_id: accountId }).pluck('track_id');
    const savedOrListed = new Set(await h.db.db('saved_tracks').where({ account_id: accountId }).pluck('track_id'));
    expect(played.some((id) => !savedOrListed.has(id!))).toBe(true);
    for (const table of ['artists', 'albums']) {
      expect(await h.db.db(table).whereNull('details_synced_at').pluck('id')).toEqual([]);
    }

    const stats = await h.simRequest<Stats>('/_sim/stats');
    expect(syncCalls(stats.requests.byEndpoint)).toBe(minimum);

    const account = await h.db.db('accounts').where({ id: accountId }).first();
    expect(account).toMatchObject({ sync_state: 'complete', sync_phase: 'complete', app_mode: appMode });
    const phases = await h.db.db('sync_state').where({ account_id: accountId, phase: 'initial' }).orderBy('entity_type');
    expect(phases.map((p) => [p.entity_type, p.is_complete])).toEqual([
      ['albums', true],
      ['artists', true],
      ['followedArtists', true],
      ['playlists', true],
      ['savedAlbums', true],
      ['savedAudiobooks', true],
      ['savedEpisodes', true],
      ['savedShows', true],
      ['tracks', true],
    ]);
    const status = await readAccountStatus(h.db.db, accountId, { now: new Date(), incrementalIntervalHours: 6 });
    expect(status?.phases.find((p) => p.entity === 'savedAlbums')).toMatchObject({ complete: true, synced: collections.savedAlbums.length });
    const tracksState = phases.find((p) => p.entity_type === 'tracks')!;
    expect(tracksState.synced_count).toBe(truth.savedTracks.length);
    const history = await h.db.db('sync_history').where({ account_id: accountId });
    expect(history.reduce((n, r) => n + r.api_calls, 0)).toBe(minimum);
    await recordHistoryFixture(h.client, `initialSyncWorkflow--full-${appMode}`, initialSyncWorkflowId(accountId));
    await recordHistoryFixture(h.client, `playbackWorkflow--running-${appMode}`, playbackWorkflowId(accountId));
  });
});

describe('initial sync, awkward libraries and flaky Spotify', () => {
  it('keeps every null, local and episode entry at its position, and retries 5xx and malformed answers', async () => {
    const h = (harness = await createHarness({ sim: { seed: 5, tracks: 260, playlists: 10, appMode: 'extended' } }));
    const truth = await h.simRequest<Truth & { skipped: { nullItems: number; localItems: number; episodes: number } }>('/_sim/truth');
    expect(truth.skipped.nullItems + truth.skipped.localItems + truth.skipped.episodes).toBeGreaterThan(0);
    await h.simRequest('/_sim/config', { body: { errorRate: 0.08, malformedRate: 0.05 } });

    const { accountId, result } = await syncToCompletion(h);
    expect(result.state).toBe('complete');
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });

    // None skipped: each kind of entry is stored where Spotify has it, as the truth's uris already showed.
    const skipped = await h.db.db('playlists').where({ account_id: accountId }).sum({ n: 'skipped_items' }).first();
    expect(Number(skipped?.n)).toBe(0);
    const kinds = (await h.db.db('playlist_items').where({ account_id: accountId }).select('kind').count({ n: '*' }).groupBy('kind')) as { kind: string; n: string }[];
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]));
    expect(byKind).toMatchObject({ unavailable: truth.skipped.nullItems, local: truth.skipped.localItems, episode: truth.skipped.episodes });
    const locals = await h.db.db('playlist_items').where({ account_id: accountId, kind: 'local' });
    for (const local of locals) {
      expect(local.local_name).toEqual(expect.any(String));
      expect(local.local_artist).toEqual(expect.any(String));
      expect(local.local_album).toEqual(expect.any(String));
      expect(local.local_duration_ms).toBeGreaterThan(0);
    }
    const episodes = await h.db.db('playlist_items as pi').join('episodes as e', 'e.id', 'pi.episode_id').where({ 'pi.account_id': accountId }).select('e.name', 'e.show_id');
    expect(episodes.length).toBe(truth.skipped.episodes);
    const outcomes = (await h.db.db('spotify_calls').where({ account_id: accountId }).select('outcome').sum({ calls: 'calls' }).groupBy('outcome')) as {
      outcome: string;
      calls: string;
    }[];
    const byOutcome = Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.calls)]));
    expect(byOutcome.server_error).toBeGreaterThan(0);
    expect(byOutcome.malformed).toBeGreaterThan(0);
  });

  it('absorbs short 429s inside the activity retry without ever entering rate_limited', async () => {
    const h = (harness = await createHarness({ sim: { seed: 3, tracks: 200, playlists: 4, appMode: 'extended' } }));
    // A window the sync cannot help meeting, whatever the machine's speed: 4 calls per 2 s.
    await h.simRequest('/_sim/config', { body: { rateLimit: { windowSeconds: 2, maxRequests: 4 } } });
    const { accountId, result } = await syncToCompletion(h);
    expect(result.state).toBe('complete');
    const stats = await h.simRequest<Stats>('/_sim/stats');
    expect(stats.requests.rateLimited).toBeGreaterThan(0);

    const history = await initialSyncHandle(h.client, accountId).fetchHistory();
    const states = (history.events ?? [])
      .filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)
      .map((e) => JSON.stringify(e.upsertWorkflowSearchAttributesEventAttributes));
    expect(states.length).toBeGreaterThan(0);
    expect(states.some((s) => s.includes(Buffer.from('"rate_limited"').toString('base64')))).toBe(false);
    expect((history.events ?? []).some((e) => e.timerStartedEventAttributes)).toBe(false);
    const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
  });

  it('gives the same result when continue-as-new is forced every two batches', async () => {
    const h = (harness = await createHarness({ sim: { seed: 21, tracks: 330, playlists: 6, appMode: 'development' } }));
    await h.startWorker();
    const { accountId } = await h.connect(undefined, { maxBatchesPerRun: 2, batchSize: 100 });
    const result = await initialSyncHandle(h.client, accountId).result();
    expect(result.state).toBe('complete');
    expect(result.runNumber).toBeGreaterThan(3);
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--continued-as-new', initialSyncWorkflowId(accountId));
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });
  });

  it('pauses between batches and resumes, and the status query tells the truth', async () => {
    const h = (harness = await createHarness({ sim: { seed: 8, tracks: 400, playlists: 6, appMode: 'development', config: { latencyMs: 15 } } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    const handle = initialSyncHandle(h.client, accountId);
    await handle.signal(pauseSignal);
    await expect.poll(async () => (await handle.query(initialSyncStatusQuery)).state, { timeout: 60_000, interval: 200 }).toBe('paused');
    await expect.poll(async () => (await h.db.db('accounts').where({ id: accountId }).first())!.sync_state, { timeout: 10_000 }).toBe('paused');
    const frozen = (await h.db.db('sync_history').where({ account_id: accountId }).count({ n: '*' }).first())?.n;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await h.db.db('sync_history').where({ account_id: accountId }).count({ n: '*' }).first())?.n).toBe(frozen);
    expect((await handle.query(initialSyncStatusQuery)).paused).toBe(true);

    await handle.signal(resumeSignal);
    await expect.poll(async () => (await handle.query(initialSyncStatusQuery)).state, { timeout: 10_000, interval: 100 }).not.toBe('paused');
    const result = await handle.result();
    expect(result.state).toBe('complete');
    const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--paused-and-resumed', initialSyncWorkflowId(accountId));
  });
});
