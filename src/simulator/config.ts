import { z } from 'zod';

/** Run-time behaviour of the simulator (contract: POST /_sim/config). */

export const appModes = ['development', 'extended'] as const;
export type AppMode = (typeof appModes)[number];

export interface RateLimitConfig {
  windowSeconds: number;
  maxRequests: number;
  /**
   * Share (0..1) of the window's 429s sent with neither Retry-After nor a body, as the real service
   * sometimes answers an ordinary 30 s-window 429. Default 0.
   */
  omitRetryAfter?: number;
}

export interface QuotaConfig {
  perDay: number;
  /**
   * A number: sent as Retry-After. `null`: no Retry-After header (Spotify sometimes sends none).
   * Omitted: the seconds until the rolling window frees a call.
   */
  retryAfterSeconds?: number | null;
  /** How long a successful call counts against the quota (the rolling window); default 86,400 (24 h). */
  windowSeconds?: number;
}

export interface SimulatorConfig {
  appMode: AppMode;
  /** Rolling window limit (Spotify's ordinary ~30 s limit); null = off. */
  rateLimit: RateLimitConfig | null;
  /** Rolling quota of successful /v1 calls (development-mode apps; 24 h unless `windowSeconds`); null = off. */
  quota: QuotaConfig | null;
  /** Delay before every Web API and Accounts response, in ms (the mean, with `latencyJitterMs`). */
  latencyMs: number;
  /** Each delay is drawn uniformly from latencyMs ± this (never below 0), as real round trips vary. */
  latencyJitterMs: number;
  /** Fraction of /v1 requests that answer 500, 502 or 503. */
  errorRate: number;
  /** Fraction of /v1 requests that answer 200 with a body that violates the schema. */
  malformedRate: number;
  /** Send a new refresh token with every refresh response (by default the field is omitted). */
  rotateRefreshTokens: boolean;
  /**
   * Development mode: how many listeners (1 = the demo user, then 2, 3, ... in order) are registered in
   * the app's dashboard (at most five). Others log in, but every /v1 call answers 403.
   */
  registeredUsers: number;
  /** Development mode: false = the app owner's Premium has lapsed and every /v1 call answers 403. */
  ownerPremium: boolean;
  /**
   * Spotify's snapshot churn (spotify/web-api#858): a playlist Spotify owns can answer a new
   * `snapshot_id` on every read though its entries do not change. When on, every read of a playlist the
   * user follows and does not own (the simulator's stand-in for Spotify's own) answers a fresh one, drawn
   * from the seeded PRNG; `/_sim/truth` keeps the unchanged one. Off by default (see docs/simulator.md).
   */
  snapshotChurn: boolean;
}

/** A partial config; `revokeRefreshTokens: true` is an action, not a setting (see applyConfigUpdate). */
export type ConfigUpdate = Partial<SimulatorConfig> & { revokeRefreshTokens?: boolean };

export const defaultConfig: SimulatorConfig = {
  appMode: 'development',
  rateLimit: null,
  quota: null,
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  malformedRate: 0,
  rotateRefreshTokens: false,
  registeredUsers: 5,
  ownerPremium: true,
  snapshotChurn: false,
};

/** A development-mode app serves at most this many users (Spotify, February 2026). */
export const maxDevelopmentUsers = 5;

const fraction = z.number().min(0).max(1);

export const configUpdateSchema = z
  .object({
    appMode: z.enum(appModes),
    rateLimit: z
      .object({ windowSeconds: z.number().positive(), maxRequests: z.number().int().min(1), omitRetryAfter: fraction.optional() })
      .strict()
      .nullable(),
    quota: z
      .object({ perDay: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0).nullable().optional(), windowSeconds: z.number().int().min(1).optional() })
      .strict()
      .nullable(),
    latencyMs: z.number().int().min(0).max(60_000),
    latencyJitterMs: z.number().int().min(0).max(60_000),
    errorRate: fraction,
    malformedRate: fraction,
    rotateRefreshTokens: z.boolean(),
    registeredUsers: z.number().int().min(0).max(maxDevelopmentUsers),
    ownerPremium: z.boolean(),
    snapshotChurn: z.boolean(),
    revokeRefreshTokens: z.boolean(),
  })
  .strict()
  .partial();

/** Validates a partial config; throws an Error whose message names every bad field. */
export function parseConfigUpdate(input: unknown): ConfigUpdate {
  const result = configUpdateSchema.safeParse(input);
  if (!result.success) throw new Error(`invalid config: ${describeIssues(result.error)}`);
  const update: ConfigUpdate = { ...result.data };
  // Keep "retryAfterSeconds omitted" distinct from "null": they mean different things.
  if (result.data.quota) {
    const quota: QuotaConfig = { perDay: result.data.quota.perDay };
    if (result.data.quota.retryAfterSeconds !== undefined) quota.retryAfterSeconds = result.data.quota.retryAfterSeconds;
    if (result.data.quota.windowSeconds !== undefined) quota.windowSeconds = result.data.quota.windowSeconds;
    update.quota = quota;
  }
  return update;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}
