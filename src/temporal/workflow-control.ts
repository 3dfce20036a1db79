import type { Client, ScheduleOptionsStartWorkflowAction, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../config/load-config.js';
import { historyImportWorkflowId, incrementalSyncScheduleId, initialSyncWorkflowId, playbackWorkflowId, restoreWorkflowId } from '../ids.js';
import { accountIdKey, syncPhaseKey, syncStateKey } from '../../workflows/contract.js';
import { historyImportWorkflow, type HistoryImportInput } from '../../workflows/history-import.js';
import { incrementalSyncWorkflow } from '../../workflows/incremental-sync.js';
import { initialSyncWorkflow, type InitialSyncInput } from '../../workflows/initial-sync.js';
import { playbackWorkflow } from '../../workflows/playback.js';
import { restoreWorkflow, type RestoreInput } from '../../workflows/restore.js';

/**
 * How the client side starts the workflows: the one home of their start options (task queue, id,
 * reuse policy, search attributes), each typed by its workflow function, so the arguments are checked
 * against the workflow's input. Used by src/accounts (connect, reset, the incremental schedule) and
 * src/history-import.
 */

export interface WorkflowControlDeps {
  client: Client;
  config: Config;
  /** False on a Temporal server without Schedules (the time-skipping test server). */
  schedules?: boolean;
}

/** The search attributes every workflow of an account starts with (the Temporal UI filters by them). */
export function searchAttributes(accountId: string, phase: string, state: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: accountIdKey, value: accountId },
    { key: syncPhaseKey, value: phase },
    { key: syncStateKey, value: state },
  ]);
}

/**
 * The account's initial sync: `initial-sync:<accountId>`, started again only after a failure unless
 * the caller says otherwise (a reset, or a mirror that lost the run's progress, starts it anew).
 */
export function startInitialSyncWorkflow(
  deps: WorkflowControlDeps,
  accountId: string,
  options: { input?: Partial<InitialSyncInput>; reuse?: WorkflowIdReusePolicy } = {},
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof initialSyncWorkflow>> {
  return deps.client.workflow.start(initialSyncWorkflow, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: initialSyncWorkflowId(accountId),
    args: [{ accountId, maxBatchesPerRun: deps.config.sync.maxBatchesPerRun, ...options.input }],
    workflowIdReusePolicy: options.reuse ?? WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    typedSearchAttributes: searchAttributes(accountId, 'tracks', 'running'),
    staticSummary: `Initial sync of account ${accountId}: saved tracks, artists, albums, playlists`,
  });
}

/** The account's playback workflow: `playback:<accountId>`, started whenever it is not running. */
export function startPlaybackWorkflow(deps: WorkflowControlDeps, accountId: string): Promise<WorkflowHandleWithFirstExecutionRunId<typeof playbackWorkflow>> {
  return deps.client.workflow.start(playbackWorkflow, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: playbackWorkflowId(accountId),
    args: [{ accountId }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: searchAttributes(accountId, 'playback', 'running'),
    staticSummary: `Recently played tracks of account ${accountId}, polled every ${deps.config.sync.playbackPollMinutes} minutes`,
  });
}

/** What the account's incremental-sync Schedule starts at each interval. */
export function incrementalScheduleAction(deps: WorkflowControlDeps, accountId: string): ScheduleOptionsStartWorkflowAction<typeof incrementalSyncWorkflow> {
  return {
    type: 'startWorkflow',
    workflowType: incrementalSyncWorkflow,
    // The schedule appends the scheduled time, so every run has its own id under this prefix.
    workflowId: incrementalSyncScheduleId(accountId),
    taskQueue: deps.config.temporal.taskQueue,
    args: [{ accountId }],
    typedSearchAttributes: searchAttributes(accountId, 'incremental', 'running'),
  };
}

/** One import of a data export: `history-import:<accountId>:<importId>`, never started twice. */
export function startHistoryImportWorkflow(deps: WorkflowControlDeps, input: HistoryImportInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof historyImportWorkflow>> {
  return deps.client.workflow.start(historyImportWorkflow, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: historyImportWorkflowId(input.accountId, input.importId),
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: searchAttributes(input.accountId, 'import', 'running'),
    staticSummary: `History import ${input.importId} of account ${input.accountId}`,
  });
}

/** One restore of the time machine: `restore:<accountId>:<restoreId>`, never started twice. */
export function startRestoreWorkflow(deps: WorkflowControlDeps, input: RestoreInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof restoreWorkflow>> {
  return deps.client.workflow.start(restoreWorkflow, {
    taskQueue: deps.config.temporal.taskQueue,
    workflowId: restoreWorkflowId(input.accountId, input.restoreId),
    args: [input],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: searchAttributes(input.accountId, 'restore', 'running'),
  });
}
