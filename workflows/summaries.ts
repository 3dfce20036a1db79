import type { ActivityFunction } from '@temporalio/common';
import type { ActivityFunctionWithOptions } from '@temporalio/workflow';
import type { RateLimitWait } from './batch-result.js';
import type { PhaseProgress } from './contract.js';
import { formatCount, formatUtc } from './format.js';

/*
 * Temporal user metadata: the one-line summary each activity and timer carries in the history, so
 * that the UI's timeline reads "tracks from 4,000 of 10,000" or "quota wait until 2026-12-06 11:00
 * UTC" instead of a column of activity names. Counts, phases, states and ids only: never a name, a
 * title or anything else from a library. The metadata is not part of a command's identity, so
 * histories recorded without it replay unchanged.
 */

/** Calls the activity with a summary (the proxy's options otherwise). */
export function summarized<F extends ActivityFunction>(activity: ActivityFunctionWithOptions<F>, summary: string): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
  return (...args) => activity.executeWithOptions({ summary }, args);
}

/** A batch activity of the initial sync: `tracks from 4,000 of 10,000`, `albums: details, 20 done`. */
export function batchSummary(entity: string, progress: PhaseProgress | undefined, batchSize: number | undefined): string {
  const from = progress?.synced ?? 0;
  const of = progress?.total === null || progress?.total === undefined ? '' : ` of ${formatCount(progress.total)}`;
  const size = batchSize === undefined ? '' : ` · ${formatCount(batchSize)} a batch`;
  return from === 0 ? `${entity}: first batch${of}${size}` : `${entity} from ${formatCount(from)}${of}${size}`;
}

/** The durable wait on a rate limit: `quota wait until 2026-12-06 11:00 UTC`. */
export function rateLimitWaitSummary(result: Pick<RateLimitWait, 'rateLimitKind' | 'retryAfterSource' | 'probe'>, untilMs: number, entity?: string): string {
  const what =
    result.rateLimitKind === 'headerless'
      ? `rate-limit wait (no Retry-After, probe ${result.probe ?? 1})`
      : result.retryAfterSource === 'fallback'
        ? 'quota wait (no Retry-After, fallback)'
        : 'quota wait';
  return `${what} until ${formatUtc(untilMs)}${entity ? ` · then ${entity}` : ''}`;
}
