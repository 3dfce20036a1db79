import type { RateLimitedResult } from './batch-result.js';
import { batchEntities, type BatchEntity, type InitialSyncPhase, type InitialSyncStatus, type PhaseProgress, type SyncStateName } from './contract.js';
import { formatProgress } from './format.js';
import { rateLimitedText } from './show-state.js';

/** Where an initial sync stands inside its workflow: what its `status` query and its UI details show. */
export interface InitialSyncView {
  accountId: string;
  state: SyncStateName;
  phase: InitialSyncPhase;
  paused: boolean;
  progress: Partial<Record<BatchEntity, PhaseProgress>>;
  batches: number;
  apiCalls: number;
  runNumber: number;
  /** Epoch ms, while a rate-limit wait lasts. */
  rateLimitedUntil: number | null;
  /** The wait in progress, for the details to say which case it is. */
  waitingOn: RateLimitedResult | null;
}

/** The `status` query's answer. */
export function initialSyncStatus(view: InitialSyncView): InitialSyncStatus {
  const { accountId, state, phase, paused, progress, batches, apiCalls, rateLimitedUntil, runNumber } = view;
  return {
    workflow: 'initialSyncWorkflow',
    accountId,
    state,
    phase,
    paused,
    progress,
    batches,
    apiCalls,
    rateLimitedUntil: rateLimitedUntil === null ? null : new Date(rateLimitedUntil).toISOString(),
    runNumber,
  };
}

/** The one line the Temporal UI shows for the sync (the workflow's current details). */
export function initialSyncDetails(view: InitialSyncView): string {
  const { progress, paused, state, phase, rateLimitedUntil, waitingOn } = view;
  const parts = batchEntities.filter((e) => progress[e]).map((e) => `${e} ${formatProgress(progress[e]?.synced ?? 0, progress[e]?.total ?? null)}`);
  const shown = paused ? 'paused' : state;
  if (shown === 'rate_limited' && rateLimitedUntil !== null) parts.push(rateLimitedText(rateLimitedUntil, waitingOn ?? undefined));
  else if (shown !== 'running') parts.push(shown.replace('_', ' '));
  return parts.length > 0 ? parts.join(' · ') : `${phase}: starting`;
}
