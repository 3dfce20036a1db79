import type { Db } from '../../src/db/connect.js';
import { AppCallLimiter, type CallGate, type CallLimiterState, type CallOutcomeForLimiter, type CallPermit } from '../../src/spotify/call-limiter.js';
import { SpotifyQuotaWallError } from '../../src/spotify/errors.js';
import { SPOTIFY_ENDPOINTS } from '../../src/spotify/client.js';
import { loadAppLimits, saveAppLimits } from '../store/app-limits-store.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppQuota } from './app-quota.js';

/** A quota wait this short (a probe's answer) is waited in place rather than on a durable timer. */
const IN_PLACE_QUOTA_WAIT_MS = 2_000;

/**
 * The playback poll (one call every PLAYBACK_POLL_MINUTES) asks Spotify even at the sync's quota wall:
 * Spotify's quota is a rolling window, so a lone call often gets through while the sync's next batch
 * would not, and each poll that does keeps the last 50 plays. Held back with the sync, the polls of a
 * day under the quota were skipped until the sync had spent the next window as well, and plays older
 * than the last 50 were lost. Its calls stay out of the quota's count: one that gets through where the
 * window is still spent for a batch would otherwise look like a new window and send the sync into it.
 * (The figure the sync learns is what its own calls reached beside the polls.)
 */
const ASKS_PAST_THE_WALL = new Set<string>([SPOTIFY_ENDPOINTS.recentlyPlayed]);

/**
 * One call limiter per Spotify app (client id) for the whole worker: the accounts of an app share its
 * rolling window, so they share its limiter. Each starts from what Postgres kept of the last run and
 * writes back what it learns. In front of it, the app's quota (AppQuota): once known, a call that would
 * only meet it is not sent.
 */
export class AppCallLimiters {
  private readonly limiters = new Map<string, Promise<AppCallLimiter>>();
  private readonly loaded = new Map<string, AppCallLimiter>();
  private readonly quotas = new Map<string, AppQuota>();

  constructor(
    private readonly db: Db,
    private readonly maxConcurrency: number,
    /** The quota's clock (Spotify's time: the simulator's under the time-skipping server) and how long a window lasts until learned. */
    private readonly quota: { now: () => number | Promise<number>; fallbackMs: number } = { now: Date.now, fallbackMs: 24 * 3_600_000 },
  ) {}

  private quotaFor(clientId: string): AppQuota {
    let quota = this.quotas.get(clientId);
    if (!quota) {
      quota = new AppQuota(this.db, clientId, this.quota.now, this.quota.fallbackMs);
      this.quotas.set(clientId, quota);
    }
    return quota;
  }

  forApp(clientId: string): Promise<AppCallLimiter> {
    let limiter = this.limiters.get(clientId);
    if (!limiter) {
      limiter = this.open(clientId);
      this.limiters.set(clientId, limiter);
    }
    return limiter;
  }

  /** A gate for a client created before its limiter has loaded. */
  gateFor(clientId: string): CallGate {
    return {
      acquire: async (endpoint) => {
        const quota = this.quotaFor(clientId);
        if (endpoint !== undefined && ASKS_PAST_THE_WALL.has(endpoint)) return (await this.forApp(clientId)).acquire();
        let permit: CallPermit;
        for (;;) {
          // The quota is asked once the call may start: calls queued behind the limiter when a quota
          // 429 comes back are then held back too.
          permit = await (await this.forApp(clientId)).acquire();
          let waitMs: number | null;
          try {
            waitMs = await quota.reserve();
          } catch (error) {
            permit.release({ kind: 'other' });
            throw error;
          }
          if (waitMs === null) break;
          permit.release({ kind: 'other' });
          // A probe's answer is a moment away: wait for it here; a window that frees later is a durable wait.
          if (waitMs > IN_PLACE_QUOTA_WAIT_MS) throw new SpotifyQuotaWallError(endpoint ?? 'GET /v1', Math.max(0.001, waitMs / 1000));
          await sleep(waitMs);
        }
        return {
          release: (outcome: CallOutcomeForLimiter) => {
            quota.settle(quotaOutcome(outcome));
            permit.release(outcome);
          },
        };
      },
      roundTripMs: () => this.loaded.get(clientId)?.roundTripMs() ?? null,
    };
  }

  private async open(clientId: string): Promise<AppCallLimiter> {
    // Without its row (Postgres down for a moment) the limiter starts from the safe default.
    const row = await loadAppLimits(this.db, clientId).catch(() => undefined);
    const limiter = new AppCallLimiter({
      maxConcurrency: this.maxConcurrency,
      initial: row ? { concurrency: Number(row.concurrency), windowLimit: row.window_limit } : null,
      onChange: (state) => void this.save(clientId, state),
    });
    this.loaded.set(clientId, limiter);
    return limiter;
  }

  private async save(clientId: string, state: CallLimiterState): Promise<void> {
    await saveAppLimits(this.db, clientId, state).catch(() => undefined);
  }
}

function quotaOutcome(outcome: CallOutcomeForLimiter): Parameters<AppQuota['settle']>[0] {
  if (outcome.kind === 'ok') return { kind: 'ok' };
  if (outcome.kind === 'quota_rate_limit') return { kind: 'quota', retryAfterSeconds: outcome.retryAfterSeconds };
  return { kind: 'other' };
}
