import { type Client, isGrpcServiceError, ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { incrementalSyncScheduleId, initialSyncWorkflowId, playbackWorkflowId } from '../ids.js';
import { startInitialSyncWorkflow, startPlaybackWorkflow, type WorkflowControlDeps } from '../temporal/workflow-control.js';
import { accountSignals, type AccountSignal } from '../../workflows/contract.js';
import type { initialSyncWorkflow, InitialSyncInput } from '../../workflows/initial-sync.js';
import type { playbackWorkflow } from '../../workflows/playback.js';
import { ensureIncrementalSchedule } from './incremental-schedule.js';

export type { AccountSignal } from '../../workflows/contract.js';

async function startIfAbsent(start: () => Promise<unknown>): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/** What Postgres holds of an account when it connects: the truth the workflows follow. */
export interface MirrorState {
  /** The account row existed before this connect (false after the database was recreated). */
  known: boolean;
  /** The mirror says its initial sync is complete. */
  complete: boolean;
}

/**
 * Starts what an account needs, idempotently: the initial sync (once; again if it failed, or if the
 * mirror lost what an earlier run wrote), the playback workflow (whenever it is not running) and the
 * incremental schedule. Connecting twice starts nothing twice. Workflows already waiting for a new
 * login get the `reauthorized` signal.
 *
 * The mirror is the truth: after the database was recreated or restored from an older backup, a
 * completed `initial-sync:<id>` run must not block a new one, and a running one carries progress the
 * database no longer has, so it is replaced by a fresh run.
 */
export async function startAccountWorkflows(
  deps: WorkflowControlDeps,
  accountId: string,
  options: { initialSync?: Partial<InitialSyncInput>; mirror?: MirrorState } = {},
): Promise<{ initialSyncStarted: boolean; playbackStarted: boolean; scheduleCreated: boolean }> {
  const input = options.initialSync;
  let initialSyncStarted = await startIfAbsent(() => startInitialSyncWorkflow(deps, accountId, { input }));
  if (!initialSyncStarted && options.mirror && (await mirrorBehindInitialSync(deps, accountId, options.mirror))) {
    await terminateInitialSync(deps, accountId, "the database lost this sync's progress: starting over from what it holds");
    await startInitialSyncWorkflow(deps, accountId, { input, reuse: WorkflowIdReusePolicy.ALLOW_DUPLICATE });
    initialSyncStarted = true;
  }
  const playbackStarted = await startIfAbsent(() => startPlaybackWorkflow(deps, accountId));
  const scheduleCreated = deps.schedules === false ? false : await ensureIncrementalSchedule(deps, accountId);
  if (!initialSyncStarted || !playbackStarted) await signalAccountWorkflows(deps, accountId, 'reauthorized');
  return { initialSyncStarted, playbackStarted, scheduleCreated };
}

/** Ids of the account's incremental runs in progress (none on a server without Schedules). */
async function runningIncrementalRuns(deps: WorkflowControlDeps, accountId: string): Promise<string[]> {
  if (deps.schedules === false) return [];
  try {
    const description = await deps.client.schedule.getHandle(incrementalSyncScheduleId(accountId)).describe();
    return description.info.runningActions.map((action) => action.workflow.workflowId);
  } catch (error) {
    const unimplemented = 12;
    if (error instanceof ScheduleNotFoundError || (isGrpcServiceError(error) && error.code === unimplemented)) return [];
    throw error;
  }
}

/**
 * Whether the existing initial-sync run knows more than the mirror: it completed while the mirror is
 * not complete, or it runs for an account the database did not know (recreated under it).
 */
async function mirrorBehindInitialSync(deps: WorkflowControlDeps, accountId: string, mirror: MirrorState): Promise<boolean> {
  try {
    const description = await deps.client.workflow.getHandle(initialSyncWorkflowId(accountId)).describe();
    const status = description.status.name;
    if (status === 'COMPLETED') return !mirror.complete;
    if (status === 'RUNNING') return !mirror.known;
    return false;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** Which of an account's workflows a control reaches: the sync's (initial and incremental), playback tracking, or all. */
export type ControlTarget = 'all' | 'sync' | 'playback';

/** Sends a signal to the account's running initial sync, playback and incremental workflows (those of `target`); returns who got it. */
export async function signalAccountWorkflows(deps: WorkflowControlDeps, accountId: string, signal: AccountSignal, target: ControlTarget = 'all'): Promise<string[]> {
  const delivered: string[] = [];
  const sync = target === 'playback' ? [] : [initialSyncWorkflowId(accountId), ...(await runningIncrementalRuns(deps, accountId))];
  const playback = target === 'sync' ? [] : [playbackWorkflowId(accountId)];
  for (const workflowId of [...sync, ...playback]) {
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
export async function terminateInitialSync(deps: WorkflowControlDeps, accountId: string, reason = 'reset requested'): Promise<void> {
  const handle = deps.client.workflow.getHandle(initialSyncWorkflowId(accountId));
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') await handle.terminate(reason);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Starts a new initial sync run under the account's workflow id (after a reset). */
export async function startInitialSync(deps: WorkflowControlDeps, accountId: string): Promise<void> {
  await startInitialSyncWorkflow(deps, accountId, { reuse: WorkflowIdReusePolicy.ALLOW_DUPLICATE });
}

/** The account's initial sync, typed: its `result()` and `status` query answer InitialSyncStatus. */
export function initialSyncHandle(client: Client, accountId: string) {
  return client.workflow.getHandle<typeof initialSyncWorkflow>(initialSyncWorkflowId(accountId));
}

/** The account's playback workflow, typed. */
export function playbackHandle(client: Client, accountId: string) {
  return client.workflow.getHandle<typeof playbackWorkflow>(playbackWorkflowId(accountId));
}
