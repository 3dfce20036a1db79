import type { Db } from '../../src/db/connect.js';
import { countCalls, emptyQuotaWindow, isWallProbe, learnFromQuota429, markWallProbe, quotaWall, type QuotaWindow } from '../../src/quota/quota-window.js';
import { countAppQuotaCalls, learnAppQuota, loadAppQuota, markAppWallProbe } from '../../src/quota/app-quota-store.js';

/**
 * One Spotify app's quota as this worker sees it: what Postgres holds (every worker of the app counts
 * into it), plus this worker's calls not written yet and those on their way. Once the quota is known,
 * a call that would only meet it is not sent (`quotaWall`); the sync waits for the window to be free and
 * its first call then probes. A figure not confirmed yet gets one call past it per window (`isWallProbe`).
 */
export class AppQuota {
  private view: QuotaWindow = emptyQuotaWindow;
  private readonly loaded: Promise<void>;
  private pending: { n: number; first: number; last: number } | null = null;
  private reserved = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private flushScheduled = false;

  constructor(
    private readonly db: Db,
    private readonly clientId: string,
    private readonly clock: () => number | Promise<number>,
    private readonly fallbackMs: number,
  ) {
    // Without its row (Postgres down for a moment) the quota starts unknown, as for a new app.
    this.loaded = loadAppQuota(db, clientId).then(
      (q) => void (this.view = q),
      () => undefined,
    );
  }

  /** The last reading of Spotify's clock, and the real time it was read at: `now()` goes on from it. */
  private reading = { at: Date.now(), real: Date.now() };

  private now(): number {
    return this.reading.at + (Date.now() - this.reading.real);
  }

  /**
   * Before a call: null when it may go (it is then reserved until `settle`), else how long until the
   * quota is free again (ms).
   */
  async reserve(): Promise<number | null> {
    await this.loaded;
    this.reading = { at: await this.clock(), real: Date.now() };
    const now = this.now();
    const wall = quotaWall(this.view, now, this.fallbackMs, this.reserved);
    if (wall !== null) return Math.max(0, wall - now);
    if (isWallProbe(this.view, now, this.fallbackMs)) {
      // The window's one call past a figure not confirmed yet: every worker of the app sees it.
      this.view = markWallProbe(this.view, now);
      this.enqueue(async () => {
        await this.flush();
        this.view = keepLocal(await markAppWallProbe(this.db, this.clientId, now), this.view);
      });
    }
    this.reserved += 1;
    return null;
  }

  /** After a reserved call: `ok` counts it; a quota 429 teaches the quota. */
  settle(outcome: { kind: 'ok' } | { kind: 'quota'; retryAfterSeconds: number | null } | { kind: 'other' }): void {
    this.reserved = Math.max(0, this.reserved - 1);
    const at = this.now();
    if (outcome.kind === 'ok') {
      this.view = countCalls(this.view, 1, at, at, this.fallbackMs);
      this.pending = this.pending ? { n: this.pending.n + 1, first: this.pending.first, last: at } : { n: 1, first: at, last: at };
      this.scheduleFlush();
      return;
    }
    if (outcome.kind !== 'quota') return;
    this.view = learnFromQuota429(this.view, at, outcome.retryAfterSeconds, this.fallbackMs);
    this.enqueue(async () => {
      await this.flush();
      this.view = keepLocal(await learnAppQuota(this.db, this.clientId, at, outcome.retryAfterSeconds, this.fallbackMs), this.view);
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.enqueue(async () => {
      this.flushScheduled = false;
      await this.flush();
    });
  }

  /** Writes this worker's counted calls; the row that comes back has every worker's. */
  private async flush(): Promise<void> {
    const calls = this.pending;
    if (!calls) return;
    this.pending = null;
    const merged = keepLocal(await countAppQuotaCalls(this.db, this.clientId, calls, this.fallbackMs), this.view);
    // Calls counted while the row was written are not in it yet.
    const since = this.pending as { n: number; first: number; last: number } | null;
    this.view = since ? countCalls(merged, since.n, since.first, since.last, this.fallbackMs) : merged;
  }

  private enqueue(work: () => Promise<void>): void {
    // Keeping count is a courtesy to the ETA and the next window; it must never fail a call.
    this.chain = this.chain.then(work).catch(() => undefined);
  }
}

/**
 * The row as written, with what this worker learned or marked before its own write of it got there (a
 * 429, the window's call past the figure): the gate must not forget them in between.
 */
function keepLocal(row: QuotaWindow, local: QuotaWindow): QuotaWindow {
  const learnedHere = local.learnedAt !== null && (row.learnedAt === null || local.learnedAt > row.learnedAt);
  const learned = learnedHere ? { callsPerWindow: local.callsPerWindow, windowMs: local.windowMs, confirmed: local.confirmed, learnedAt: local.learnedAt } : {};
  const wallProbeAt = Math.max(row.wallProbeAt ?? -Infinity, local.wallProbeAt ?? -Infinity);
  return { ...row, ...learned, wallProbeAt: Number.isFinite(wallProbeAt) ? wallProbeAt : null };
}
