/**
 * The quota window of a Spotify app (pure rules; the worker's call gate and the status ETA share them).
 *
 * Spotify's development-mode quota counts an app's successful calls over a rolling window (about
 * 24 h). What the sync learns from the quota 429s it meets: how many calls a window holds (the calls it
 * had counted when the 429 came) and how long a call counts (the 429's Retry-After from the first call
 * of the window, else RATE_LIMIT_FALLBACK_HOURS). A window is free again `windowMs` after its last call:
 * every call of it has then left the rolling window, so the next window holds the whole quota.
 *
 * A figure learned once may be low (a 429 that came early, on a bad day): until a later quota 429
 * confirms it, each window at the figure sends one call past it. Refused, the figure is confirmed and
 * the wall holds from then on; answered, the window goes on (as many calls on their way as have gone
 * past the figure) and the next window holds what this one reached.
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
  /** A later quota 429 met the figure again (a call past it refused): the wall holds without probing. */
  confirmed: boolean;
  /** When a call went past the unconfirmed figure (once per window); null: none yet. */
  wallProbeAt: number | null;
  /** From the first to the last call of the last window that reached the figure (its start-up included); null until seen. */
  windowSpanMs: number | null;
  /** When the figure was learned (the last quota 429 that set it). */
  learnedAt: number | null;
}

export const emptyQuotaWindow: QuotaWindow = {
  callsPerWindow: null,
  windowMs: null,
  windowStartedAt: null,
  windowCalls: 0,
  lastCallAt: null,
  resetLagMs: null,
  confirmed: false,
  wallProbeAt: null,
  windowSpanMs: null,
  learnedAt: null,
};

/** Whether the window in progress has sent its call past the (unconfirmed) figure. */
const probedPastFigure = (q: QuotaWindow): boolean => q.wallProbeAt !== null && q.windowStartedAt !== null && q.wallProbeAt >= q.windowStartedAt;

/**
 * Whether a call allowed now (quotaWall null) goes past the unconfirmed figure: the window's one probe
 * beyond it, which the caller marks (`markWallProbe`).
 */
export function isWallProbe(q: QuotaWindow, now: number, fallbackMs: number): boolean {
  if (q.callsPerWindow === null || q.confirmed || windowOver(q, now, fallbackMs)) return false;
  return q.windowCalls >= q.callsPerWindow && !probedPastFigure(q);
}

export function markWallProbe(q: QuotaWindow, at: number): QuotaWindow {
  return { ...q, wallProbeAt: at };
}

/** How long the calls behind a probe wait for its answer before they ask again. */
export const PROBE_ANSWER_MS = 500;

/** Whether the window in progress is over at `now` (everything in it has left the rolling window), so a new one begins. */
export function windowOver(q: QuotaWindow, now: number, fallbackMs: number): boolean {
  if (q.windowStartedAt === null || q.lastCallAt === null) return true;
  const windowMs = q.windowMs ?? fallbackMs;
  return now >= q.lastCallAt + windowMs || (q.windowCalls < (q.callsPerWindow ?? Infinity) && now >= q.windowStartedAt + windowMs);
}

/**
 * Whether the window in progress has spent the figure learned (a known wait until it is free again,
 * whether or not its one call past an unconfirmed figure is still to go).
 */
export function figureSpent(q: QuotaWindow, now: number, fallbackMs: number): boolean {
  return q.callsPerWindow !== null && q.windowMs !== null && !windowOver(q, now, fallbackMs) && q.windowCalls >= q.callsPerWindow;
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
  if (q.windowCalls + reserved >= q.callsPerWindow) {
    if (q.confirmed) return q.lastCallAt + q.windowMs;
    // An unconfirmed figure: the calls on its way are answered first, then one call goes past it.
    if (!probedPastFigure(q)) return reserved > 0 ? now + PROBE_ANSWER_MS : null;
    // It was answered: the figure was low. As many calls on their way as have gone past it.
    if (q.windowCalls > q.callsPerWindow) return reserved < q.windowCalls - q.callsPerWindow ? null : now + PROBE_ANSWER_MS;
    // Its answer is awaited (or it failed otherwise): wait for it, else for the window.
    return reserved > 0 ? now + PROBE_ANSWER_MS : q.lastCallAt + q.windowMs;
  }
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
    // The span of a window that began under the known figure (the one that taught it began without a wall).
    const underFigure = q.windowStartedAt !== null && q.learnedAt !== null && q.learnedAt < q.windowStartedAt;
    const windowSpanMs = afterWall && underFigure ? Math.max(0, (q.lastCallAt as number) - (q.windowStartedAt as number)) : q.windowSpanMs;
    // A window that went past an unconfirmed figure without a 429 held at least what it reached.
    const callsPerWindow = q.callsPerWindow !== null && !q.confirmed && q.windowCalls > q.callsPerWindow ? q.windowCalls : q.callsPerWindow;
    return { ...q, callsPerWindow, windowStartedAt: first, windowCalls: calls, lastCallAt: last, resetLagMs, windowSpanMs };
  }
  return { ...q, windowCalls: q.windowCalls + calls, lastCallAt: Math.max(q.lastCallAt ?? last, last) };
}

/**
 * What a quota 429 met at `at` teaches. With calls counted in the window, their number is what a
 * window holds and the Retry-After (counted from the window's first call) how long it lasts. A 429
 * that comes with far fewer calls counted than the known quota is a probe sent before the window was
 * free: the quota stays as learned, and the window is longer by the Retry-After (a call made before
 * the first one counted, say connect's, made it look shorter). A 429 met by the window's call past an
 * unconfirmed figure, or past the figure at all, confirms it.
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
  // Confirmed: met again in a later window than the one that taught it (the calls on their way when it
  // was learned meet it too, and prove nothing), or met past it.
  const learnedEarlier = q.learnedAt !== null && q.windowStartedAt !== null && q.learnedAt < q.windowStartedAt;
  const confirmed = q.callsPerWindow !== null && (counted > q.callsPerWindow || (counted === q.callsPerWindow && (learnedEarlier || q.confirmed)));
  // The window that met the 429 sends nothing past it: it counts as the window's call past the figure.
  // When the figure was learned: a 429 that meets it again leaves it as it was.
  const learnedAt = counted === q.callsPerWindow && q.learnedAt !== null ? q.learnedAt : at;
  return { ...q, callsPerWindow: counted, windowMs, lastCallAt: Math.max(q.lastCallAt ?? at, at), confirmed, wallProbeAt: at, learnedAt };
}

/** The columns of `spotify_app_quota` a window is read from. */
export interface QuotaRowColumns {
  calls_per_window: number | null;
  window_seconds: number | null;
  window_started_at: Date | null;
  window_calls: number;
  last_call_at: Date | null;
  reset_lag_ms?: number | null;
  quota_confirmed?: boolean | null;
  wall_probe_at?: Date | null;
  window_span_ms?: number | null;
  learned_at?: Date | null;
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
    confirmed: row.quota_confirmed ?? false,
    wallProbeAt: toMs(row.wall_probe_at ?? null),
    windowSpanMs: row.window_span_ms ?? null,
    learnedAt: toMs(row.learned_at ?? null),
  };
}
