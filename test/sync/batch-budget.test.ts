import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount } from '../../src/accounts/connect-account.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import { createActivities } from '../../activities/index.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { recordHistoryFixture } from '../helpers/history-fixtures.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

interface Stats {
  requests: { total: number; rateLimited: number };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The activities scheduled in a workflow's history (all runs are one here), by activity type. */
async function scheduledActivities(h: Harness, workflowId: string): Promise<Record<string, number>> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  const counts: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

const trackBatches = async (h: Harness, accountId: string) =>
  (await h.db.db('sync_history').where({ account_id: accountId, entity_type: 'tracks' }).orderBy('id').pluck('checkpoint_offset')) as number[];

describe('several quick batches in one activity', () => {
  it('shares the Temporal round-trips but still commits every batch with its own checkpoint', async () => {
    const h = (harness = await createHarness({ sim: { seed: 5, tracks: 1_000, playlists: 4, appMode: 'extended' } }));
    await h.startWorker();
    // Batches of 50 saved tracks: one page each, 20 for the library.
    const { accountId } = await h.connect(undefined, { batchSize: 50 });
    const result = await initialSyncHandle(h.client, accountId).result();
    expect(result.state).toBe('complete');

    const offsets = await trackBatches(h, accountId);
    expect(offsets).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 50));
    const activities = await scheduledActivities(h, initialSyncWorkflowId(accountId));
    expect(activities.syncSavedTracksBatch).toBeLessThan(20);
    // The workflow counts batches, not activities: every sync_history row is one of its batches.
    const historyRows = Number((await h.db.db('sync_history').where({ account_id: accountId }).count({ n: '*' }).first())?.n);
    expect(result.batches).toBe(historyRows);
    await recordHistoryFixture(h.client, 'initialSyncWorkflow--several-batches-per-activity', initialSyncWorkflowId(accountId));
    const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
  });

  it('runs one batch per activity with a budget of 0', async () => {
    const h = (harness = await createHarness({ sim: { seed: 5, tracks: 300, playlists: 2, appMode: 'extended' } }));
    await h.startWorker();
    const { accountId } = await h.connect(undefined, { batchSize: 50, activityBudgetMs: 0 });
    const result = await initialSyncHandle(h.client, accountId).result();
    expect(result.state).toBe('complete');
    expect(await trackBatches(h, accountId)).toHaveLength(6);
    expect((await scheduledActivities(h, initialSyncWorkflowId(accountId))).syncSavedTracksBatch).toBe(6);
  });

  it('ends with the batches committed before a short 429, and the next activity waits without calling Spotify', async () => {
    // Pages one at a time, so that which page meets the limit is known (with pages in flight together
    // it depends on which arrives first).
    const h = (harness = await createHarness({ sim: { seed: 6, tracks: 600, playlists: 2, appMode: 'extended' }, env: { SPOTIFY_MAX_CONCURRENCY: '1' } }));
    // Connected with no workflow: the activities are called here, as the worker would call them.
    const noWorkflows = { workflow: { start: async () => undefined } } as unknown as Client;
    const { accountId } = await connectAccount(
      { db: h.db.db, config: h.config, cipher: h.cipher, workflows: async () => ({ client: noWorkflows, config: h.config, schedules: false }) },
      { refreshToken: h.sim.demoRefreshToken },
    );
    const activities = createActivities({ db: h.db.db, config: h.config, cipher: h.cipher });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    // Five calls per 30 s: two batches of two pages, then the third batch's second page meets the limit.
    await h.simRequest('/_sim/config', { body: { rateLimit: { windowSeconds: 30, maxRequests: 5 } } });

    const first = await env.run(() => activities.syncSavedTracksBatch({ accountId, batchSize: 100, budgetMs: 60_000 }));
    expect(first).toMatchObject({ entity: 'tracks', outcome: 'progress', batches: 2, items: 200 });
    // The third batch committed the page it had before the 429; nothing fetched was dropped.
    expect(await trackBatches(h, accountId)).toEqual([100, 200, 250]);
    const stats = await h.simRequest<Stats>('/_sim/stats');
    expect(stats.requests.rateLimited).toBe(1);

    const second = env.run(() => activities.syncSavedTracksBatch({ accountId, batchSize: 100, budgetMs: 60_000 }));
    const failure = await second.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('SpotifyRateLimited');
    expect((failure as ApplicationFailure).nextRetryDelay).toBeTruthy();
    expect((await h.simRequest<Stats>('/_sim/stats')).requests.total).toBe(stats.requests.total);
    expect(await trackBatches(h, accountId)).toEqual([100, 200, 250]);
  });
});
