import { type Context } from 'hono';
import { malform } from './malformed.js';
import { listener } from './listeners.js';
import { newSnapshotId } from './library.js';
import { type RenderContext } from './objects.js';
import { delay, drawLatency, type SimulatorState, spotifyError } from './simulator-state.js';

/**
 * The path every /v1 request takes, in Spotify's order: authentication, the rolling rate limit, the
 * daily quota, injected faults, scopes, then the route itself. It records stats per route template.
 */

export interface ApiRequest {
  c: Context;
  now: number;
  render: RenderContext;
}

export interface ApiResult {
  status: number;
  body: unknown;
}

export type ApiHandler = (request: ApiRequest) => ApiResult | Promise<ApiResult>;

export const ok = (body: unknown): ApiResult => ({ status: 200, body });
export const apiError = (status: number, message: string): ApiResult => ({ status, body: spotifyError(status, message) });

const serverErrors: Record<number, string> = { 500: 'Server error.', 502: 'Bad gateway.', 503: 'Service unavailable' };

/** The texts the real service answers with (see the README's sources). */
export const ownerPremiumRequiredMessage =
  'Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.';
export const userNotRegisteredMessage = 'User not registered in the Developer Dashboard';

/** A development-mode app stops for everyone when its owner's Premium lapses, and serves only registered users. */
function developmentModeRefusal(config: SimulatorState['config'], listenerNumber: number): ApiResult | undefined {
  if (config.appMode !== 'development') return undefined;
  if (!config.ownerPremium) return apiError(403, ownerPremiumRequiredMessage);
  if (listenerNumber > config.registeredUsers) return apiError(403, userNotRegisteredMessage);
  return undefined;
}

/** `body` undefined: an empty body (and no content type), as some real 429s come. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** `template` is the route as Spotify documents it, e.g. "/v1/artists/{id}"; it keys the stats. */
export function apiRoute(state: SimulatorState, template: string, requiredScope: RequiredScope, handler: ApiHandler, method = 'GET') {
  const endpoint = `${method} ${template}`;
  return async (c: Context): Promise<Response> => {
    // Half the round trip on the way in (where the request meets the rate limit), half on the way back.
    const latency = drawLatency(state);
    await delay(latency / 2);
    const now = await state.now();
    const result = await answer(state, c, now, requiredScope, handler);
    await delay(latency / 2);
    state.counter.record({
      endpoint,
      status: result.status,
      malformed: result.malformed,
      quotaExceeded: result.quotaExceeded,
      webApi: true,
    });
    return jsonResponse(result.status, result.body, result.headers);
  };
}

interface Answer extends ApiResult {
  headers?: Record<string, string>;
  malformed?: boolean;
  quotaExceeded?: boolean;
}

/** A scope the route needs, or a list of which any one will do. */
export type RequiredScope = string | readonly string[] | undefined;

async function answer(state: SimulatorState, c: Context, now: number, requiredScope: RequiredScope, handler: ApiHandler): Promise<Answer> {
  const { config, limiter, faults } = state;
  const authorization = c.req.header('authorization');
  if (!authorization) return apiError(401, 'No token provided');
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!bearer?.[1]) return apiError(400, 'Only valid bearer authentication supported');
  const access = state.tokens.checkAccess(bearer[1], now);
  if (!access.valid) return apiError(401, access.reason === 'expired' ? 'The access token expired' : 'Invalid access token');
  const refused = developmentModeRefusal(config, access.listener);
  if (refused) return refused;

  const decision = limiter.check(now, config);
  if (decision.kind === 'rate-limited') {
    // The real service sometimes sends an ordinary 429 with no Retry-After and an empty body.
    const omitRetryAfter = config.rateLimit?.omitRetryAfter ?? 0;
    if (omitRetryAfter > 0 && faults.chance(omitRetryAfter)) return { status: 429, body: undefined };
    return {
      ...apiError(429, 'API rate limit exceeded'),
      headers: { 'retry-after': String(decision.retryAfterSeconds) },
    };
  }
  if (decision.kind === 'quota-exceeded') {
    return {
      status: 429,
      body: spotifyError(429, 'Too many requests', { reason: 'QUOTA_EXCEEDED' }),
      headers: decision.retryAfterSeconds === null ? {} : { 'retry-after': String(decision.retryAfterSeconds) },
      quotaExceeded: true,
    };
  }
  limiter.admit(now);

  if (config.errorRate > 0 && faults.chance(config.errorRate)) {
    const status = faults.pick([500, 502, 503]);
    return apiError(status, serverErrors[status] ?? 'Server error.');
  }
  if (requiredScope) {
    const granted = access.scope.split(' ');
    const anyOf = typeof requiredScope === 'string' ? [requiredScope] : requiredScope;
    if (!anyOf.some((scope) => granted.includes(scope))) return apiError(403, 'Insufficient client scope');
  }

  const apiBase = `${new URL(c.req.url).origin}/v1`;
  const render: RenderContext = {
    library: state.library,
    apiBase,
    appMode: config.appMode,
    listener: listener(state.library, access.listener),
    ...(config.snapshotChurn ? { churnedSnapshotId: () => newSnapshotId(state.snapshotChurn) } : {}),
  };
  const result = await handler({ c, now, render });
  if (result.status < 200 || result.status >= 300) return result;
  if (config.malformedRate > 0 && faults.chance(config.malformedRate)) {
    return { status: result.status, body: malform(result.body, faults), malformed: true };
  }
  limiter.recordSuccess(now, config.quota);
  return result;
}
