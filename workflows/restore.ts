import { log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { restoreStatusQuery, type RestoreState, type RestoreStatus } from './contract.js';
import { useControl } from './control.js';
import { formatCount } from './format.js';
import { summarized } from './summaries.js';
import { waitOutRateLimit } from './rate-limit-wait.js';
import { showState } from './show-state.js';
import { notifyRestoreComplete } from './notify.js';

export interface RestoreInput {
  accountId: string;
  restoreId: string;
}

/**
 * A restore of the time machine (`restore:<accountId>:<restoreId>`): step after step of checkpointed
 * writes (activities/restore/restore-step.ts), through the sync's rate-limit rules and durable waits,
 * pausable, ending with the result read back and compared with the target. Its target and plan are in
 * Postgres (restores), never in the history.
 */
export async function restoreWorkflow(input: RestoreInput): Promise<RestoreStatus> {
  const { accountId, restoreId } = input;
  const { restoreStep } = proxyActivities<Activities>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '15 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  const { recordRestoreState } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' } });
  let state: RestoreState = 'running';
  let progress = { done: 0, total: 0 };
  let apiCalls = 0;
  let verified: boolean | null = null;
  let rateLimitedUntil: number | null = null;

  const status = (): RestoreStatus => ({
    workflow: 'restoreWorkflow',
    accountId,
    restoreId,
    state: control.paused && state === 'running' ? 'paused' : state,
    paused: control.paused,
    progress,
    apiCalls,
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
    verified,
  });
  const enter = async (next: RestoreState) => {
    state = next;
    showState('restore', next === 'needs_scope' ? 'failed' : next, `restore: ${formatCount(progress.done)}/${formatCount(progress.total)} written · ${next.replace('_', ' ')}`);
    await summarized(recordRestoreState, `record state: ${next}`)({ restoreId, state: next });
  };
  const control = useControl<RestoreState>({ name: 'restore', ids: { accountId, restoreId }, enter });
  setHandler(restoreStatusQuery, status);

  showState('restore', 'running', 'restore: starting');
  for (;;) {
    await control.waitWhilePaused();
    const result = await summarized(restoreStep, `restore step · ${formatCount(progress.done)}/${formatCount(progress.total)} written`)({ restoreId });
    progress = { done: result.done, total: result.total };
    apiCalls = result.apiCalls;
    if (result.outcome === 'done') {
      verified = result.verified;
      state = 'complete';
      showState('restore', 'complete', `restore: ${formatCount(progress.done)} written · ${verified ? 'verified' : 'NOT verified'}`);
      await notifyRestoreComplete(accountId, restoreId);
      return status();
    }
    if (result.outcome === 'needs_scope' || result.outcome === 'failed') {
      state = result.outcome;
      showState('restore', 'failed', `restore: ${result.outcome.replace('_', ' ')}`);
      log.warn('restore stopped', { accountId, restoreId, outcome: result.outcome });
      return status();
    }
    if (result.outcome === 'rate_limited') {
      await waitOutRateLimit(result, {
        accountId,
        paused: () => control.paused,
        setRateLimitedUntil: (ms) => void (rateLimitedUntil = ms),
        enter,
        progress: `${progress.done}/${progress.total} written`,
      });
      await control.waitWhilePaused();
      await enter('running');
    } else if (result.outcome === 'needs_reauth') {
      await control.waitForLogin();
    } else if (state !== 'running') {
      await enter('running');
    }
  }
}
