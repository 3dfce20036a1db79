import type { RateLimitedResult } from './batch-result.js';
import type { IncrementalSyncStatus, SyncStateName } from './contract.js';
import { formatCount } from './format.js';
import { rateLimitedText } from './show-state.js';

/** Where an incremental run stands inside its workflow: what its `status` query and its UI details show. */
export interface IncrementalSyncView {
  accountId: string;
  state: SyncStateName;
  paused: boolean;
  step: IncrementalSyncStatus['step'];
  counts: Record<string, number>;
  apiCalls: number;
  /** Epoch ms, while a rate-limit wait lasts. */
  rateLimitedUntil: number | null;
  /** The wait in progress, for the details to say which case it is. */
  waitingOn: RateLimitedResult | null;
}

/** The `status` query's answer. */
export function incrementalSyncStatus(view: IncrementalSyncView): IncrementalSyncStatus {
  const { accountId, state, paused, step, apiCalls, rateLimitedUntil } = view;
  return {
    workflow: 'incrementalSyncWorkflow',
    accountId,
    state,
    paused,
    step,
    counts: { ...view.counts },
    apiCalls,
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
  };
}

/** The one line the Temporal UI shows for the run, as it enters `next`. */
export function incrementalSyncDetails(view: IncrementalSyncView, next: SyncStateName): string {
  const { step, apiCalls, paused, rateLimitedUntil, waitingOn } = view;
  const parts = [`incremental ${step}`, `${formatCount(apiCalls)} calls`];
  const shown = paused && next === 'running' ? 'paused' : next;
  if (shown === 'rate_limited' && rateLimitedUntil !== null) parts.push(rateLimitedText(rateLimitedUntil, waitingOn ?? undefined));
  else if (shown !== 'running') parts.push(shown.replace('_', ' '));
  return parts.join(' · ');
}
