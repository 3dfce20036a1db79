import { ApplicationFailure, log } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { SyncStateRow } from '../../src/db/rows.js';
import { SpotifyMalformedResponseError, SpotifyRateLimitError, SpotifyTransientError } from '../../src/spotify/errors.js';
import { settleRateLimit } from './rate-limit-policy.js';
import { DEFAULT_CALL_RETRY, NO_CALL_RETRY } from '../../src/spotify/call-retry.js';
import type { BatchCallRetry } from './for-each-retrying.js';
import type { SpotifyClient, SpotifyCallEvent } from '../../src/spotify/client.js';
import { loginProblemOf, recordLoginProblem } from '../../src/accounts/login-status.js';
import { nowOf, type ActivityDeps } from './deps.js';
import { BatchHeartbeat } from './batch-heartbeat.js';
import { openSpotifySession } from './spotify-session.js';
import { commitBatch, recordCalls, recordSyncError, type BatchCommit, type SyncStateKey } from '../store/sync-state-store.js';
import type { BatchResult } from '../../workflows/batch-result.js';

/** The retry delay after an attempt that committed progress before failing (the policy's initial interval). */
export const PROGRESS_RETRY_DELAY_MS = 2_000;

/**
 * One batch activity run: the account's Spotify session, its heartbeats, and the one place where a
 * failed Spotify call turns into a retry, a rate-limit wait or a re-login. Whatever was fetched before
 * a failure is committed first, so no call is ever spent twice.
 */
export class BatchRun<Resume extends object> {
  readonly client: SpotifyClient;
  readonly calls: SpotifyCallEvent[];
  readonly startedAt = Date.now();
  readonly resumed: Resume | undefined;
  /** How the batch retries its calls itself (forEachRetrying), when it was opened with `retriesOwnCalls`. */
  readonly callRetry: BatchCallRetry;
  private readonly beats: BatchHeartbeat<Resume>;

  constructor(
    readonly deps: ActivityDeps,
    readonly key: SyncStateKey,
    /** Identifies the checkpoint this batch starts from; heartbeat details from another start are ignored. */
    checkpointKey: string,
    /** The batch retries its calls itself (so that it need not wait on one): its client does not. */
    options: { retriesOwnCalls?: boolean } = {},
  ) {
    const session = openSpotifySession(deps, key.accountId, options.retriesOwnCalls ? { retry: NO_CALL_RETRY } : {});
    this.client = session.client;
    this.calls = session.calls;
    this.callRetry = { policy: DEFAULT_CALL_RETRY, roundTripMs: () => session.gate.roundTripMs() };
    this.beats = new BatchHeartbeat<Resume>(checkpointKey, key.entity, this.startedAt);
    this.resumed = this.beats.resumed;
  }

  now(): Date {
    return nowOf(this.deps);
  }

  get apiCalls(): number {
    return this.calls.length;
  }

  get durationMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Whether this attempt committed fetched entities (its calls are then counted; see settleFailure). */
  private committed = false;

  /** After every Spotify call: liveness for Temporal, and what to resume from if this attempt dies (BatchHeartbeat). */
  heartbeat(state: Resume | (() => Resume)): void {
    this.beats.beat(state);
  }

  /**
   * Settles a failed call after the partial batch was committed: a 429 goes to the rate-limit policy
   * (retried in place, or a durable wait for the workflow), a revoked login becomes a result the
   * workflow acts on; everything else is thrown for the retry policy.
   */
  async settleFailure(error: unknown, progress: () => Pick<BatchResult, 'synced' | 'total'>): Promise<BatchResult> {
    this.beats.stop();
    const base = { entity: this.key.entity, items: 0, skipped: 0, apiCalls: this.apiCalls, ...progress() };
    const now = this.now();
    // Calls of an attempt that committed nothing still count (metrics, the calls spent under a quota).
    if (!this.committed) await recordCalls(this.deps.db, this.key.accountId, this.calls);
    if (error instanceof SpotifyRateLimitError) return settleRateLimit(this.deps, this.key, error, base, now);
    const loginProblem = loginProblemOf(error);
    if (loginProblem) {
      await recordLoginProblem(this.deps.db, this.key.accountId, loginProblem, now);
      log.warn('Spotify refused the account: waiting for a new login', { accountId: this.key.accountId, problem: loginProblem });
      return { ...base, outcome: 'needs_reauth' };
    }
    const message = describeError(error);
    await recordSyncError(this.deps.db, this.key, message, now).catch(() => undefined);
    const type = error instanceof SpotifyMalformedResponseError ? 'SpotifyMalformedResponse' : error instanceof SpotifyTransientError ? 'SpotifyTransient' : 'SyncBatchError';
    log.warn('batch failed, will retry', { entity: this.key.entity, error: message, committedBeforeFailing: this.committed });
    // An attempt that made progress starts the backoff afresh: the retry policy's delay grows with the
    // attempt count, which would otherwise turn a long run of productive attempts into minutes of waiting.
    const nextRetryDelay = this.committed ? PROGRESS_RETRY_DELAY_MS : undefined;
    throw ApplicationFailure.create({ type, message, cause: error instanceof Error ? error : undefined, ...(nextRetryDelay ? { nextRetryDelay } : {}) });
  }

  /**
   * Commits this batch in one transaction (commitBatch): the rows `writeRows` writes, the checkpoint
   * columns in `state`, a sync_history row with this run's calls and duration, and the call counters.
   * A batch that commits clears the error a failed attempt recorded, and ends a headerless 429 streak.
   */
  commit(
    batch: { now: Date; items: number; skipped?: number; rateLimited: boolean; state: BatchCommit['state'] },
    writeRows: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<SyncStateRow> {
    this.beats.stop();
    this.committed = true;
    return commitBatch(
      this.deps.db,
      {
        key: this.key,
        now: batch.now,
        calls: this.calls,
        history: { items: batch.items, skipped: batch.skipped ?? 0, apiCalls: this.apiCalls, durationMs: this.durationMs, rateLimited: batch.rateLimited },
        state: { ...batch.state, error_message: null, rate_limit_streak: 0 },
      },
      writeRows,
    );
  }
}

export const isRateLimit = (error: unknown): boolean => error instanceof SpotifyRateLimitError;

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
