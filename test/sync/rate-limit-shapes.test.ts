import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { activityAttempts, timerLengthsMs } from '../helpers/history-timers.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let env: TestWorkflowEnvironment;
let harness: Harness | undefined;

beforeEach(async () => {
  env = await createTimeSkippingEnv();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await env?.teardown();
});

interface Shape {
  headers: Record<string, string>;
  body: string;
}
const quotaBody = JSON.stringify({ error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' } });
const shapes = {
  short: { headers: { 'retry-after': '3' }, body: JSON.stringify({ error: { status: 429, message: 'API rate limit exceeded' } }) },
  quota: { headers: { 'retry-after': String(20 * 3600) }, body: quotaBody },
  quotaWithoutRetryAfter: { headers: {}, body: quotaBody },
  headerless: { headers: {}, body: '' },
} satisfies Record<string, Shape>;

/**
 * Spotify in front of the simulator: the first `times` saved-tracks requests after the first page
 * answer the given 429 (as the real service does on a bad day); everything else reaches the simulator.
 */
function spotifyAnswering429(shape: Shape, times: number) {
  let savedTracksCalls = 0;
  let limited = 0;
  const fetch429: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.pathname === '/v1/me/tracks') {
      savedTracksCalls += 1;
      if (savedTracksCalls > 1 && limited < times) {
        limited += 1;
        return new Response(shape.body, { status: 429, headers: { ...shape.headers, ...(shape.body ? { 'content-type': 'application/json' } : {}) } });
      }
    }
    return fetch(input, init);
  };
  return { fetch: fetch429, limited: () => limited };
}

/** Attempt numbers of the activities started after the workflow's first durable timer. */
function attemptsAfterFirstTimer(history: Awaited<ReturnType<ReturnType<typeof initialSyncHandle>['fetchHistory']>>): number[] {
  const events = history.events ?? [];
  const first = events.findIndex((e) => e.timerStartedEventAttributes);
  return activityAttempts({ events: events.slice(first) });
}

async function syncThrough(shape: Shape, times: number, env_: Record<string, string> = {}) {
  const h = (harness = await createHarness({
    sim: { seed: 23, tracks: 120, playlists: 3, appMode: 'extended', clock: () => env.currentTimeMs() },
    env: { SYNC_INITIAL_BATCH_SIZE: '50', ...env_ },
    temporal: { client: env.client, nativeConnection: env.nativeConnection },
  }));
  const spotify = spotifyAnswering429(shape, times);
  await h.startWorker({}, { fetch: spotify.fetch });
  const { accountId } = await h.connect(undefined, { activityBudgetMs: 0 });
  const handle = initialSyncHandle(h.client, accountId);
  const result = await handle.result();
  expect(result.state).toBe('complete');
  expect(spotify.limited()).toBe(times);
  const truth = await h.simRequest<Truth>('/_sim/truth');
  const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, truth);
  expect(mirror).toEqual(expected);
  const history = await handle.fetchHistory();
  const tracksState = (await h.db.db('sync_state').where({ account_id: accountId, entity_type: 'tracks', phase: 'initial' }).first())!;
  return { h, accountId, history, tracksState };
}

describe('each 429 shape takes its own path (time-skipping server, real activities and Postgres)', () => {
  it('a short Retry-After is retried in place after exactly that: no durable timer', async () => {
    const { history, tracksState } = await syncThrough(shapes.short, 2);
    expect(timerLengthsMs(history)).toEqual([]);
    expect(Math.max(...activityAttempts(history))).toBeGreaterThan(1);
    expect(tracksState.rate_limit_kind).toBe('short');
    expect(new Date(tracksState.rate_limit_reset_at!).getTime() - new Date(tracksState.rate_limit_hit_at!).getTime()).toBe(3_000);
  });

  it('QUOTA_EXCEEDED with a Retry-After of 20 h waits exactly 20 h on one durable timer; the one-off 429 does not throttle the windows after', async () => {
    const { h, history, tracksState } = await syncThrough(shapes.quota, 1);
    // The only wait is Spotify's, to the millisecond. The 429 came after a couple of calls (a bad day): the
    // figure it taught is not confirmed, so the next window sends one call past it, which is answered, and
    // the sync goes on in that window instead of waiting 20 h every couple of calls.
    const timers = timerLengthsMs(history);
    expect(timers[0]).toBe(20 * HOUR);
    // At most a few seconds more (the window learned runs from its first call to the last call plus the
    // Retry-After), never another 20 h.
    expect(timers.slice(1).every((ms) => ms < MINUTE)).toBe(true);
    expect(tracksState.rate_limit_kind).toBe('quota');
    const learned = (await h.db.db('spotify_app_quota').first())!;
    expect(learned.quota_confirmed).toBe(false);
    expect(learned.window_calls).toBeGreaterThan(learned.calls_per_window!);
  });

  it('QUOTA_EXCEEDED without Retry-After waits RATE_LIMIT_FALLBACK_HOURS as configured, once', async () => {
    const { history } = await syncThrough(shapes.quotaWithoutRetryAfter, 1, { RATE_LIMIT_FALLBACK_HOURS: '6' });
    // The configured fallback; the figure learned from that one-off 429 recovers in the next window.
    const timers = timerLengthsMs(history);
    expect(timers[0]).toBe(6 * HOUR);
    expect(timers.slice(1).every((ms) => ms < MINUTE)).toBe(true);
  });

  it('no Retry-After and no reason: retried in place for a few minutes, then 15 min, 1 h, 4 h waits, each ended by one probe', async () => {
    // 6 in-place retries, then three probes that meet the same 429, then one that gets through.
    const { h, accountId, history, tracksState } = await syncThrough(shapes.headerless, 9);
    expect(timerLengthsMs(history)).toEqual([15 * MINUTE, HOUR, 4 * HOUR]);
    expect(tracksState.rate_limit_kind).toBe('headerless');
    expect(tracksState.rate_limit_streak).toBe(0); // the batch after the last probe committed
    const calls = (await h.db.db('spotify_calls').where({ account_id: accountId, outcome: 'rate_limited_headerless' }).first())!;
    expect(Number(calls.calls)).toBe(9);
    // Each durable wait ended with a single call, the probe of the next activity: no retries in place
    // once the ladder has begun.
    expect(attemptsAfterFirstTimer(history).every((attempt) => attempt === 1)).toBe(true);
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--headerless-probe-ladder', initialSyncWorkflowId(accountId));
  });

  it('the probe ladder stops growing at RATE_LIMIT_FALLBACK_HOURS', async () => {
    const { history } = await syncThrough(shapes.headerless, 10, { RATE_LIMIT_FALLBACK_HOURS: '2' });
    expect(timerLengthsMs(history)).toEqual([15 * MINUTE, HOUR, 2 * HOUR, 2 * HOUR]);
  });
});
