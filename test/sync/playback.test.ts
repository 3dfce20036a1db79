import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { playbackWorkflowId } from '../../src/ids.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { initialSyncHandle, playbackHandle } from '../../src/accounts/account-workflows.js';
import { playbackStatusQuery } from '../../workflows/contract.js';
import { countStubs } from '../../activities/store/stub-queries.js';

const MINUTE = 60_000;
let env: TestWorkflowEnvironment;
let harness: Harness | undefined;

// A server of its own per test: time cannot skip while any earlier test's work is still in flight there.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await env?.teardown();
});

function playbackHarness(sim: { seed: number; tracks: number; quota?: { perDay: number; retryAfterSeconds: number | null } }) {
  return createHarness({
    sim: { playlists: 2, appMode: 'extended', clock: () => env.currentTimeMs(), seed: sim.seed, tracks: sim.tracks, config: sim.quota ? { quota: sim.quota } : {} },
    temporal: { client: env.client, nativeConnection: env.nativeConnection },
  });
}

const playCount = async (h: Harness, accountId: string) => Number((await h.db.db('play_history').where({ account_id: accountId }).count({ n: '*' }).first())?.n);

describe('playback tracking (time-skipping server)', () => {
  it('records each play exactly once across overlapping polls, and a gap when more than 50 plays slipped by', async () => {
    const h = (harness = await playbackHarness({ seed: 41, tracks: 60 }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await initialSyncHandle(h.client, accountId).result();
    const playback = playbackHandle(h.client, accountId);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThan(0);
    const initial = await playCount(h, accountId);
    expect(initial).toBeGreaterThan(0);

    await h.simRequest('/_sim/mutate', { body: { play: 12 } });
    await env.sleep(31 * MINUTE);
    await expect.poll(() => playCount(h, accountId), { timeout: 30_000 }).toBe(initial + 12);
    // Another poll with nothing new adds nothing.
    await env.sleep(31 * MINUTE);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    expect(await playCount(h, accountId)).toBe(initial + 12);
    const duplicates = await h.db.db('play_history').where({ account_id: accountId }).groupBy('played_at').havingRaw('count(*) > 1').select('played_at');
    expect(duplicates).toEqual([]);
    expect(await h.db.db('playback_gaps').where({ account_id: accountId })).toEqual([]);

    const lastStored = (await h.db.db('play_history').where({ account_id: accountId }).max({ at: 'played_at' }).first())?.at as Date;
    await h.simRequest('/_sim/mutate', { body: { play: 70 } });
    await env.sleep(31 * MINUTE);
    await expect.poll(async () => (await h.db.db('playback_gaps').where({ account_id: accountId })).length, { timeout: 30_000 }).toBe(1);
    const [gap] = await h.db.db('playback_gaps').where({ account_id: accountId });
    expect(new Date(gap!.gap_start).getTime()).toBe(new Date(lastStored).getTime());
    const oldestOfPoll = (await h.db.db('play_history').where({ account_id: accountId }).where('played_at', '>', lastStored).min({ at: 'played_at' }).first())?.at as Date;
    expect(new Date(gap!.gap_end).getTime()).toBe(new Date(oldestOfPoll).getTime());
    expect(await playCount(h, accountId)).toBe(initial + 12 + 50);
    await recordHistoryFixture(h.client, 'playbackWorkflow--polls-and-gap', playbackWorkflowId(accountId));
  });

  it('stores a play Spotify lists late, behind newer ones, exactly once by the next poll: one call a poll, and no gap', async () => {
    const h = (harness = await playbackHarness({ seed: 45, tracks: 40 }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await initialSyncHandle(h.client, accountId).result();
    const playback = playbackHandle(h.client, accountId);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThan(0);
    const initial = await playCount(h, accountId);
    await h.simRequest('/_sim/mutate', { body: { play: 6 } });
    await env.sleep(31 * MINUTE);
    await expect.poll(() => playCount(h, accountId), { timeout: 30_000 }).toBe(initial + 6);
    const pollState = () => h.db.db('sync_state').where({ account_id: accountId, phase: 'playback' }).first('batches');
    const recentlyPlayedCalls = async () =>
      (await h.simRequest<{ requests: { byEndpoint: Record<string, { ok: number }> } }>('/_sim/stats')).requests.byEndpoint['GET /v1/me/player/recently-played']?.ok ?? 0;
    const before = await pollState();
    const callsBefore = await recentlyPlayedCalls();
    const newestStored = (await h.db.db('play_history').where({ account_id: accountId }).max({ at: 'played_at' }).first())?.at as Date;

    // Spotify lists a play now that ended before plays it listed at the last poll.
    const { latePlays } = await h.simRequest<{ latePlays: { trackId: string; playedAt: string }[] }>('/_sim/mutate', { body: { latePlay: 1 } });
    const late = latePlays[0] as { trackId: string; playedAt: string };
    expect(Date.parse(late.playedAt)).toBeLessThan(new Date(newestStored).getTime());
    await env.sleep(31 * MINUTE);
    await expect.poll(() => playCount(h, accountId), { timeout: 30_000 }).toBe(initial + 7);
    expect(await h.db.db('play_history').where({ account_id: accountId, played_at: new Date(late.playedAt), track_id: late.trackId })).toHaveLength(1);
    // Later polls store it no more.
    await env.sleep(31 * MINUTE);
    await expect.poll(async () => Number((await pollState())?.batches), { timeout: 30_000 }).toBeGreaterThanOrEqual(Number(before?.batches) + 2);
    expect(await playCount(h, accountId)).toBe(initial + 7);
    const after = await pollState();
    expect((await recentlyPlayedCalls()) - callsBefore).toBe(Number(after?.batches) - Number(before?.batches));
    expect(await h.db.db('playback_gaps').where({ account_id: accountId })).toEqual([]);
  });

  it('a 429 on a poll skips it without losing what the next poll can still see', async () => {
    const h = (harness = await playbackHarness({ seed: 43, tracks: 40 }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await initialSyncHandle(h.client, accountId).result();
    const playback = playbackHandle(h.client, accountId);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await playCount(h, accountId);

    await h.simRequest('/_sim/config', { body: { quota: { perDay: 0, retryAfterSeconds: null } } });
    await h.simRequest('/_sim/mutate', { body: { play: 6 } });
    await env.sleep(31 * MINUTE);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).state, { timeout: 30_000 }).toBe('rate_limited');
    expect(await playCount(h, accountId)).toBe(before);

    // The quota 429 told no reset: the app waits out the fallback window (RATE_LIMIT_FALLBACK_HOURS, 24 h)
    // after its last call before it probes again, and the probe's poll reads what Spotify still lists.
    await h.simRequest('/_sim/config', { body: { quota: null } });
    await env.sleep(25 * 60 * MINUTE);
    await expect.poll(() => playCount(h, accountId), { timeout: 30_000 }).toBe(before + 6);
  });

  it('tracks a poll meets first leave no stub: the next incremental sync gives their artists and albums details', async () => {
    // Development mode: the items of followed playlists are not the mirror's, so the catalog holds tracks it lacks.
    const h = (harness = await createHarness({
      sim: { playlists: 8, appMode: 'development', clock: () => env.currentTimeMs(), seed: 44, tracks: 150 },
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await initialSyncHandle(h.client, accountId).result();
    const playback = playbackHandle(h.client, accountId);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThan(0);
    const pollsBefore = (await playback.query(playbackStatusQuery)).polls;

    // A fifth of the simulator's new plays are of catalog tracks the user never saved.
    const { plays } = await h.simRequest<{ plays: { trackId: string }[] }>('/_sim/mutate', { body: { play: 50 } });
    const known = new Set(await h.db.db('tracks').pluck('id'));
    const unknown = [...new Set(plays.map((p) => p.trackId).filter((id) => !known.has(id)))];
    expect(unknown.length).toBeGreaterThan(0);
    await env.sleep(31 * MINUTE);
    await expect.poll(async () => (await playback.query(playbackStatusQuery)).polls, { timeout: 30_000 }).toBeGreaterThan(pollsBefore);
    expect((await h.db.db('tracks').whereIn('id', unknown).pluck('id')).sort()).toEqual([...unknown].sort());
    // The poll stores what recently-played says of them: their artists and albums are stubs for now.
    expect((await countStubs(h.db.db, 'artists', accountId)) + (await countStubs(h.db.db, 'albums', accountId))).toBeGreaterThan(0);

    // The incremental sync (every SYNC_INCREMENTAL_INTERVAL_HOURS) enriches the account's stubs, played tracks' included.
    await h.client.workflow.execute('incrementalSyncWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `incremental-sync:${accountId}:test-after-poll`,
      args: [{ accountId }],
    });
    expect(await countStubs(h.db.db, 'artists', accountId)).toBe(0);
    expect(await countStubs(h.db.db, 'albums', accountId)).toBe(0);
    const albums = await h.db.db('albums').join('tracks', 'tracks.album_id', 'albums.id').whereIn('tracks.id', unknown).select('albums.id', 'albums.details_synced_at');
    expect(albums.length).toBeGreaterThan(0);
    expect(albums.filter((a) => a.details_synced_at === null)).toEqual([]);
    const artists = await h.db
      .db('artists')
      .join('track_artists', 'track_artists.artist_id', 'artists.id')
      .whereIn('track_artists.track_id', unknown)
      .select('artists.id', 'artists.details_synced_at');
    expect(artists.length).toBeGreaterThan(0);
    expect(artists.filter((a) => a.details_synced_at === null)).toEqual([]);
  });

  it('keeps polling on its interval while the initial sync waits out a 24 h quota', async () => {
    const h = (harness = await playbackHarness({ seed: 47, tracks: 300, quota: { perDay: 12, retryAfterSeconds: null } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await expect.poll(async () => (await h.db.db('accounts').where({ id: accountId }).first())?.sync_state, { timeout: 60_000, interval: 200 }).toBe('rate_limited');
    const playback = playbackHandle(h.client, accountId);
    const pollsBefore = (await playback.query(playbackStatusQuery)).polls;
    await env.sleep(6 * 60 * MINUTE);
    const pollsAfter = (await playback.query(playbackStatusQuery)).polls;
    // Every 30 minutes over 6 hours, whatever the initial sync is doing.
    expect(pollsAfter - pollsBefore).toBeGreaterThanOrEqual(11);
    expect((await h.db.db('accounts').where({ id: accountId }).first())?.sync_state).toBe('rate_limited');
  });
});
