import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NativeConnection, type State, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import type { Config } from '../config/load-config.js';
import { playbackActivityTaskQueue } from '../../workflows/contract.js';

/** The workflow sources (TypeScript under tsx, JavaScript once built). */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../../workflows/index.js', import.meta.url));
}

/**
 * Where `npm run build` writes the prebuilt workflow bundle: `dist/workflow-bundle.js`, next to the
 * compiled code. Under tsx (development) the path lies outside `dist/` and never exists.
 */
export function prebuiltWorkflowBundlePath(): string {
  return fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));
}

/** The prebuilt bundle when this is the compiled build, else the sources to bundle at start. */
function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = prebuiltWorkflowBundlePath();
  return existsSync(prebuilt) ? { workflowBundle: { codePath: prebuilt } } : { workflowsPath: workflowsPath() };
}

export interface SyncWorkerDeps extends ActivityDeps {
  config: Config;
  connection: NativeConnection;
  /** A bundle built by the caller (tests build one per file); otherwise workflowSource(). */
  workflowBundle?: { code: string };
  options?: Partial<WorkerOptions>;
}

/**
 * The worker of one process: one Temporal worker on the workflows' task queue (workflows and the sync's
 * activities) and one on the playback polls' own queue, so a poll never waits behind a sync's batches.
 * Every process polls both, so several processes share all the work.
 */
export interface SyncWorker {
  /** Runs both until shutdown(); a failure of either stops the other and rejects. */
  run(): Promise<void>;
  shutdown(): void;
  getState(): State;
}

export async function createSyncWorker(deps: SyncWorkerDeps): Promise<SyncWorker> {
  const { connection, config, workflowBundle, options, ...activityDeps } = deps;
  const taskQueue = options?.taskQueue ?? config.temporal.taskQueue;
  const activities = createActivities({ ...activityDeps, config });
  const main = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : workflowSource()),
    activities,
    // Many accounts at once: batches are I/O bound.
    maxConcurrentActivityTaskExecutions: 20,
    ...options,
  });
  const playback = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    ...options,
    taskQueue: playbackActivityTaskQueue(taskQueue),
    activities: { pollRecentlyPlayed: activities.pollRecentlyPlayed },
    maxConcurrentActivityTaskExecutions: 10,
  });
  const workers = [main, playback];
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    async run() {
      const runs = workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          shutdown();
          throw error;
        }),
      );
      const results = await Promise.allSettled(runs);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown,
    getState: () => main.getState(),
  };
}
