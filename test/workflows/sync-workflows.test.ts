import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import {
  incrementalSyncStatusQuery,
  initialSyncStatusQuery,
  pauseSignal,
  reauthorizedSignal,
  resumeSignal,
  type BatchEntity,
  type SyncStateName,
} from '../../workflows/contract.js';
import { incrementalSyncWorkflow } from '../../workflows/incremental-sync.js';
import { initialSyncWorkflow } from '../../workflows/initial-sync.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { timerLengthsMs } from '../helpers/history-timers.js';
import { workflowBundle } from '../../testkit/workflow-bundle.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';

/**
 * The workflows' own logic (pause, the rate-limit wait, re-login, continue-as-new) with scripted
 * activities on the time-skipping server: no Postgres, no Spotify, seconds per test. What the
 * activities decide is tested with them (test/sync/rate-limit-shapes.test.ts); here, what the
 * workflows do with it.
 */

const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;
let testNumber = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const counts = (entity: BatchEntity, outcome: 'progress' | 'done', synced: number): BatchResult => ({
  entity,
  outcome,
  items: outcome === 'progress' ? 10 : 0,
  skipped: 0,
  apiCalls: 1,
  synced,
  total: 30,
});
const rateLimited = (entity: BatchEntity, retryAfterMs: number, kind: 'quota' | 'headerless' = 'quota'): BatchResult => ({
  entity,
  outcome: 'rate_limited',
  items: 0,
  skipped: 0,
  apiCalls: 1,
  synced: 10,
  total: 30,
  retryAfterMs,
  resetAt: new Date(Date.now() + retryAfterMs).toISOString(),
  retryAfterSource: kind === 'quota' ? 'spotify' : 'probe',
  rateLimitKind: kind,
  ...(kind === 'headerless' ? { probe: 1 } : {}),
});
const reauth = (entity: BatchEntity): BatchResult => ({ entity, outcome: 'needs_reauth', items: 0, skipped: 0, apiCalls: 1, synced: 0, total: null });

/** Scripted activities: each phase answers its script in order, then `done`; the calls and recorded states are kept. */
function scripted(scripts: Partial<Record<BatchEntity, BatchResult[]>>) {
  const calls: BatchEntity[] = [];
  const states: SyncStateName[] = [];
  const next = (entity: BatchEntity) => async (): Promise<BatchResult> => {
    calls.push(entity);
    return scripts[entity]?.shift() ?? counts(entity, 'done', 30);
  };
  const activities: Partial<Activities> = {
    syncSavedTracksBatch: next('tracks'),
    syncArtistsBatch: next('artists'),
    syncAlbumsBatch: next('albums'),
    syncPlaylistsBatch: next('playlists'),
    syncCollectionBatch: async (input) => next(input.entity)(),
    syncCollectionIncrementalBatch: async (input) => next(input.entity)(),
    syncNewSavedTracksBatch: next('tracks'),
    recordSyncState: async (input) => void states.push(input.state),
    beginIncrementalRun: async () => ({ runId: 1, skipped: null, reconcileDue: false }),
    finishIncrementalRun: async () => undefined,
    notifyEvent: async () => undefined,
  };
  return { activities, calls, states };
}

async function withWorker<T>(activities: Partial<Activities>, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `workflows-${(testNumber += 1)}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(fn(taskQueue));
}

const startInitial = (taskQueue: string, input: Partial<Parameters<typeof initialSyncWorkflow>[0]> = {}) =>
  env.client.workflow.start(initialSyncWorkflow, {
    taskQueue,
    workflowId: `initial-sync:fast-${testNumber}`,
    args: [{ accountId: `fast-${testNumber}`, activityBudgetMs: 0, ...input }],
  });

/** The states a user saw, in order (a state recorded again, e.g. on a phase change, counts once). */
const transitions = (states: SyncStateName[]) => states.filter((s, i) => s !== states[i - 1]);

/** Polls until `ok`, for up to 60 s of wall time: a loaded CI machine answers queries slowly. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}

describe('initial sync logic (mocked activities, time-skipping server)', () => {
  it('waits out a rate limit on one durable timer of exactly the length the batch returned, then carries on', async () => {
    const script = scripted({ tracks: [counts('tracks', 'progress', 10), rateLimited('tracks', 5 * HOUR)] });
    const started = Date.now();
    const result = await withWorker(script.activities, async (taskQueue) => {
      const handle = await startInitial(taskQueue);
      const live = await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'rate_limited',
      );
      expect(new Date(live.rateLimitedUntil ?? 0).getTime()).toBeGreaterThanOrEqual(started + 5 * HOUR);
      const done = await handle.result();
      expect(timerLengthsMs(await handle.fetchHistory())).toEqual([5 * HOUR]);
      return done;
    });
    expect(result).toMatchObject({ state: 'complete', phase: 'complete', rateLimitedUntil: null });
    expect(transitions(script.states)).toEqual(['running', 'rate_limited', 'running', 'complete']);
    expect(script.calls.filter((c) => c === 'tracks')).toHaveLength(3);
  });

  it('probe-ladder waits follow one another as the batches say them, with no fallback of the workflow', async () => {
    const script = scripted({ artists: [rateLimited('artists', 15 * 60_000, 'headerless'), rateLimited('artists', HOUR, 'headerless')] });
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await startInitial(taskQueue);
      await handle.result();
      expect(timerLengthsMs(await handle.fetchHistory())).toEqual([15 * 60_000, HOUR]);
    });
  });

  it('a pause during the wait shows at once, outlasts the timer, and no batch runs until resume', async () => {
    const script = scripted({ tracks: [rateLimited('tracks', 2 * HOUR)] });
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await startInitial(taskQueue);
      await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'rate_limited',
      );
      await handle.signal(pauseSignal);
      await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      await env.sleep(3 * HOUR);
      const afterTimer = await handle.query(initialSyncStatusQuery);
      expect(afterTimer).toMatchObject({ state: 'paused', paused: true, rateLimitedUntil: null });
      expect(script.calls).toEqual(['tracks']);
      await handle.signal(resumeSignal);
      expect((await handle.result()).state).toBe('complete');
      expect(timerLengthsMs(await handle.fetchHistory())).toEqual([2 * HOUR]);
    });
    expect(transitions(script.states)).toEqual(['running', 'rate_limited', 'paused', 'running', 'complete']);
  });

  it('a revoked login waits for the reauthorized signal, with no timer, then retries the batch', async () => {
    const script = scripted({ albums: [reauth('albums')] });
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await startInitial(taskQueue);
      await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'needs_reauth',
      );
      await env.sleep(48 * HOUR);
      expect((await handle.query(initialSyncStatusQuery)).state).toBe('needs_reauth');
      await handle.signal(reauthorizedSignal);
      expect((await handle.result()).state).toBe('complete');
      expect(timerLengthsMs(await handle.fetchHistory())).toEqual([]);
    });
    expect(script.calls.filter((c) => c === 'albums')).toHaveLength(3); // refused, retried, then the enrichment after playlists
    expect(transitions(script.states)).toEqual(['running', 'needs_reauth', 'running', 'complete']);
  });

  it('continues as new after maxBatchesPerRun batches, carrying progress and counts', async () => {
    const script = scripted({ tracks: [1, 2, 3, 4, 5].map((n) => counts('tracks', 'progress', n * 5)) });
    const result = await withWorker(script.activities, async (taskQueue) => (await startInitial(taskQueue, { maxBatchesPerRun: 2 })).result());
    expect(result.runNumber).toBe(9); // runs of 2 batches: 18 batches in all
    // 5 progress + tracks done + the playlist listing + 11 more steps done (the catalog's, the five collections, the artists of saved albums)
    expect(result.batches).toBe(18);
    expect(result.progress.tracks).toEqual({ synced: 30, total: 30, complete: true });
  });

  it('reads the playlist listing once, right after the saved tracks and before their artists, and the playlists step then reads the items', async () => {
    const listed = { ...counts('playlists', 'done', 0), apiCalls: 1 };
    const script = scripted({ playlists: [listed, counts('playlists', 'progress', 10), counts('playlists', 'done', 30)] });
    const inputs: { listingOnly?: boolean }[] = [];
    const syncPlaylistsBatch = script.activities.syncPlaylistsBatch as NonNullable<Activities['syncPlaylistsBatch']>;
    script.activities.syncPlaylistsBatch = async (input) => {
      inputs.push(input);
      return syncPlaylistsBatch(input);
    };
    const result = await withWorker(script.activities, async (taskQueue) => (await startInitial(taskQueue)).result());
    expect(result.state).toBe('complete');
    expect(script.calls.slice(0, 4)).toEqual(['tracks', 'playlists', 'artists', 'albums']);
    expect(inputs.map((i) => i.listingOnly === true)).toEqual([true, false, false]);
    expect(result.progress.playlists).toEqual({ synced: 30, total: 30, complete: true });
  });
});

describe('a pause sent with the start (before the workflow has run a line)', () => {
  // The signal is delivered while the workflow registers its handlers; it once failed every workflow
  // task from then on ("Cannot access 'control' before initialization"), leaving the run stuck.
  const sentWithTheStart = (taskQueue: string, kind: string) => ({
    taskQueue,
    workflowId: `${kind}:fast-${testNumber}`,
    args: [{ accountId: `fast-${testNumber}` }] as [{ accountId: string }],
    signal: pauseSignal,
  });

  it('the initial sync shows paused, calls nothing, and completes once resumed', async () => {
    const script = scripted({});
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await env.client.workflow.signalWithStart(initialSyncWorkflow, sentWithTheStart(taskQueue, 'initial-sync'));
      const paused = await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      expect(paused).toMatchObject({ paused: true, phase: 'tracks' });
      expect(script.calls).toEqual([]);
      await handle.signal(resumeSignal);
      expect((await handle.result()).state).toBe('complete');
    });
    expect(transitions(script.states)).toEqual(['paused', 'running', 'complete']);
  });

  it('the initial sync resumed while it is still recording the pause shows running again before its first batch', async () => {
    let release: () => void = () => undefined;
    const recorded = new Promise<void>((resolve) => (release = resolve));
    const script = scripted({});
    const statesAtFirstBatch: SyncStateName[] = [];
    const activities: Partial<Activities> = {
      ...script.activities,
      // The pause's state is still being recorded when the resume arrives.
      recordSyncState: async (input) => {
        if (input.state === 'paused') await recorded;
        await script.activities.recordSyncState!(input);
      },
      syncSavedTracksBatch: async (input) => {
        if (statesAtFirstBatch.length === 0) statesAtFirstBatch.push(...script.states);
        return script.activities.syncSavedTracksBatch!(input);
      },
    };
    await withWorker(activities, async (taskQueue) => {
      const handle = await env.client.workflow.signalWithStart(initialSyncWorkflow, sentWithTheStart(taskQueue, 'initial-sync'));
      await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      await handle.signal(resumeSignal);
      await until(
        () => handle.query(initialSyncStatusQuery),
        (s) => !s.paused,
      );
      release();
      expect((await handle.result()).state).toBe('complete');
    });
    expect(transitions(statesAtFirstBatch)).toEqual(['paused', 'running']);
    expect(transitions(script.states)).toEqual(['paused', 'running', 'complete']);
  });

  it('the incremental sync shows paused, calls nothing, and completes once resumed', async () => {
    const script = scripted({});
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await env.client.workflow.signalWithStart(incrementalSyncWorkflow, sentWithTheStart(taskQueue, 'incremental-sync'));
      const paused = await until(
        () => handle.query(incrementalSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      expect(paused).toMatchObject({ paused: true });
      expect(script.calls).toEqual([]);
      await handle.signal(resumeSignal);
      expect((await handle.result()).outcome).toBe('completed');
    });
    expect(script.calls).toContain('playlists');
  });
});

describe('incremental sync logic (mocked activities, time-skipping server)', () => {
  it('its rate-limit wait is the same durable timer, and pausable: paused through the timer, it waits for resume', async () => {
    const script = scripted({ playlists: [rateLimited('playlists', 6 * HOUR)] });
    await withWorker(script.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(incrementalSyncWorkflow, {
        taskQueue,
        workflowId: `incremental-sync:fast-${testNumber}`,
        args: [{ accountId: `fast-${testNumber}` }],
      });
      await until(
        () => handle.query(incrementalSyncStatusQuery),
        (s) => s.state === 'rate_limited',
      );
      await handle.signal(pauseSignal);
      await until(
        () => handle.query(incrementalSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      await env.sleep(7 * HOUR);
      expect(await handle.query(incrementalSyncStatusQuery)).toMatchObject({ state: 'paused', paused: true, step: 'playlists' });
      const callsWhilePaused = script.calls.length;
      await handle.signal(resumeSignal);
      const result = await handle.result();
      expect(result.outcome).toBe('completed');
      expect(script.calls.length).toBeGreaterThan(callsWhilePaused);
      expect(timerLengthsMs(await handle.fetchHistory())).toEqual([6 * HOUR]);
      await recordHistoryFixture(env.client, 'incrementalSyncWorkflow--paused-during-rate-limit-wait', handle.workflowId);
    });
  });

  it('a pause between batches stops it before the next batch until resume', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const script = scripted({});
    const activities: Partial<Activities> = {
      ...script.activities,
      syncNewSavedTracksBatch: async () => {
        await gate;
        return counts('tracks', 'done', 0);
      },
    };
    await withWorker(activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(incrementalSyncWorkflow, {
        taskQueue,
        workflowId: `incremental-sync:fast-${testNumber}`,
        args: [{ accountId: `fast-${testNumber}` }],
      });
      await until(
        () => handle.query(incrementalSyncStatusQuery),
        (s) => s.step === 'tracks',
      );
      await handle.signal(pauseSignal);
      release();
      await until(
        () => handle.query(incrementalSyncStatusQuery),
        (s) => s.state === 'paused',
      );
      expect(script.calls).toEqual([]);
      await handle.signal(resumeSignal);
      expect((await handle.result()).outcome).toBe('completed');
      // Then the rest of the run: playlists and their catalog, then each collection in turn.
      expect(script.calls).toEqual(['playlists', 'artists', 'albums', 'artists', 'savedAlbums', 'followedArtists', 'savedShows', 'savedEpisodes', 'savedAudiobooks']);
    });
  });
});
