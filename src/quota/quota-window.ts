/**
 * The quota window of a Spotify app (pure rules; the worker's call gate and the status ETA share them).
 *
 * Spotify's development-mode quota counts an app's successful calls over a rolling window (about
 * 24 h). What the sync learns from the quota 429s it meets: how many calls a window holds (the calls it
 * had counted when the 429 came) and how long a call counts (the 429's Retry-After from the first call
 * of the window, else RATE_LIMIT_FALLBACK_HOURS). A window is free again `windowMs` after its last call:
 * every call of it has then left the rolling window, so the next window holds the whole quota.
 */
export interface QuotaWindow {
  /** Successful calls a window holds; null until a quota 429 was met. */
  callsPerWindow: number | null;
  /** How long a call counts against the quota; null until learned. */
  windowMs: number | null;
  /** The first counted call of the window in progress (ms). */
  windowStartedAt: number | null;
  /** Calls counted since then. */
  windowCalls: number;
  /** The latest counted call (ms). */
  lastCallAt: number | null;
  /** How long after the last window was free the next one started (the timer, the probe); null until seen. */
  resetLagMs: number | null;
}

export const emptyQuotaWindow: QuotaWindow = { callsPerWindow: null, windowMs: null, windowStartedAt: null, windowCalls: 0, lastCallAt: null, resetLagMs: null };

/** How long the calls behind a probe wait for its answer before they ask again. */
export const PROBE_ANSWER_MS = 500;

/** Whether the window in progress is over at `now` (everything in it has left the rolling window), so a new one begins. */
export function windowOver(q: QuotaWindow, now: number, fallbackMs: number): boolean {
  if (q.windowStartedAt === null || q.lastCallAt === null) return true;
  const windowMs = q.windowMs ?? fallbackMs;
  return now >= q.lastCallAt + windowMs || (q.windowCalls < (q.callsPerWindow ?? Infinity) && now >= q.windowStartedAt + windowMs);
}

/** The calls left in the window at `now` (the whole quota once it is over); null while the quota is unknown. */
export function callsLeftInWindow(q: QuotaWindow, now: number, fallbackMs: number): number | null {
  if (q.callsPerWindow === null) return null;
  if (windowOver(q, now, fallbackMs)) return q.callsPerWindow;
  return Math.max(0, q.callsPerWindow - q.windowCalls);
}

/**
 * The wall: null while a call may go, else when the quota is free again. `reserved`: calls of this
 * worker already on their way (counted once they succeed).
 */
export function quotaWall(q: QuotaWindow, now: number, fallbackMs: number, reserved = 0): number | null {
  if (q.callsPerWindow === null || q.windowMs === null || q.lastCallAt === null) return null;
  if (windowOver(q, now, fallbackMs)) {
    // After the wall one call probes whether the window is free: the others wait for its answer.
    const afterWall = q.windowCalls >= q.callsPerWindow;
    return reserved >= (afterWall ? 1 : q.callsPerWindow) ? now + PROBE_ANSWER_MS : null;
  }
  if (q.windowCalls + reserved >= q.callsPerWindow) return q.lastCallAt + q.windowMs;
  // A new window starts slowly (as many calls on their way as have succeeded, plus one): should it not
  // be free after all, one call meets the quota rather than every one in flight.
  if (q.windowCalls < q.callsPerWindow && reserved > q.windowCalls) return now + PROBE_ANSWER_MS;
  return null;
}

/** `calls` successful calls, the first at `first` and the last at `last`, counted into the window. */
export function countCalls(q: QuotaWindow, calls: number, first: number, last: number, fallbackMs: number): QuotaWindow {
  if (calls <= 0) return q;
  if (windowOver(q, first, fallbackMs)) {
    const afterWall = q.callsPerWindow !== null && q.windowCalls >= q.callsPerWindow && q.lastCallAt !== null && q.windowMs !== null;
    const resetLagMs = afterWall ? Math.max(0, first - ((q.lastCallAt as number) + (q.windowMs as number))) : q.resetLagMs;
    return { ...q, windowStartedAt: first, windowCalls: calls, lastCallAt: last, resetLagMs };
  }
  return { ...q, windowCalls: q.windowCalls + calls, lastCallAt: Math.max(q.lastCallAt ?? last, last) };
}

/**
 * What a quota 429 met at `at` teaches. With calls counted in the window, their number is what a
 * window holds and the Retry-After (counted from the window's first call) how long it lasts. A 429
 * that comes with far fewer calls counted than the known quota is a probe sent before the window was
 * free: the quota stays as learned, and the window is longer by the Retry-After (a call made before
 * the first one counted, say connect's, made it look shorter).
 */
export function learnFromQuota429(q: QuotaWindow, at: number, retryAfterSeconds: number | null, fallbackMs: number): QuotaWindow {
  const counted = windowOver(q, at, fallbackMs) ? 0 : q.windowCalls;
  if (q.callsPerWindow !== null && counted < q.callsPerWindow / 2) {
    // The window was not free yet when thought: it lasts that much longer (never beyond the fallback).
    if (q.windowMs === null || retryAfterSeconds === null) return q;
    return { ...q, windowMs: Math.min(Math.max(fallbackMs, q.windowMs), q.windowMs + retryAfterSeconds * 1000) };
  }
  if (counted < 1) return q;
  const start = q.windowStartedAt ?? at;
  // Whole seconds, rounded up: the row keeps the window in seconds, and every worker must see the window end where this one does.
  const windowMs = retryAfterSeconds === null ? fallbackMs : Math.max(1_000, Math.ceil((at + retryAfterSeconds * 1000 - start) / 1000) * 1000);
  return { ...q, callsPerWindow: counted, windowMs, lastCallAt: Math.max(q.lastCallAt ?? at, at) };
}

/** The columns of `spotify_app_quota` a window is read from. */
export interface QuotaRowColumns {
  calls_per_window: number | null;
  window_seconds: number | null;
  window_started_at: Date | null;
  window_calls: number;
  last_call_at: Date | null;
  reset_lag_ms?: number | null;
}

const toMs = (d: Date | null): number | null => (d ? new Date(d).getTime() : null);

/** A `spotify_app_quota` row as a window (none yet: nothing known). */
export function quotaWindowOf(row: QuotaRowColumns | undefined): QuotaWindow {
  if (!row) return emptyQuotaWindow;
  return {
    callsPerWindow: row.calls_per_window,
    windowMs: row.window_seconds === null ? null : row.window_seconds * 1000,
    windowStartedAt: toMs(row.window_started_at),
    windowCalls: row.window_calls,
    lastCallAt: toMs(row.last_call_at),
    resetLagMs: row.reset_lag_ms ?? null,
  };
}
