import type { Db } from '../db/connect.js';
import { countCalls, learnFromQuota429, markWallProbe, quotaWindowOf, type QuotaWindow } from './quota-window.js';

const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

export async function loadAppQuota(db: Db, clientId: string): Promise<QuotaWindow> {
  return quotaWindowOf(await db('spotify_app_quota').where({ client_id: clientId }).first());
}

/** Changes an app's quota row under a row lock (several workers count into it), returning what it holds now. */
async function changeAppQuota(db: Db, clientId: string, now: Date, change: (q: QuotaWindow) => QuotaWindow): Promise<QuotaWindow> {
  return db.transaction(async (trx) => {
    await trx('spotify_app_quota').insert({ client_id: clientId, updated_at: now }).onConflict('client_id').ignore();
    const row = await trx('spotify_app_quota').where({ client_id: clientId }).forUpdate().first();
    const next = change(quotaWindowOf(row));
    await trx('spotify_app_quota')
      .where({ client_id: clientId })
      .update({
        calls_per_window: next.callsPerWindow,
        window_seconds: next.windowMs === null ? null : Math.round(next.windowMs / 1000),
        window_started_at: toDate(next.windowStartedAt),
        window_calls: next.windowCalls,
        last_call_at: toDate(next.lastCallAt),
        reset_lag_ms: next.resetLagMs === null ? null : Math.round(next.resetLagMs),
        quota_confirmed: next.confirmed,
        wall_probe_at: toDate(next.wallProbeAt),
        window_span_ms: next.windowSpanMs === null ? null : Math.round(next.windowSpanMs),
        updated_at: now,
        learned_at: toDate(next.learnedAt),
      });
    return next;
  });
}

/** Counts successful calls of the app into its current quota window. */
export function countAppQuotaCalls(db: Db, clientId: string, calls: { n: number; first: number; last: number }, fallbackMs: number): Promise<QuotaWindow> {
  return changeAppQuota(db, clientId, new Date(calls.last), (q) => countCalls(q, calls.n, calls.first, calls.last, fallbackMs));
}

/** Learns from a quota 429 of the app (learnFromQuota429). */
export function learnAppQuota(db: Db, clientId: string, at: number, retryAfterSeconds: number | null, fallbackMs: number): Promise<QuotaWindow> {
  return changeAppQuota(db, clientId, new Date(at), (q) => learnFromQuota429(q, at, retryAfterSeconds, fallbackMs));
}

/** Marks the window's call past an unconfirmed figure, so that every worker of the app sends no other. */
export function markAppWallProbe(db: Db, clientId: string, at: number): Promise<QuotaWindow> {
  return changeAppQuota(db, clientId, new Date(at), (q) => markWallProbe(q, at));
}
