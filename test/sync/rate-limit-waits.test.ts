import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { initialSyncStatusQuery, pauseSignal, resumeSignal } from '../../workflows/contract.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { timerLengthsMs } from '../helpers/history-timers.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

const HOUR = 3_600_000;
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

/**
 * A harness on the time-skipping server, with the simulator's clock following the server's. The quota
 * is tiny (15 calls a day) so that the sync meets it many times; the playback poll, which shares it,
 * polls every 6 h here: every 30 min it alone would spend 48 calls a day, and each slot the rolling
 * window frees (24 h after a poll) would go to the next poll, never to the sync's probe.
 */
function timeSkippingHarness(quota: { perDay: number; retryAfterSeconds: number | null }) {
  return createHarness({
    env: { PLAYBACK_POLL_MINUTES: '360' },
    sim: { seed: 17, tracks: 260, playlists: 5, appMode: 'extended', clock: () => env.currentTimeMs(), config: { quota } },
    temporal: { client: env.client, nativeConnection: env.nativeConnection },
  });
}

async function waitForState(h: Harness, accountId: string, state: string) {
  await expect.poll(async () => (await h.db.db('accounts').where({ id: accountId }).first())?.sync_state, { timeout: 60_000, interval: 200 }).toBe(state);
}

describe('quota exhausted mid-sync (time-skipping server)', () => {
  it.each([
    { label: 'no Retry-After: waits the 24 h fallback', retryAfterSeconds: null, expectedWaitMs: 24 * HOUR },
    { label: 'Retry-After of 5 hours: waits exactly that', retryAfterSeconds: 5 * 3600, expectedWaitMs: 5 * HOUR },
  ])('$label, then resumes from the checkpoint and completes with nothing lost or duplicated', async ({ retryAfterSeconds, expectedWaitMs }) => {
    const h = (harness = await timeSkippingHarness({ perDay: 15, retryAfterSeconds }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await waitForState(h, accountId, 'rate_limited');

    const limited = (await h.db.db('sync_state').where({ account_id: accountId, phase: 'initial' }).whereNotNull('rate_limit_reset_at').first())!;
    expect(limited.rate_limit_kind).toBe('quota');
    const waitMs = new Date(limited.rate_limit_reset_at!).getTime() - new Date(limited.rate_limit_hit_at!).getTime();
    expect(waitMs).toBe(expectedWaitMs);
    const savedBefore = Number((await h.db.db('saved_tracks').where({ account_id: accountId }).count({ n: '*' }).first())?.n);
    expect(savedBefore).toBeGreaterThan(0);

    const handle = initialSyncHandle(h.client, accountId);
    const live = await handle.query(initialSyncStatusQuery);
    expect(live.state).toBe('rate_limited');
    expect(live.rateLimitedUntil).not.toBeNull();

    const result = await handle.result();
    expect(result.state).toBe('complete');
    const truth = await h.simRequest<Truth>('/_sim/truth');
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });
    // Every saved-track page was fetched once: offsets never went back.
    const offsets = (await h.db.db('sync_history').where({ account_id: accountId, entity_type: 'tracks' }).orderBy('id').pluck('checkpoint_offset')) as number[];
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    // The first wait is exactly what Spotify said; it taught the quota. Later windows stop at the wall before
    // Spotify refuses and wait until the window is free again, never beyond a day. (The playback workflow's
    // polls meet the spent quota every 6 h here: they are not held at the wall, so this test does not
    // count calls past it; test/sync/eta-under-quota.test.ts does, without playback.)
    const timers = timerLengthsMs(await handle.fetchHistory());
    expect(timers.length).toBeGreaterThan(0);
    expect(timers[0]).toBe(expectedWaitMs);
    for (const ms of timers) expect(ms).toBeLessThanOrEqual(24 * HOUR + 60_000);
    const learned = (await h.db.db('spotify_app_quota').first())!;
    // Learned (the quota rolls: a window whose calls spread out may hold more than 15 without a 429, and a
    // figure not confirmed follows what a window reached).
    expect(learned.calls_per_window).toBeGreaterThan(0);
    await recordHistoryFixture(h.client, `initialSyncWorkflow--quota-wait-${retryAfterSeconds === null ? 'fallback' : 'retry-after'}`, initialSyncWorkflowId(accountId));
  });

  it('pauses and resumes during a rate-limit wait; the status query and Postgres follow', async () => {
    const h = (harness = await timeSkippingHarness({ perDay: 15, retryAfterSeconds: null }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await waitForState(h, accountId, 'rate_limited');
    const handle = initialSyncHandle(h.client, accountId);

    await handle.signal(pauseSignal);
    await waitForState(h, accountId, 'paused');
    expect((await handle.query(initialSyncStatusQuery)).paused).toBe(true);
    await handle.signal(resumeSignal);
    await waitForState(h, accountId, 'rate_limited');
    expect((await handle.query(initialSyncStatusQuery)).state).toBe('rate_limited');

    // Paused when the wait ends: it stays paused until resumed.
    await handle.signal(pauseSignal);
    await waitForState(h, accountId, 'paused');
    await env.sleep(25 * HOUR);
    const afterWait = await handle.query(initialSyncStatusQuery);
    expect(afterWait).toMatchObject({ state: 'paused', paused: true });
    await handle.signal(resumeSignal);
    const result = await handle.result();
    expect(result.state).toBe('complete');
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--paused-during-quota-wait', initialSyncWorkflowId(accountId));
  });
});
