import { callsLeftInWindow, PROBE_ANSWER_MS, quotaWall, windowOver, type QuotaWindow } from '../quota/quota-window.js';
import type { EtaDetail } from './account-status.js';

export interface EtaInCallsInput {
  /** Calls the sync still needs (callsLeft), estimated ones included. */
  callsLeft: number;
  /** Of those, the calls for work not found yet (estimated). */
  callsEstimated?: number;
  /**
   * Calls the quota counted in the window in progress whose work is not in `callsLeft` yet (fetched,
   * not committed): they are counted once, in the window.
   */
  uncommittedCalls?: number;
  /** Calls per second inside the batches, waits left out (measureCallWork); null until measured. */
  callPace: number | null;
  /** Batches still to run, and the time between two batches beyond the later one's own (measureCallWork). */
  batchesLeft?: number;
  batchOverheadMs?: number;
  /** Calls the worker runs at once (SPOTIFY_MAX_CONCURRENCY): how long a window's start-up lasts. */
  maxConcurrency?: number;
  /** The app's quota as learned (spotify_app_quota). */
  quota: QuotaWindow;
  /** How long a window lasts while not learned (RATE_LIMIT_FALLBACK_HOURS). */
  fallbackMs: number;
  /** The end of a rate-limit wait the account is in, if any (ms). */
  waitUntil: number | null;
  now: number;
}

/**
 * How long a window's start-up lasts: the quota gate lets as many calls go as have succeeded and the
 * others ask again every PROBE_ANSWER_MS, so the calls on their way double each round until the worker's
 * concurrency is reached.
 */
export function windowStartUpMs(maxConcurrency: number): number {
  return PROBE_ANSWER_MS * Math.ceil(Math.log2(Math.max(1, maxConcurrency) + 1));
}

/**
 * When the initial sync ends, counted in calls (pure). Without a known quota (`pace`): the wait ahead,
 * then the calls left at the measured pace. With it (`quota`): the calls the current window still
 * holds, then, for each further window the work needs, the wait until the window is free again (its
 * length after its last call, and the lag seen after the last reset) and the window's own time: a
 * full one as long as the last full one took (`windowSpanMs`, first call to last), a partial one its
 * start-up and its calls at the speed of a full one past its start-up. The steps between batches
 * (`batchOverheadMs` each) come on top, once.
 */
export function etaInCalls(input: EtaInCallsInput): { eta: number; detail: EtaDetail } | null {
  const { callPace, quota, fallbackMs, now } = input;
  if (callPace === null || callPace <= 0) return null;
  const callsEstimated = input.callsEstimated ?? 0;
  const callMs = 1000 / callPace;
  // The steps between batches are paid once, whichever window they fall in.
  const stepsMs = (input.batchesLeft ?? 0) * (input.batchOverheadMs ?? 0);
  const waitUntil = input.waitUntil !== null && input.waitUntil > now ? input.waitUntil : null;
  const perWindow = quota.callsPerWindow;
  if (perWindow === null || perWindow <= 0 || quota.windowMs === null) {
    const callsLeft = input.callsLeft;
    return { eta: (waitUntil ?? now) + callsLeft * callMs + stepsMs, detail: { callsLeft, callsPerWindow: null, windowsLeft: 0, basis: 'pace', callsEstimated } };
  }
  const inWindow = !windowOver(quota, now, fallbackMs);
  // Calls the window counted whose work is not committed yet would be counted twice.
  const callsLeft = Math.max(0, input.callsLeft - (inWindow ? Math.min(input.uncommittedCalls ?? 0, quota.windowCalls) : 0));
  const detail = (windowsLeft: number): EtaDetail => ({ callsLeft, callsPerWindow: perWindow, windowsLeft, basis: 'quota', callsEstimated });
  // A window ahead starts when the quota is free again, plus the lag seen last time (timers, the probe).
  const waitMs = quota.windowMs + (quota.resetLagMs ?? 0);
  const startUpMs = Math.min(windowStartUpMs(input.maxConcurrency ?? 8), quota.windowMs);
  // The last full window under the figure: the one at the wall now, else the one recorded.
  const atFigure =
    quota.windowCalls >= perWindow && quota.windowStartedAt !== null && quota.lastCallAt !== null && quota.learnedAt !== null && quota.learnedAt < quota.windowStartedAt;
  const span = inWindow && atFigure ? (quota.lastCallAt as number) - (quota.windowStartedAt as number) : quota.windowSpanMs;
  // A call past the start-up: what the last full window took beyond it.
  const fastMs = span !== null ? Math.max(0, span - startUpMs) / perWindow : callMs;
  /**
   * The time of the first `n` calls of a window, from its first call: a full one takes what the last one
   * took, a partial one its start-up and its calls past it (no longer than a full one); until a full
   * window was seen, the calls at the measured speed (the start-up overlaps the calls' own time).
   */
  const windowTime = (n: number): number => {
    if (n <= 0) return 0;
    if (span === null) return n * callMs;
    return n >= perWindow ? span : Math.min(span, startUpMs + n * fastMs);
  };
  /** Windows that start afresh: the whole of each, the waits between them. */
  const freshWindows = (calls: number): { ms: number; windows: number } => {
    const windows = Math.max(1, Math.ceil(calls / perWindow));
    const last = calls - (windows - 1) * perWindow;
    return { ms: (windows - 1) * (windowTime(perWindow) + waitMs) + windowTime(last), windows };
  };
  const wall = quotaWall(quota, now, fallbackMs);
  const freeAt = Math.max(wall === null ? 0 : wall + (quota.resetLagMs ?? 0), waitUntil ?? 0);
  if (freeAt > now) {
    // At the wall: every window ahead starts when the quota is free again.
    const ahead = freshWindows(callsLeft);
    return { eta: freeAt + ahead.ms + stepsMs, detail: detail(ahead.windows) };
  }
  if (!inWindow) {
    // The quota is free: the next call starts a window.
    const ahead = freshWindows(callsLeft);
    return { eta: now + ahead.ms + stepsMs, detail: detail(ahead.windows - 1) };
  }
  const available = callsLeftInWindow(quota, now, fallbackMs) ?? perWindow;
  const here = Math.min(callsLeft, available);
  const elapsed = quota.windowStartedAt === null ? 0 : now - quota.windowStartedAt;
  // What this window still takes: the rest of its start-up, or its calls at full speed.
  const hereMs = Math.max(here * fastMs, windowTime(quota.windowCalls + here) - elapsed);
  if (callsLeft <= available) return { eta: now + hereMs + stepsMs, detail: detail(0) };
  const ahead = freshWindows(callsLeft - available);
  return { eta: now + hereMs + waitMs + ahead.ms + stepsMs, detail: detail(ahead.windows) };
}
