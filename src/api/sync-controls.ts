import { type ControlTarget, signalAccountWorkflows } from '../accounts/account-workflows.js';
import { resetInitialSync } from '../accounts/reset-account.js';
import { initialSyncWorkflowId, playbackWorkflowId } from '../ids.js';
import { recordPlaybackPaused } from '../accounts/playback-pause.js';
import { recordAuditEvent } from '../household/audit-log.js';
import { actorOf, currentCaller } from './caller.js';
import { resolveControlAccount } from './resolve-account.js';
import type { RouteDeps } from './router.js';

export type { ControlTarget } from '../accounts/account-workflows.js';
export type ControlAction = 'pause' | 'resume' | 'reset';
export const controlActions = ['pause', 'resume', 'reset'] as const satisfies readonly ControlAction[];
export const controlTargets = ['all', 'sync', 'playback'] as const satisfies readonly ControlTarget[];

export interface ControlResult {
  accountId: string;
  action: ControlAction;
  /** The workflows that got the signal (reset: the initial sync it started over). */
  delivered: string[];
}

/**
 * Pause, resume or reset an account's sync: the one home of what the API's controls and the status
 * page's buttons do. The account is the one named, or the only one (several and none named is a 400).
 * `target` narrows pause and resume to the sync's workflows or to playback tracking (the status page
 * controls them apart); the API's controls reach all of them. Whether playback tracking is paused is
 * kept in Postgres, for the status to show.
 */
export async function runControl(deps: RouteDeps, named: string | undefined, action: ControlAction, target: ControlTarget = 'all'): Promise<ControlResult> {
  const { db, config, temporal, now } = deps;
  const accountId = await resolveControlAccount(db, named);
  if (action !== 'reset') {
    const delivered = await temporal.run((client) => signalAccountWorkflows({ client, config }, accountId, action, target));
    if (delivered.includes(playbackWorkflowId(accountId))) await recordPlaybackPaused(db, accountId, action === 'pause' ? now() : null);
    return { accountId, action, delivered };
  }
  const delivered = await temporal.run(async (client) => {
    await resetInitialSync({ client, config }, db, accountId, now());
    return [initialSyncWorkflowId(accountId)];
  });
  deps.logger.info('initial sync reset', { accountId });
  await recordAuditEvent(db, { event: 'reset', accountId, actor: actorOf(await currentCaller()), detail: 'initial sync started over', at: now() });
  return { accountId, action, delivered };
}
