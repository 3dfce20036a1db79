import { callsLeftInWindow, quotaWall, type QuotaWindow } from '../quota/quota-window.js';
import type { EtaDetail } from './account-status.js';

export interface EtaInCallsInput {
  /** Calls the sync still needs (callsLeft). */
  callsLeft: number;
  /** Calls per second of work, waits left out (measureCallPace); null until measured. */
  callPace: number | null;
  /** The app's quota as learned (spotify_app_quota). */
  quota: QuotaWindow;
  /** How long a window lasts while not learned (RATE_LIMIT_FALLBACK_HOURS). */
  fallbackMs: number;
  /** The end of a rate-limit wait the account is in, if any (ms). */
  waitUntil: number | null;
  now: number;
}

/**
 * When the initial sync ends, counted in calls (pure). Without a known quota (`pace`): the wait ahead,
 * then the calls left at the measured pace. With it (`quota`): the calls the current window still
 * holds, then, for each further window the work needs, the wait until the window is free again (its
 * length after its last call) and its calls at the measured pace.
 */
export function etaInCalls(input: EtaInCallsInput): { eta: number; detail: EtaDetail } | null {
  const { callsLeft, callPace, quota, fallbackMs, now } = input;
  if (callPace === null || callPace <= 0) return null;
  const workMs = (calls: number): number => (calls / callPace) * 1000;
  const waitUntil = input.waitUntil !== null && input.waitUntil > now ? input.waitUntil : null;
  const perWindow = quota.callsPerWindow;
  if (perWindow === null || perWindow <= 0 || quota.windowMs === null) {
    return { eta: (waitUntil ?? now) + workMs(callsLeft), detail: { callsLeft, callsPerWindow: null, windowsLeft: 0, basis: 'pace' } };
  }
  // A window ahead starts when the quota is free again, plus the lag seen last time (timers, the probe).
  const lag = quota.resetLagMs ?? 0;
  const windowMs = quota.windowMs + lag;
  const wall = quotaWall(quota, now, fallbackMs);
  const freeAt = Math.max(wall === null ? 0 : wall + lag, waitUntil ?? 0);
  if (freeAt > now) {
    // At the wall: every window ahead starts when the quota is free again.
    const windowsLeft = Math.max(1, Math.ceil(callsLeft / perWindow));
    return { eta: freeAt + workMs(callsLeft) + (windowsLeft - 1) * windowMs, detail: { callsLeft, callsPerWindow: perWindow, windowsLeft, basis: 'quota' } };
  }
  const available = callsLeftInWindow(quota, now, fallbackMs) ?? perWindow;
  if (callsLeft <= available) return { eta: now + workMs(callsLeft), detail: { callsLeft, callsPerWindow: perWindow, windowsLeft: 0, basis: 'quota' } };
  const windowsLeft = Math.ceil((callsLeft - available) / perWindow);
  return { eta: now + workMs(callsLeft) + windowsLeft * windowMs, detail: { callsLeft, callsPerWindow: perWindow, windowsLeft, basis: 'quota' } };
}
