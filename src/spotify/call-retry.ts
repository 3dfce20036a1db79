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
  /**
   * The wait before the first retry while nothing is known of the service's round trip, and the most
   * it may be; it doubles for each further retry.
   */
  baseDelayMs: number;
  /**
   * Otherwise the first wait is this many round trips of the service as it answers lately (within
   * [minDelayMs, baseDelayMs]): a glitch of a service that answers in 30 ms is over long before one
   * that answers in 300 ms would have answered, and a batch's stragglers should not idle its lanes.
   */
  roundTrips: number;
  minDelayMs: number;
  /** The wait is drawn from [delay × (1 − jitter), delay × (1 + jitter)], so callers do not retry in step. */
  jitter: number;
}

/**
 * Five requests. Against the real service (100–300 ms a call) they are about 0.2, 0.4, 0.8 and 1.6 s
 * apart; four faults in a row at a 10% fault rate are 1 call in 10,000, and then the activity's own
 * retry takes over.
 */
export const DEFAULT_CALL_RETRY: CallRetryPolicy = { attempts: 5, baseDelayMs: 200, roundTrips: 2, minDelayMs: 20, jitter: 0.5 };

export const NO_CALL_RETRY: CallRetryPolicy = { attempts: 1, baseDelayMs: 0, roundTrips: 0, minDelayMs: 0, jitter: 0 };

/** A 401 that outlived a token refresh is transient too, but retrying it at once changes nothing. */
export function isRetriedAtCall(error: unknown): boolean {
  return error instanceof SpotifyMalformedResponseError || (error instanceof SpotifyTransientError && error.reason !== 'unauthorized');
}

/** The wait before retry number `retry` (0 = the first), given the service's round trip (null: unknown). */
export function retryDelayMs(policy: CallRetryPolicy, retry: number, roundTripMs: number | null, random: () => number = Math.random): number {
  const first = roundTripMs === null ? policy.baseDelayMs : Math.min(policy.baseDelayMs, Math.max(policy.minDelayMs, policy.roundTrips * roundTripMs));
  const base = first * 2 ** retry;
  return Math.round(base * (1 - policy.jitter + 2 * policy.jitter * random()));
}

/**
 * Runs `call`, again after a jittered backoff while it fails transiently, at most `policy.attempts`
 * times. `roundTripMs` tells how fast the service answers lately (the app's call gate knows).
 */
export async function withCallRetry<T>(policy: CallRetryPolicy, call: () => Promise<T>, roundTripMs: () => number | null = () => null): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetriedAtCall(error)) throw error;
      await sleep(retryDelayMs(policy, attempt - 1, roundTripMs()));
    }
  }
}
