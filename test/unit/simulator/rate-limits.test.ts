import { describe, expect, it } from 'vitest';
import { call, demoAccessToken, simulatorWithClock } from './helpers.js';

describe('rolling-window rate limit', () => {
  it('answers 429 with Retry-After = whole seconds until the oldest request leaves the window', async () => {
    const { sim, clock } = simulatorWithClock({ config: { rateLimit: { windowSeconds: 30, maxRequests: 3 } } });
    const token = await demoAccessToken(sim);
    const started = clock.now;
    for (let i = 0; i < 3; i++) {
      expect((await call(sim, '/v1/me', { token })).status).toBe(200);
      clock.now += 2000;
    }
    // t = +6 s; the oldest request (t = 0) leaves the window at +30 s.
    clock.now = started + 6500;
    const limited = await call(sim, '/v1/me/tracks', { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('24');
    expect(limited.body).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });

    // 429s do not count: hammering does not push the reset further out.
    for (let i = 0; i < 5; i++) await call(sim, '/v1/me', { token });
    clock.now = started + 29_999;
    expect((await call(sim, '/v1/me', { token })).headers.get('retry-after')).toBe('1');
    clock.now = started + 30_000;
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(429);

    const stats = sim.stats().requests;
    expect(stats.rateLimited).toBe(8);
    expect(stats.byEndpoint['GET /v1/me']).toMatchObject({ total: 11, ok: 4, rateLimited: 7 });
    expect(stats.byEndpoint['GET /v1/me/tracks']).toMatchObject({ total: 1, rateLimited: 1 });
  });

  it('is off by default and can be switched on and off at run time', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    for (let i = 0; i < 40; i++) expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    sim.setConfig({ rateLimit: { windowSeconds: 30, maxRequests: 1 } });
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(429);
    sim.setConfig({ rateLimit: null });
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
  });
});

describe('daily quota', () => {
  it('answers 429 with reason QUOTA_EXCEEDED once the rolling 24 h count of successful calls is used up', async () => {
    const { sim, clock } = simulatorWithClock({ config: { quota: { perDay: 3 } } });
    let token = await demoAccessToken(sim);
    const started = clock.now;
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    clock.now += 3_600_000;
    // Token calls are Accounts service calls: they never use up the Web API quota.
    token = await demoAccessToken(sim);
    expect((await call(sim, '/v1/me/tracks', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me/playlists', { token })).status).toBe(200);
    const exceeded = await call(sim, '/v1/me', { token });
    expect(exceeded.status).toBe(429);
    expect(exceeded.body.error).toMatchObject({ status: 429, reason: 'QUOTA_EXCEEDED' });
    // Omitted retryAfterSeconds: the seconds until the first call leaves the 24 h window.
    expect(exceeded.headers.get('retry-after')).toBe(String(86_400 - 3600));

    clock.now = started + 86_400_000;
    token = await demoAccessToken(sim);
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(429);
    expect(sim.stats().requests.quotaExceeded).toBe(2);
  });

  it('sends Retry-After as configured, or none at all for null', async () => {
    const { sim } = simulatorWithClock({ config: { quota: { perDay: 0, retryAfterSeconds: 7200 } } });
    const token = await demoAccessToken(sim);
    expect((await call(sim, '/v1/me', { token })).headers.get('retry-after')).toBe('7200');
    sim.setConfig({ quota: { perDay: 0, retryAfterSeconds: null } });
    const silent = await call(sim, '/v1/me', { token });
    expect(silent.status).toBe(429);
    expect(silent.headers.has('retry-after')).toBe(false);
    expect(silent.body.error.reason).toBe('QUOTA_EXCEEDED');
  });

  it('counts only successful, well-formed answers: not 4xx, 5xx, malformed or 429s', async () => {
    const { sim } = simulatorWithClock({ config: { quota: { perDay: 2, retryAfterSeconds: 60 } } });
    const token = await demoAccessToken(sim);
    expect((await call(sim, '/v1/me/tracks?limit=0', { token })).status).toBe(400);
    expect((await call(sim, '/v1/artists/0000000000000000000000', { token })).status).toBe(404);
    expect((await call(sim, '/v1/artists?ids=x', { token })).status).toBe(403);
    sim.setConfig({ errorRate: 1 });
    expect((await call(sim, '/v1/me', { token })).status).toBeGreaterThanOrEqual(500);
    sim.setConfig({ errorRate: 0, malformedRate: 1 });
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    sim.setConfig({ malformedRate: 0 });
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(429);
    const stats = sim.stats().requests;
    expect(stats).toMatchObject({ total: 8, ok: 3, rateLimited: 1, errors: 4, serverErrors: 1, malformed: 1, quotaExceeded: 1 });
  });

  it('follows an asynchronous clock, as under the Temporal time-skipping server', async () => {
    let now = Date.UTC(2026, 2, 1);
    const { createSimulator } = await import('../../../src/simulator/create-simulator.js');
    const sim = createSimulator({ tracks: 50, playlists: 2, config: { quota: { perDay: 1 } }, clock: async () => now });
    const token = await demoAccessToken(sim);
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    expect((await call(sim, '/v1/me', { token })).status).toBe(429);
    now += 86_400_000;
    // The access token expired meanwhile; a fresh one works and the quota has room again.
    expect((await call(sim, '/v1/me', { token })).status).toBe(401);
    expect((await call(sim, '/v1/me', { token: await demoAccessToken(sim) })).status).toBe(200);
  });
});
