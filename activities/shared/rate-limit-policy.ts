import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { SHORT_RATE_LIMIT_MAX_SECONDS, type SpotifyRateLimitError } from '../../src/spotify/errors.js';
import type { BatchResult, RateLimitWait } from '../../workflows/batch-result.js';
import type { RateLimitKind } from '../../workflows/contract.js';
import type { ActivityDeps } from './deps.js';
import { loadRateLimitStreak, recordRateLimitWait, type SyncStateKey } from '../store/sync-state-store.js';

/**
 * The one rate-limit policy of the sync. A 429 arrives classified by what it says (`rateLimitError`, src/spotify/errors.ts):
 *
 * - `short` (Retry-After of at most a minute): retried in place, after exactly that (`nextRetryDelay`);
 * - `quota` (`QUOTA_EXCEEDED`, or a longer Retry-After): a durable wait in the workflow, as long as the
 *   Retry-After, or RATE_LIMIT_FALLBACK_HOURS when the quota answer gives none;
 * - `headerless` (neither): retried in place with growing delays for a few minutes
 *   (HEADERLESS_RETRY_DELAYS_S), then durable waits of 15 min, 1 h, 4 h, ... (×4 each, at most
 *   RATE_LIMIT_FALLBACK_HOURS). Each wait ends with the batch's first call, a single probe: if it meets
 *   another such 429 the next rung follows at once; any committed batch ends the streak.
 */

/** Delays (s) of the in-place retries of a headerless 429, about four and a half minutes in all. */
export const HEADERLESS_RETRY_DELAYS_S = [5, 10, 20, 40, 80, 120] as const;
/** The first durable wait of the probe ladder; each further one is PROBE_LADDER_FACTOR times longer. */
export const FIRST_PROBE_WAIT_MS = 15 * 60_000;
export const PROBE_LADDER_FACTOR = 4;

export type RateLimitDecision =
  | { action: 'retry'; kind: RateLimitKind; delaySeconds: number; streak: number }
  | { action: 'wait'; kind: Exclude<RateLimitKind, 'short'>; waitMs: number; source: RateLimitWait['retryAfterSource']; probe?: number; streak: number };

/**
 * What to do about a 429 (pure). `streak` is the number of headerless 429s met in a row before this one
 * (sync_state.rate_limit_streak), so the probe ladder carries on across attempts and activities.
 */
export function decideRateLimit(error: Pick<SpotifyRateLimitError, 'kind' | 'retryAfterSeconds'>, streak: number, fallbackHours: number): RateLimitDecision {
  const fallbackMs = fallbackHours * 3_600_000;
  const seconds = error.retryAfterSeconds;
  if (error.kind === 'short' && seconds !== null && seconds <= SHORT_RATE_LIMIT_MAX_SECONDS) {
    return { action: 'retry', kind: 'short', delaySeconds: Math.max(1, seconds), streak };
  }
  if (error.kind === 'headerless') {
    const next = streak + 1;
    const inPlace = HEADERLESS_RETRY_DELAYS_S[next - 1];
    if (inPlace !== undefined) return { action: 'retry', kind: 'headerless', delaySeconds: inPlace, streak: next };
    const probe = next - HEADERLESS_RETRY_DELAYS_S.length;
    const waitMs = Math.min(FIRST_PROBE_WAIT_MS * PROBE_LADDER_FACTOR ** (probe - 1), fallbackMs);
    return { action: 'wait', kind: 'headerless', waitMs, source: 'probe', probe, streak: next };
  }
  if (seconds !== null) return { action: 'wait', kind: 'quota', waitMs: seconds * 1000, source: 'spotify', streak };
  return { action: 'wait', kind: 'quota', waitMs: fallbackMs, source: 'fallback', streak };
}

/** The failure that makes the activity's retry policy wait `seconds` before the next attempt (`nextRetryDelay`). */
export function rateLimitRetryFailure(where: string, kind: RateLimitKind, seconds: number): ApplicationFailure {
  const what = kind === 'short' ? 'Spotify rate limit (30 s window)' : 'Spotify rate limit without Retry-After';
  return ApplicationFailure.create({
    type: 'SpotifyRateLimited',
    message: `${what} ${where}: retrying in ${seconds} s`,
    nextRetryDelay: Math.max(1, seconds) * 1000,
  });
}

/**
 * Settles a 429 met by a batch (after what it fetched was committed): records it on the checkpoint
 * row for the status API, then throws the in-place retry, or returns the durable wait for the workflow.
 */
export async function settleRateLimit(deps: ActivityDeps, key: SyncStateKey, error: SpotifyRateLimitError, base: Omit<BatchResult, 'outcome'>, now: Date): Promise<BatchResult> {
  // A batch that committed before this 429 has already ended the previous streak.
  const streakBefore = await loadRateLimitStreak(deps.db, key);
  const decision = decideRateLimit(error, streakBefore, deps.config.sync.rateLimitFallbackHours);
  const waitMs = decision.action === 'retry' ? decision.delaySeconds * 1000 : decision.waitMs;
  const resetAt = new Date(now.getTime() + waitMs);
  await recordRateLimitWait(deps.db, key, { at: now, resetAt, kind: decision.kind, streak: decision.streak });
  const fields = { entity: key.entity, endpoint: error.endpoint, kind: decision.kind, retryAfterSeconds: error.retryAfterSeconds, attempt: attemptOf() };
  if (decision.action === 'retry') {
    log.info(`${describe(decision.kind)}: retrying in place in ${decision.delaySeconds} s`, fields);
    throw rateLimitRetryFailure(`on ${error.endpoint}`, decision.kind, decision.delaySeconds);
  }
  const probe = decision.probe === undefined ? '' : `, then one probing call (wait ${decision.probe} of the ladder)`;
  log.warn(`${describe(decision.kind)}: waiting until ${resetAt.toISOString()}${probe}`, { ...fields, resetAt: resetAt.toISOString() });
  return {
    ...base,
    outcome: 'rate_limited',
    retryAfterMs: waitMs,
    resetAt: resetAt.toISOString(),
    retryAfterSource: decision.source,
    rateLimitKind: decision.kind,
    ...(decision.probe === undefined ? {} : { probe: decision.probe }),
  };
}

function describe(kind: RateLimitKind): string {
  if (kind === 'short') return 'Spotify rate limit (30 s window)';
  if (kind === 'quota') return 'Spotify quota exhausted';
  return 'Spotify rate limit without Retry-After or reason';
}

function attemptOf(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined; // outside an activity (the benchmark's plain loop)
  }
}
