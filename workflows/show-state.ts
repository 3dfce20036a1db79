import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { RateLimitedResult } from './batch-result.js';
import { syncPhaseKey, syncStateKey, type SyncStateName } from './contract.js';
import { formatUtc } from './format.js';

/** Shows a workflow's state where Temporal shows it: the `SyncPhase`/`SyncState` search attributes and the UI details. */
export function showState(phase: string, state: SyncStateName, details: string): void {
  upsertSearchAttributes([
    { key: syncPhaseKey, value: phase },
    { key: syncStateKey, value: state },
  ]);
  setCurrentDetails(details);
}

/** The wait as the UI details and the logs say it, e.g. `rate-limited until 2026-01-07 08:00 UTC (daily quota)`. */
export function rateLimitedText(untilMs: number, result?: Pick<RateLimitedResult, 'rateLimitKind' | 'retryAfterSource' | 'probe'>): string {
  return `rate-limited until ${formatUtc(untilMs)}${result ? ` (${rateLimitCase(result)})` : ''}`;
}

/** Which case of the rate-limit policy a wait is. */
export function rateLimitCase(result: Pick<RateLimitedResult, 'rateLimitKind' | 'retryAfterSource' | 'probe'>): string {
  if (result.rateLimitKind === 'headerless') return `no Retry-After: probe ${result.probe ?? 1} after this wait`;
  if (result.retryAfterSource === 'fallback') return 'daily quota, Spotify gave no Retry-After';
  return 'daily quota';
}
