import type { RateLimitKind } from '../../workflows/contract.js';
import { apiErrorSchema } from './schemas.js';

/**
 * Errors of the Spotify clients. Each names its `endpoint` as a route template (`GET /v1/artists/{id}`,
 * `POST /api/token`), never a URL with ids or tokens. Messages and serialized forms never carry an
 * access token, refresh token, client secret or Authorization header: they reach logs, Postgres
 * (`sync_state.error_message`) and Temporal failures.
 */

/** A Retry-After above this (seconds) is not worth retrying inside an activity: it is a quota wait. */
export const SHORT_RATE_LIMIT_MAX_SECONDS = 60;

export class SpotifyError extends Error {
  readonly endpoint: string;

  constructor(endpoint: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.endpoint = endpoint;
  }

  /** Plain form for structured logs: name, message and the fields of the subclass. */
  toJSON(): Record<string, unknown> {
    return { ...Object.fromEntries(Object.entries(this)), name: this.name, message: this.message };
  }
}

/**
 * A 429, classified by what it says (RateLimitKind). `quota`: the rolling ~24 h quota (body `reason:
 * QUOTA_EXCEEDED`), or a Retry-After longer than a minute. `short`: the rolling 30 s window, with a
 * Retry-After of at most a minute. `headerless`: no Retry-After and no quota reason (the real service
 * sends those for its window too). What the sync does with each is activities/shared/rate-limit-policy.ts.
 */
export class SpotifyRateLimitError extends SpotifyError {
  readonly status = 429;
  readonly kind: RateLimitKind;
  /** From Retry-After (delta-seconds or HTTP date); null when Spotify sent none. */
  readonly retryAfterSeconds: number | null;
  /** `reason` of the error body, e.g. `QUOTA_EXCEEDED`. */
  readonly reason: string | null;

  constructor(endpoint: string, options: { kind: RateLimitKind; retryAfterSeconds: number | null; reason?: string | null }) {
    const wait = options.retryAfterSeconds === null ? 'no Retry-After' : `retry after ${options.retryAfterSeconds} s`;
    const what = { quota: 'quota exceeded', short: 'rate limit (30 s window)', headerless: 'rate limit' }[options.kind];
    super(endpoint, `Spotify ${what} on ${endpoint}${options.reason ? ` (${options.reason})` : ''}: ${wait}`);
    this.kind = options.kind;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.reason = options.reason ?? null;
  }
}

/**
 * A call not sent: the app's quota is known and used up for this window, so the call would only meet
 * Spotify's quota 429. It is handled as that 429 would be (a durable wait until `retryAfterSeconds`).
 */
export class SpotifyQuotaWallError extends SpotifyRateLimitError {
  constructor(endpoint: string, retryAfterSeconds: number) {
    super(endpoint, { kind: 'quota', retryAfterSeconds, reason: 'QUOTA_USED_UP' });
    this.message = `Spotify quota of this app used up for its window: ${endpoint} not sent, free again in ${Math.ceil(retryAfterSeconds)} s`;
  }
}

// A 429 is classified next to its error type, by both clients (Web API and Accounts).

/**
 * Retry-After as seconds: delta-seconds or an HTTP date (relative to `nowMs`). Null when missing or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d*\.\d+$/.test(text)) return Math.ceil(Number(text));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** `reason` of a Web API error body: `error.reason` or top-level `reason`. */
function errorReason(body: unknown): string | null {
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const { error, reason } = parsed.data;
  if (error && typeof error === 'object' && error.reason) return error.reason;
  return reason ?? null;
}

/** Classifies a 429 (see SpotifyRateLimitError). */
export function rateLimitError(endpoint: string, headers: Headers, body: unknown, nowMs: number): SpotifyRateLimitError {
  const retryAfterSeconds = parseRetryAfter(headers.get('retry-after'), nowMs);
  const reason = errorReason(body);
  const quota = reason === 'QUOTA_EXCEEDED' || (retryAfterSeconds !== null && retryAfterSeconds > SHORT_RATE_LIMIT_MAX_SECONDS);
  const kind = quota ? 'quota' : retryAfterSeconds === null ? 'headerless' : 'short';
  return new SpotifyRateLimitError(endpoint, { kind, retryAfterSeconds, reason });
}

/** The Accounts service answered `invalid_grant`: the refresh token (or code) is revoked or expired. */
export class SpotifyReauthRequiredError extends SpotifyError {
  readonly error = 'invalid_grant';

  constructor(endpoint: string, description: string | null) {
    super(endpoint, `Spotify refused the grant (invalid_grant${description ? `: ${description}` : ''}): the user must log in again`);
  }
}

/** 403. What it means is the caller's call (batch endpoint not allowed, items of a followed playlist). */
export class SpotifyForbiddenError extends SpotifyError {
  readonly status = 403;
  /** Spotify's message (already redacted), e.g. "Insufficient client scope". */
  readonly detail: string | null;

  constructor(endpoint: string, detail: string | null) {
    super(endpoint, `Spotify answered 403 Forbidden on ${endpoint}${detail ? `: ${detail}` : ''}`);
    this.detail = detail;
  }
}

/** A 403 saying the login did not grant a scope the endpoint needs: only a new login that grants it helps. */
export const isInsufficientScope = (error: unknown): boolean => error instanceof SpotifyForbiddenError && /insufficient client scope/i.test(error.detail ?? '');

export type SpotifyAccessRefusal = 'user_not_registered' | 'owner_premium_required';

/**
 * A 403 that refuses the app itself, not one endpoint: the user is not registered in a
 * development-mode app's dashboard, or the app owner's Premium lapsed. Every call fails the same way
 * until a person acts, so it is not a SpotifyForbiddenError (which callers read as "this endpoint or
 * playlist is closed, carry on").
 */
export class SpotifyAccessRefusedError extends SpotifyError {
  readonly status = 403;
  readonly refusal: SpotifyAccessRefusal;

  constructor(endpoint: string, refusal: SpotifyAccessRefusal, detail: string | null) {
    super(endpoint, `Spotify refused the app on ${endpoint} (${refusal})${detail ? `: ${detail}` : ''}`);
    this.refusal = refusal;
  }
}

/** Which refusal a 403's message is, from the texts the real service sends; null for an ordinary 403. */
export function accessRefusalOf(detail: string | null): SpotifyAccessRefusal | null {
  if (!detail) return null;
  if (/not registered in the developer dashboard|user may not be registered/i.test(detail)) return 'user_not_registered';
  if (/premium subscription required for the owner of the app/i.test(detail)) return 'owner_premium_required';
  return null;
}

/** 404. */
export class SpotifyNotFoundError extends SpotifyError {
  readonly status = 404;

  constructor(endpoint: string, detail: string | null) {
    super(endpoint, `Spotify answered 404 Not Found on ${endpoint}${detail ? `: ${detail}` : ''}`);
  }
}

export type SpotifyTransientReason = 'server_error' | 'timeout' | 'network' | 'unauthorized';

/** Worth retrying with backoff: 5xx, timeouts, network errors, a 401 that outlived a token refresh. */
export class SpotifyTransientError extends SpotifyError {
  readonly status?: number;
  readonly reason: SpotifyTransientReason;

  constructor(endpoint: string, options: { reason: SpotifyTransientReason; status?: number; detail: string }) {
    super(endpoint, `Spotify ${endpoint} failed: ${options.detail}`);
    this.reason = options.reason;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** A 2xx whose body is not JSON or breaks the schema. Callers treat it as transient. */
export class SpotifyMalformedResponseError extends SpotifyError {
  readonly status?: number;
  /** What was wrong, briefly: the first few schema issues as `path: message`. */
  readonly issues: string;

  constructor(endpoint: string, issues: string, status?: number) {
    super(endpoint, `Spotify ${endpoint} sent a malformed response: ${issues}`);
    this.issues = issues;
    if (status !== undefined) this.status = status;
  }
}

/** Any other 4xx (400, 405, ...), or an Accounts error other than invalid_grant: not retryable. */
export class SpotifyRequestError extends SpotifyError {
  readonly status: number;

  constructor(endpoint: string, status: number, detail: string | null) {
    super(endpoint, `Spotify answered ${status} on ${endpoint}${detail ? `: ${detail}` : ''}`);
    this.status = status;
  }
}

/** Transient errors, malformed responses and short 429s: retry (with backoff, or after Retry-After). */
export function isRetryableSpotifyError(error: unknown): boolean {
  return error instanceof SpotifyTransientError || error instanceof SpotifyMalformedResponseError || (error instanceof SpotifyRateLimitError && error.kind === 'short');
}

/**
 * Removes secrets from text that came from elsewhere (a response body, a network error) before it goes
 * into an error message. Spotify does not echo tokens, but a message must not depend on that.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
