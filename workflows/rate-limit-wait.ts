import { condition, log, sleep } from '@temporalio/workflow';
import type { RateLimitWait } from './batch-result.js';
import { formatUtc } from './format.js';
import { rateLimitCase } from './show-state.js';
import { rateLimitWaitSummary } from './summaries.js';

export interface RateLimitWaitHooks {
  accountId: string;
  /** Whether the workflow is paused right now (its pause/resume signals). */
  paused(): boolean;
  /** Keeps the workflow's `rateLimitedUntil` (status query, UI details) current. */
  setRateLimitedUntil(ms: number | null): void;
  /** Shows (and, for the initial sync, records) the state while waiting. */
  enter(state: 'rate_limited' | 'paused'): Promise<void> | void;
  /** Appended to the log line, e.g. what progress is saved. */
  progress?: string;
}

/**
 * The workflows' one rate-limit wait (initial sync, incremental sync, history import): a durable timer of exactly the `retryAfterMs` the batch
 * activity decided on (activities/shared/rate-limit-policy.ts; the workflow has no fallback of its own).
 * A pause or resume during the wait is shown as it happens. Returns when the timer fires, possibly
 * still paused; the caller then waits for resume and runs the batch again (its first call probes).
 */
export async function waitOutRateLimit(result: RateLimitWait & { entity?: string }, hooks: RateLimitWaitHooks): Promise<void> {
  const waitMs = result.retryAfterMs;
  const until = Date.now() + waitMs;
  hooks.setRateLimitedUntil(until);
  log.warn(
    `rate limit hit at ${formatUtc(Date.now())} (${rateLimitCase(result)}), sync paused, will resume at ${formatUtc(until)}` + (hooks.progress ? `, ${hooks.progress}` : ''),
    { accountId: hooks.accountId, entity: result.entity, waitMs, kind: result.rateLimitKind ?? 'quota', probe: result.probe },
  );
  await hooks.enter(hooks.paused() ? 'paused' : 'rate_limited');
  let timerFired = false;
  void sleep(waitMs, { summary: rateLimitWaitSummary(result, until, result.entity) }).then(() => {
    timerFired = true;
  });
  let shownPaused = hooks.paused();
  while (!timerFired) {
    await condition(() => timerFired || hooks.paused() !== shownPaused);
    if (hooks.paused() !== shownPaused) {
      shownPaused = hooks.paused();
      await hooks.enter(shownPaused ? 'paused' : 'rate_limited');
    }
  }
  hooks.setRateLimitedUntil(null);
  log.info('rate-limit wait over, resuming', { accountId: hooks.accountId });
}
