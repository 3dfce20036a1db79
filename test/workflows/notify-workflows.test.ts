import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activities, NotifyEventInput } from '../../activities/index.js';
import type { BatchResult } from '../../workflows/batch-result.js';
import { initialSyncStatusQuery, reauthorizedSignal, type BatchEntity } from '../../workflows/contract.js';
import { initialSyncWorkflow } from '../../workflows/initial-sync.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { workflowBundle } from '../../testkit/workflow-bundle.js';

/**
 * Which notifications the workflows raise, and when (scripted activities on the time-skipping server):
 * delivering them once is the activity's part (test/notify/notifications.test.ts).
 */

let env: TestWorkflowEnvironment;
let testNumber = 0;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const done = (entity: BatchEntity): BatchResult => ({ entity, outcome: 'done', items: 0, skipped: 0, apiCalls: 1, synced: 30, total: 30 });
const reauth = (entity: BatchEntity): BatchResult => ({ entity, outcome: 'needs_reauth', items: 0, skipped: 0, apiCalls: 1, synced: 0, total: null });

function scripted(tracks: () => Promise<BatchResult>) {
  const notified: NotifyEventInput[] = [];
  let failNotifications = 0;
  const activities: Partial<Activities> = {
    syncSavedTracksBatch: tracks,
    syncArtistsBatch: async () => done('artists'),
    syncAlbumsBatch: async () => done('albums'),
    syncPlaylistsBatch: async () => done('playlists'),
    syncCollectionBatch: async (input) => done(input.entity),
    recordSyncState: async () => undefined,
    notifyEvent: async (input) => {
      notified.push(input);
      if (failNotifications > 0) {
        failNotifications -= 1;
        throw ApplicationFailure.create({ message: 'target down' });
      }
    },
  };
  return { activities, notified, failNextNotifications: (n: number) => void (failNotifications = n) };
}

async function run<T>(activities: Partial<Activities>, fn: (handle: Awaited<ReturnType<typeof start>>) => Promise<T>): Promise<T> {
  const taskQueue = `notify-workflows-${(testNumber += 1)}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return worker.runUntil(async () => fn(await start(taskQueue)));
}

const start = (taskQueue: string) =>
  env.client.workflow.start(initialSyncWorkflow, {
    taskQueue,
    workflowId: `initial-sync:notify-${testNumber}`,
    args: [{ accountId: `notify-${testNumber}`, activityBudgetMs: 0 }],
  });

describe('notifications raised by the initial sync', () => {
  it('says needs_reauth when the login is refused, and sync_complete once complete (keyed by the run), retrying a failed delivery', async () => {
    const answers = [reauth('tracks'), done('tracks')];
    const script = scripted(async () => answers.shift() ?? done('tracks'));
    script.failNextNotifications(2);
    const { result, firstRunId } = await run(script.activities, async (handle) => {
      const deadline = Date.now() + 60_000; // a loaded CI machine answers queries slowly
      while ((await handle.query(initialSyncStatusQuery)).state !== 'needs_reauth' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await handle.signal(reauthorizedSignal);
      return { result: await handle.result(), firstRunId: handle.firstExecutionRunId };
    });
    expect(result.state).toBe('complete');
    const accountId = `notify-${testNumber}`;
    // The first needs_reauth delivery failed twice and was retried by the activity's policy.
    expect(script.notified).toEqual([
      { accountId, event: 'needs_reauth' },
      { accountId, event: 'needs_reauth' },
      { accountId, event: 'needs_reauth' },
      { accountId, event: 'sync_complete', occasion: firstRunId },
    ]);
  });

  it('says failed when the sync ends in failure, and fails all the same', async () => {
    const script = scripted(async () => {
      throw ApplicationFailure.nonRetryable('the library answered something no retry can fix', 'Broken');
    });
    const outcome = await run(script.activities, (handle) =>
      handle.result().then(
        () => 'completed',
        (error: Error) => error.name,
      ),
    );
    expect(outcome).toBe('WorkflowFailedError');
    expect(script.notified).toEqual([{ accountId: `notify-${testNumber}`, event: 'failed', occasion: expect.stringMatching(/^initialSyncWorkflow /), what: 'initial sync' }]);
  });

  it('never fails the sync when a notification cannot be delivered', async () => {
    const script = scripted(async () => done('tracks'));
    script.failNextNotifications(100);
    const result = await run(script.activities, (handle) => handle.result());
    expect(result.state).toBe('complete');
    expect(script.notified.map((n) => n.event)).toEqual(Array(6).fill('sync_complete'));
  });
});
