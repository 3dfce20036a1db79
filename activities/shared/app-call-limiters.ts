import type { Db } from '../../src/db/connect.js';
import { AppCallLimiter, type CallGate, type CallLimiterState } from '../../src/spotify/call-limiter.js';
import { loadAppLimits, saveAppLimits } from '../store/app-limits-store.js';

/**
 * One call limiter per Spotify app (client id) for the whole worker: the accounts of an app share its
 * rolling window, so they share its limiter. Each starts from what Postgres kept of the last run and
 * writes back what it learns.
 */
export class AppCallLimiters {
  private readonly limiters = new Map<string, Promise<AppCallLimiter>>();
  private readonly loaded = new Map<string, AppCallLimiter>();

  constructor(
    private readonly db: Db,
    private readonly maxConcurrency: number,
  ) {}

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
      acquire: async () => (await this.forApp(clientId)).acquire(),
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
