import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/create-app.js';
import type { AccountStatus } from '../../src/status/read-status.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertAccount, insertHistory, insertPlays, insertSyncState, testConfig, unreachableTemporal } from './fixtures.js';

const now = new Date('2026-01-06T12:00:00.000Z');
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 3_600_000;
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

let testDb: TestDatabase;
const config = testConfig();

// Temporal is unreachable on purpose: the status must come from Postgres alone.
const app = () => createApp({ db: testDb.db, config, temporal: unreachableTemporal, now: () => now });

async function status(accountId?: string): Promise<{ status: number; body: AccountStatus & Record<string, unknown> }> {
  const res = await app().request(`/api/sync/status${accountId ? `?accountId=${encodeURIComponent(accountId)}` : ''}`);
  return { status: res.status, body: (await res.json()) as AccountStatus & Record<string, unknown> };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

beforeEach(async () => {
  await testDb.db('accounts').delete();
});

describe('GET /api/sync/status', () => {
  it('reports a new account as not started, with the incremental run due an interval after connecting', async () => {
    await insertAccount(testDb.db, 'fresh', { connected_at: at(-hours(1)) });
    const { status: code, body } = await status();
    expect(code).toBe(200);
    expect(body).toMatchObject({
      accountId: 'fresh',
      displayName: 'User fresh',
      state: 'not_started',
      phase: 'tracks',
      needsLogin: false,
      overallPercent: 0,
      rateLimit: { limited: false, kind: null, hitAt: null, resetAt: null },
      eta: null,
      incremental: { lastRunAt: null, nextRunAt: at(hours(5)).toISOString(), lastResult: null },
      playback: { lastPolledAt: null, plays: 0, gaps: 0, bySource: { poll: 0, extended_export: 0, account_export: 0 }, paused: false, pausedAt: null },
      temporalUiUrl: 'http://127.0.0.1:8233/namespaces/default/workflows/initial-sync:fresh',
    });
    expect(body.phases).toEqual([
      { entity: 'tracks', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'artists', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'albums', synced: 0, total: null, percent: 0, complete: false },
      { entity: 'playlists', synced: 0, total: null, percent: 0, complete: false },
      ...['savedAlbums', 'followedArtists', 'savedShows', 'savedEpisodes', 'savedAudiobooks'].map((entity) => ({ entity, synced: 0, total: null, percent: 0, complete: false })),
    ]);
  });

  it('reports a running sync with counts, weighted overall percent and an ETA from the measured pace', async () => {
    await insertAccount(testDb.db, 'runner', { sync_state: 'running', sync_phase: 'tracks' });
    await insertSyncState(testDb.db, 'runner', 'tracks', { synced_count: 1247, total_estimated: 3500, started_at: at(-hours(1)) });
    await insertSyncState(testDb.db, 'runner', 'artists', { synced_count: 0, total_estimated: 120, started_at: at(-hours(1)) });
    // Three batches of 200, 20 s each, 30 s apart: 600 items in 80 s = 7.5 items/s.
    await insertHistory(testDb.db, 'runner', [
      { items: 200, durationMs: 20_000, at: at(-60_000) },
      { items: 200, durationMs: 20_000, at: at(-30_000) },
      { items: 200, durationMs: 20_000, at: at(0) },
    ]);
    // A batch of an earlier run (before the checkpoints were recreated) does not count.
    await insertHistory(testDb.db, 'runner', [{ items: 10_000, durationMs: 1, at: at(-hours(3)) }]);

    const { body } = await status('runner');
    expect(body.state).toBe('running');
    expect(body.phases[0]).toEqual({ entity: 'tracks', synced: 1247, total: 3500, percent: 35.6, complete: false });
    expect(body.phases[1]).toEqual({ entity: 'artists', synced: 0, total: 120, percent: 0, complete: false });
    // Albums, playlists and the collections have not started and their size is unknown: each phase weighs
    // the same, the five collections as one (35.6 / 5).
    expect(body.overallPercent).toBe(7.1);
    // The ETA counts calls: 46 pages of tracks, a page of playlists and a page of each collection (the
    // catalog holds no stubs yet), each page a batch of its own: at the measured 12 calls in 60 s of
    // batches, and 10 s between two batches beyond the later one's 20 s.
    const callsLeft = Math.ceil((3500 - 1247) / 50) + 1 + 5;
    expect(Math.abs(Date.parse(body.eta ?? '') - at(callsLeft * (60_000 / 12) + callsLeft * 10_000).getTime())).toBeLessThanOrEqual(1);
    expect(body.etaDetail).toEqual({ callsLeft, callsPerWindow: null, windowsLeft: 0, basis: 'pace', callsEstimated: 0 });
    expect(body.rateLimit.limited).toBe(false);
  });

  it('counts the playlists’ work from the listing: item pages of the playlists it will read, and an estimate of the artists and albums their entries bring', async () => {
    await insertAccount(testDb.db, 'lister', { sync_state: 'running', sync_phase: 'artists' });
    await testDb.db('accounts').where({ id: 'lister' }).update({ app_mode: 'development' });
    await insertSyncState(testDb.db, 'lister', 'tracks', { synced_count: 4, total_estimated: 4, is_complete: true, started_at: at(-hours(1)) });
    // The listing is read: three playlists.
    await insertSyncState(testDb.db, 'lister', 'playlists', { synced_count: 0, total_estimated: 3, last_synced_offset: 3, started_at: at(-hours(1)) });
    // Four saved tracks, each with an artist and an album of its own, none with details yet: every other one
    // credits two artists and two albums, the other two tracks two more of each (one of each a track).
    for (let i = 1; i <= 4; i++) {
      await testDb.db('artists').insert({ id: `artist-${i}`, name: `Artist ${i}` });
      await testDb.db('albums').insert({ id: `album-${i}`, name: `Album ${i}` });
      await testDb.db('album_artists').insert({ album_id: `album-${i}`, artist_id: `artist-${i}`, position: 0 });
      await testDb.db('tracks').insert({ id: `track-${i}`, name: `Track ${i}`, album_id: `album-${i}` });
      await testDb.db('track_artists').insert({ track_id: `track-${i}`, artist_id: `artist-${i}`, position: 0 });
      await testDb.db('saved_tracks').insert({ account_id: 'lister', track_id: `track-${i}`, added_at: at(-hours(10 - i)) });
    }
    const playlist = (id: string, owner: string, total: number) => ({ account_id: 'lister', id, name: id, owner_id: owner, snapshot_id: 's1', total_items: total });
    // Its own playlist of 100 entries, a followed one a development-mode app may not read, an empty one.
    await testDb.db('playlists').insert([playlist('own', 'lister', 100), playlist('followed', 'someone', 80), playlist('empty', 'lister', 0)]);
    await insertHistory(testDb.db, 'lister', [
      { items: 200, durationMs: 20_000, at: at(-60_000) },
      { items: 200, durationMs: 20_000, at: at(0) },
    ]);

    const { body } = await status('lister');
    // 100 entries ahead, half taken to be new tracks, each bringing an artist and an album as a further saved
    // track does: 50 artists and 50 albums, a call each.
    const estimated = 50 + 50;
    // The 8 stubs, the own playlist's 2 item pages (no listing page: it is read), a page of each collection.
    expect(body.etaDetail).toMatchObject({ callsLeft: 4 + 4 + 2 + estimated + 5, callsEstimated: estimated });
  });

  it('leaves waits out of the pace: a gap after a rate-limited batch counts only the next batch’s duration', async () => {
    await insertAccount(testDb.db, 'waiter', { sync_state: 'running' });
    await insertSyncState(testDb.db, 'waiter', 'tracks', { synced_count: 400, total_estimated: 1400, started_at: at(-hours(30)) });
    await insertHistory(testDb.db, 'waiter', [
      { items: 200, durationMs: 10_000, at: at(-hours(25)), rateLimited: true },
      { items: 200, durationMs: 10_000, at: at(-minutes(1)) },
    ]);
    // 8 calls in 20 s = 0.4/s; 20 pages of tracks, a page of playlists and one of each collection left = 65 s.
    const { body } = await status('waiter');
    expect(body.eta).toBe(at(65_000).toISOString());
  });

  it('reports a paused sync without an ETA', async () => {
    await insertAccount(testDb.db, 'pauser', { sync_state: 'paused', sync_phase: 'artists' });
    await insertSyncState(testDb.db, 'pauser', 'tracks', { synced_count: 3500, total_estimated: 3500, is_complete: true, started_at: at(-hours(2)) });
    await insertSyncState(testDb.db, 'pauser', 'artists', { synced_count: 50, total_estimated: 200, started_at: at(-hours(2)) });
    await insertHistory(testDb.db, 'pauser', [{ items: 50, durationMs: 5_000, at: at(-minutes(10)) }]);
    const { body } = await status('pauser');
    expect(body).toMatchObject({ state: 'paused', phase: 'artists', eta: null });
    expect(body.phases[0]).toMatchObject({ percent: 100, complete: true });
    expect(body.phases[1]).toMatchObject({ synced: 50, total: 200, percent: 25 });
  });

  it('reports a quota rate limit with its hit and reset times and adds the wait to the ETA', async () => {
    const hitAt = at(-hours(4));
    const resetAt = at(hours(20));
    await insertAccount(testDb.db, 'limited', { sync_state: 'rate_limited' });
    await insertSyncState(testDb.db, 'limited', 'tracks', {
      synced_count: 1000,
      total_estimated: 3500,
      rate_limit_kind: 'quota',
      rate_limit_hit_at: hitAt,
      rate_limit_reset_at: resetAt,
      started_at: at(-hours(6)),
    });
    await insertHistory(testDb.db, 'limited', [
      { items: 500, durationMs: 50_000, at: at(-hours(4) - 60_000) },
      { items: 500, durationMs: 50_000, at: at(-hours(4)), rateLimited: true },
    ]);
    const { body } = await status('limited');
    expect(body.state).toBe('rate_limited');
    expect(body.rateLimit).toEqual({ limited: true, kind: 'quota', hitAt: hitAt.toISOString(), resetAt: resetAt.toISOString() });
    // 20 calls in 100 s of batches and 10 s between the two beyond the later one's 50 s; 50 pages of tracks,
    // a page of playlists and one of each collection left, each a batch: 56 × (5 s + 10 s) after the reset.
    expect(body.eta).toBe(new Date(resetAt.getTime() + 56 * 15_000).toISOString());
  });

  it('counts a future quota reset as limited even while the state says running, and a past one as not', async () => {
    await insertAccount(testDb.db, 'quota-ahead', { sync_state: 'running' });
    await insertSyncState(testDb.db, 'quota-ahead', 'albums', { rate_limit_kind: 'quota', rate_limit_hit_at: at(-hours(1)), rate_limit_reset_at: at(hours(2)) });
    await insertAccount(testDb.db, 'quota-past', { sync_state: 'running' });
    await insertSyncState(testDb.db, 'quota-past', 'albums', { rate_limit_kind: 'quota', rate_limit_hit_at: at(-hours(25)), rate_limit_reset_at: at(-hours(1)) });
    await insertAccount(testDb.db, 'short-ahead', { sync_state: 'running' });
    await insertSyncState(testDb.db, 'short-ahead', 'albums', { rate_limit_kind: 'short', rate_limit_hit_at: at(-1000), rate_limit_reset_at: at(4000) });

    expect((await status('quota-ahead')).body.rateLimit).toMatchObject({ limited: true, kind: 'quota', resetAt: at(hours(2)).toISOString() });
    expect((await status('quota-past')).body.rateLimit).toEqual({ limited: false, kind: null, hitAt: null, resetAt: null });
    expect((await status('short-ahead')).body.rateLimit.limited).toBe(false);
  });

  it('reports an account that needs a new login', async () => {
    await insertAccount(testDb.db, 'revoked', { sync_state: 'needs_reauth', needs_reauth: true, sync_phase: 'albums' });
    const { body } = await status('revoked');
    expect(body).toMatchObject({ state: 'needs_reauth', phase: 'albums', needsLogin: true, eta: null });
  });

  it('reports a complete sync at 100 %, with the incremental and playback summaries', async () => {
    await insertAccount(testDb.db, 'done', { sync_state: 'complete', sync_phase: 'complete' });
    for (const [entity, n] of [
      ['tracks', 3500],
      ['artists', 900],
      ['albums', 1500],
      ['playlists', 40],
      ['savedAlbums', 120],
      ['followedArtists', 60],
      ['savedShows', 4],
      ['savedEpisodes', 9],
      ['savedAudiobooks', 1],
    ] as const) {
      await insertSyncState(testDb.db, 'done', entity, { synced_count: n, total_estimated: n, is_complete: true, completed_at: at(-hours(1)) });
    }
    await insertSyncState(testDb.db, 'done', 'playback', { phase: 'playback', batches: 4, last_updated_at: at(-minutes(12)) });
    await insertPlays(testDb.db, 'done', 5, at(-hours(2)));
    await testDb.db('playback_gaps').insert({ account_id: 'done', gap_start: at(-hours(3)), gap_end: at(-hours(2)) });
    await testDb.db('incremental_runs').insert([
      { account_id: 'done', workflow_id: 'incremental-sync:done:1', started_at: at(-hours(7)), finished_at: at(-hours(7)), outcome: 'completed', result: { newSaves: 1 } },
      {
        account_id: 'done',
        workflow_id: 'incremental-sync:done:2',
        started_at: at(-hours(1)),
        finished_at: at(-minutes(59)),
        outcome: 'completed',
        result: { newSaves: 3, playlistsChanged: 1 },
      },
    ]);

    const { body } = await status('done');
    expect(body.state).toBe('complete');
    expect(body.overallPercent).toBe(100);
    expect(body.eta).toBeNull();
    expect(body.phases.every((p) => p.percent === 100 && p.complete)).toBe(true);
    expect(body.incremental).toEqual({
      lastRunAt: at(-hours(1)).toISOString(),
      nextRunAt: at(hours(5)).toISOString(),
      lastResult: { outcome: 'completed', newSaves: 3, playlistsChanged: 1 },
    });
    expect(body.playback).toEqual({
      lastPolledAt: at(-minutes(12)).toISOString(),
      plays: 5,
      gaps: 1,
      bySource: { poll: 5, extended_export: 0, account_export: 0 },
      paused: false,
      pausedAt: null,
    });
  });

  it('keeps the overall figure in step with the phases: paused after tracks, with three phases of unknown size, it reads 20 %, not 99.9 %', async () => {
    await insertAccount(testDb.db, 'halfway', { sync_state: 'paused', sync_phase: 'artists' });
    await insertSyncState(testDb.db, 'halfway', 'tracks', { synced_count: 3500, total_estimated: 3500, is_complete: true, completed_at: at(-hours(1)) });
    const { body } = await status('halfway');
    expect(body.phases.map((p: { percent: number }) => p.percent)).toEqual([100, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Tracks, artists, albums, playlists and the collections (as one): 100 / 5.
    expect(body.overallPercent).toBe(20);
  });

  it('lists the accounts when several are connected and none is named, and answers for the one named', async () => {
    await insertAccount(testDb.db, 'first', { connected_at: at(-hours(2)), sync_state: 'running' });
    await insertSyncState(testDb.db, 'first', 'tracks', { synced_count: 50, total_estimated: 200 });
    await insertAccount(testDb.db, 'second', { connected_at: at(-hours(1)), display_name: null });
    const list = await status();
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      accounts: [
        // Tracks at 25 %, the other phases not started (size unknown): 25 / 5.
        { accountId: 'first', displayName: 'User first', state: 'running', phase: 'tracks', overallPercent: 5 },
        { accountId: 'second', displayName: null, state: 'not_started', phase: 'tracks', overallPercent: 0 },
      ],
    });
    expect((await status('second')).body).toMatchObject({ accountId: 'second', displayName: null });
  });

  it('answers 404 with a way forward when no account is connected', async () => {
    const { status: code, body } = await status();
    expect(code).toBe(404);
    expect(body).toEqual({
      error: { code: 'no_accounts', message: 'No account connected yet: log in at /auth/login or run npm run cli -- connect' },
    });
  });

  it('answers 404 for an unknown account', async () => {
    await insertAccount(testDb.db, 'known');
    const { status: code, body } = await status('nobody');
    expect(code).toBe(404);
    expect(body).toEqual({ error: { code: 'unknown_account', message: 'No account with id "nobody"; connected: known' } });
  });
});
