import type { Hono } from 'hono';
import type { ConfigUpdate, SimulatorConfig } from './config.js';
import type { DataExport } from './data-export.js';
import type { MutationInput, MutationResult } from './mutations.js';
import type { RequestStats } from './request-stats.js';
import type { LibraryStats, Truth } from './truth.js';
import type { SimulatedUser } from './listeners.js';

/** A simulator as createSimulator builds it: its Hono app, and what its control endpoints (control.ts) act on. */
export interface SimulatorStats {
  library: LibraryStats;
  requests: RequestStats;
}

export interface Simulator {
  app: Hono;
  /** Accepted by POST /api/token until revoked: `demo-refresh-<seed>`. */
  demoRefreshToken: string;
  user: { id: string; accountId: string; displayName: string };
  /** The household: up to five users who may log in (the demo user first), with their standing refresh tokens (GET /_sim/users). */
  users(): SimulatedUser[];
  stats(): SimulatorStats;
  resetStats(): void;
  truth(): Truth;
  config(): SimulatorConfig;
  /** Validates and applies a partial config (throws on bad input); returns the resulting config. */
  setConfig(update: ConfigUpdate): SimulatorConfig & { revoked?: { refreshTokens: number; accessTokens: number } };
  now(): Promise<number>;
  advanceClock(seconds: number): Promise<number>;
  clockOffsetSeconds(): number;
  mutate(input: MutationInput): Promise<MutationResult>;
  /** The demo user's data exports as of now (see data-export.ts). */
  dataExport(): Promise<DataExport>;
}
