import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../config/load-config.js';
import { initialSyncWorkflowId, playbackWorkflowId } from '../ids.js';
import { accountIdKey, accountSignals, syncPhaseKey, syncStateKey, type AccountSignal } from '../../workflows/contract.js';
import { initialSyncWorkflow, type InitialSyncInput } from '../../workflows/initial-sync.js';
import { playbackWorkflow } from '../../workflows/playback.js';
import { ensureIncrementalSchedule } from './incremental-schedule.js';

export interface WorkflowControlDeps {
  client: Client;
  config: Config;
  /** False on a Temporal server without Schedules (the time-skipping test server). */
  schedules?: boolean;
}

export type { AccountSignal } from '../../workflows/contract.js';

function searchAttributes(accountId: string, phase: string, state: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: accountIdKey, value: accountId },
    { key: syncPhaseKey, value: phase },
    { key: syncStateKey, value: state },
  ]);
}

async function startIfAbsent(start: () => Promise<unknown>): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/**
 * Starts what an account needs, idempotently: the initial sync (once; again only if it failed), the
 * playback workflow (whenever it is not running) and the incremental schedule. Connecting twice starts
 * nothing twice. Workflows already waiting for a new login get the `reauthorized` signal.
 */
export async function startAccountWorkflows(
  deps: WorkflowControlDeps,
  accountId: string,
  options: { initialSync?: Partial<InitialSyncInput> } = {},
): Promise<{ initialSyncStarted: boolean; playbackStarted: boolean; scheduleCreated: boolean }> {
  const { client, config } = deps;
  const taskQueue = config.temporal.taskQueue;
  const initialSyncStarted = await startIfAbsent(() =>
    client.workflow.start(initialSyncWorkflow, {
      taskQueue,
      workflowId: initialSyncWorkflowId(accountId),
      args: [{ accountId, maxBatchesPerRun: config.sync.maxBatchesPerRun, ...options.initialSync }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: searchAttributes(accountId, 'tracks', 'running'),
    }),
  );
  const playbackStarted = await startIfAbsent(() =>
    client.workflow.start(playbackWorkflow, {
      taskQueue,
      workflowId: playbackWorkflowId(accountId),
      args: [{ accountId }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: searchAttributes(accountId, 'playback', 'running'),
    }),
  );
  const scheduleCreated = deps.schedules === false ? false : await ensureIncrementalSchedule(deps, accountId);
  if (!initialSyncStarted || !playbackStarted) await signalAccountWorkflows(deps, accountId, 'reauthorized');
  return { initialSyncStarted, playbackStarted, scheduleCreated };
}

/** Sends a signal to the account's running initial sync and playback workflows; returns who got it. */
export async function signalAccountWorkflows(deps: WorkflowControlDeps, accountId: string, signal: AccountSignal): Promise<string[]> {
  const delivered: string[] = [];
  for (const workflowId of [initialSyncWorkflowId(accountId), playbackWorkflowId(accountId)]) {
    try {
      const handle = deps.client.workflow.getHandle(workflowId);
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') continue;
      await handle.signal(accountSignals[signal]);
      delivered.push(workflowId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) continue;
      throw error;
    }
  }
  return delivered;
}

/** Ends the account's running initial sync, if any. */
export async function terminateInitialSync(deps: WorkflowControlDeps, accountId: string): Promise<void> {
  const handle = deps.client.workflow.getHandle(initialSyncWorkflowId(accountId));
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') await handle.terminate('reset requested');
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Starts a new initial sync run under the account's workflow id (after a reset). */
export async function startInitialSync(deps: WorkflowControlDeps, accountId: string): Promise<void> {
  await deps.client.workflow.start(initialSyncWorkflow, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: initialSyncWorkflowId(accountId),
    args: [{ accountId, maxBatchesPerRun: deps.config.sync.maxBatchesPerRun }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: searchAttributes(accountId, 'tracks', 'running'),
  });
}

/** The account's initial sync, typed: its `result()` and `status` query answer InitialSyncStatus. */
export function initialSyncHandle(client: Client, accountId: string) {
  return client.workflow.getHandle<typeof initialSyncWorkflow>(initialSyncWorkflowId(accountId));
}

/** The account's playback workflow, typed. */
export function playbackHandle(client: Client, accountId: string) {
  return client.workflow.getHandle<typeof playbackWorkflow>(playbackWorkflowId(accountId));
}
