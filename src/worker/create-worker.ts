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

export async function createSyncWorker(deps: SyncWorkerDeps): Promise<Worker> {
  const { connection, config, workflowBundle, options, ...activityDeps } = deps;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : workflowSource()),
    activities: createActivities({ ...activityDeps, config }),
    // Many accounts at once: batches are I/O bound.
    maxConcurrentActivityTaskExecutions: 20,
    ...options,
  });
}
