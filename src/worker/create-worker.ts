import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import type { Config } from '../config/load-config.js';

/** The workflow sources (TypeScript under tsx, JavaScript once built). */
export function workflowsPath(): string {
  const ts = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../../workflows/index.js', import.meta.url));
}

export interface SyncWorkerDeps extends ActivityDeps {
  config: Config;
  connection: NativeConnection;
  /** A pre-built bundle (tests build it once per file); otherwise the worker bundles `workflows/`. */
  workflowBundle?: { code: string };
  options?: Partial<WorkerOptions>;
}

export async function createSyncWorker(deps: SyncWorkerDeps): Promise<Worker> {
  const { connection, config, workflowBundle, options, ...activityDeps } = deps;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: workflowsPath() }),
    activities: createActivities({ ...activityDeps, config }),
    // Many accounts at once: batches are I/O bound.
    maxConcurrentActivityTaskExecutions: 20,
    ...options,
  });
}
