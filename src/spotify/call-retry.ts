import { setTimeout as sleep } from 'node:timers/promises';
import { SpotifyMalformedResponseError, SpotifyTransientError } from './errors.js';

/**
 * Retries at the call for what a bad patch of the service answers (5xx, timeouts, network errors,
 * malformed bodies), before the caller sees the failure: a transient fault then costs a retried
 * request, not a failed activity and its growing backoff. Each retry is a request of its own and is
 * counted like any other.
 */
export interface CallRetryPolicy {
  /** Requests in all, the first one included; 1 = no retry. */
  attempts: number;
  /** The wait before the first retry; it doubles for each further one. */
  baseDelayMs: number;
  /** The wait is drawn from [delay × (1 − jitter), delay × (1 + jitter)], so callers do not retry in step. */
  jitter: number;
}

/** Four requests, about 0.2 s, 0.4 s and 0.8 s apart: enough for a 10% fault rate to cost almost nothing. */
export const DEFAULT_CALL_RETRY: CallRetryPolicy = { attempts: 4, baseDelayMs: 200, jitter: 0.5 };

export const NO_CALL_RETRY: CallRetryPolicy = { attempts: 1, baseDelayMs: 0, jitter: 0 };

/** A 401 that outlived a token refresh is transient too, but retrying it at once changes nothing. */
export function isRetriedAtCall(error: unknown): boolean {
  return error instanceof SpotifyMalformedResponseError || (error instanceof SpotifyTransientError && error.reason !== 'unauthorized');
}

export function retryDelayMs(policy: CallRetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = policy.baseDelayMs * 2 ** retry;
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
}

/** Runs `call`, again after a jittered backoff while it fails transiently, at most `policy.attempts` times. */
export async function withCallRetry<T>(policy: CallRetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetriedAtCall(error)) throw error;
      await sleep(retryDelayMs(policy, attempt - 1));
    }
  }
}
