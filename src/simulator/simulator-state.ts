import { type SimulatorClock } from './clock.js';
import { type SimulatorConfig } from './config.js';
import { type Library } from './library.js';
import { type Prng } from './prng.js';
import { type RateLimiter } from './rate-limits.js';
import { type RequestCounter } from './request-stats.js';
import { type TokenStore } from './tokens.js';

/** Everything one simulator instance holds; the route modules share it (no module-level singletons). */
export interface SimulatorState {
  library: Library;
  config: SimulatorConfig;
  clock: SimulatorClock;
  limiter: RateLimiter;
  counter: RequestCounter;
  tokens: TokenStore;
  /** Decides injected 5xx and malformed answers. */
  faults: Prng;
  /** Drives POST /_sim/mutate. */
  mutations: Prng;
  /** Draws each response's latency (latencyMs ± latencyJitterMs). */
  latency: Prng;
  /** Draws the fresh snapshot ids of `snapshotChurn`. */
  snapshotChurn: Prng;
  /** Simulator time in unix ms; the first call anchors the generated library's times to it. */
  now(): Promise<number>;
}

export const spotifyError = (status: number, message: string, extra: Record<string, unknown> = {}) => ({
  error: { status, message, ...extra },
});

export const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** One response's latency in ms: latencyMs ± latencyJitterMs, uniformly. */
export function drawLatency(state: Pick<SimulatorState, 'config' | 'latency'>): number {
  const { latencyMs, latencyJitterMs } = state.config;
  if (latencyJitterMs <= 0) return latencyMs;
  return Math.max(0, Math.round(latencyMs - latencyJitterMs + 2 * latencyJitterMs * state.latency.next()));
}

/** Waits one response's latency. */
export const respondDelay = (state: Pick<SimulatorState, 'config' | 'latency'>): Promise<void> => delay(drawLatency(state));
