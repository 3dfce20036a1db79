import { describe, expect, it } from 'vitest';
import { type Simulator } from '../../../src/simulator/create-simulator.js';
import { pkceChallenge } from '../../../src/simulator/tokens.js';
import { call, demoAccessToken, simulatorWithClock, tokenRequest } from './helpers.js';

const redirectUri = 'http://127.0.0.1:3000/auth/callback';
const verifier = 'a-verifier-of-at-least-forty-three-characters-0123456789';

function authorizeQuery(extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: 'my-client',
    response_type: 'code',
    redirect_uri: redirectUri,
    state: 'state-123',
    scope: 'user-library-read playlist-read-private',
    code_challenge_method: 'S256',
    code_challenge: pkceChallenge(verifier),
    ...extra,
  });
}

/** Submits the consent page's Approve form and returns the redirect. */
async function approve(sim: Simulator, query = authorizeQuery()): Promise<URL> {
  const response = await sim.app.request('http://sim.test/authorize/approve', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: query.toString(),
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function login(sim: Simulator): Promise<{ access_token: string; refresh_token: string }> {
  const code = (await approve(sim)).searchParams.get('code') ?? '';
  const answer = await tokenRequest(sim, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: 'my-client',
    code_verifier: verifier,
  });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('authorize', () => {
  it('shows a consent page whose Approve form redirects with a code and the state', async () => {
    const { sim } = simulatorWithClock();
    const page = await call(sim, `/authorize?${authorizeQuery()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('Approve');
    expect(page.body).toContain('action="/authorize/approve"');
    expect(page.body).toContain('user-library-read');
    const location = await approve(sim);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toMatch(/^\S{20,}$/);
  });

  it('redirects a denial with error=access_denied and the state', async () => {
    const { sim } = simulatorWithClock();
    const response = await sim.app.request(`http://sim.test/authorize/deny?${authorizeQuery()}`);
    const location = new URL(response.headers.get('location') ?? '');
    expect(response.status).toBe(302);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('rejects plain-http redirects to anything but a loopback IP, like Spotify', async () => {
    const { sim } = simulatorWithClock();
    const page = await call(sim, `/authorize?${authorizeQuery({ redirect_uri: 'http://localhost:3000/auth/callback' })}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('Insecure redirect URI');
  });
});

describe('token endpoint', () => {
  it('exchanges a code with the right PKCE verifier, once', async () => {
    const { sim } = simulatorWithClock();
    const code = (await approve(sim)).searchParams.get('code') ?? '';
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'my-client', code_verifier: verifier };
    const answer = await tokenRequest(sim, form);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'user-library-read playlist-read-private',
      refresh_token: expect.any(String),
    });
    expect((await call(sim, '/v1/me', { token: answer.body.access_token })).status).toBe(200);
    const reused = await tokenRequest(sim, form);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('answers 400 invalid_grant for a wrong code_verifier', async () => {
    const { sim } = simulatorWithClock();
    const code = (await approve(sim)).searchParams.get('code') ?? '';
    const answer = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: 'my-client',
      code_verifier: `${verifier}x`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  });

  it('omits refresh_token from refresh responses unless rotation is on', async () => {
    const { sim } = simulatorWithClock();
    const { refresh_token } = await login(sim);
    const refreshed = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token, client_id: 'my-client' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    expect(refreshed.body.token_type).toBe('Bearer');

    sim.setConfig({ rotateRefreshTokens: true });
    const rotated = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token, client_id: 'my-client' });
    expect(rotated.body.refresh_token).toEqual(expect.any(String));
    expect(rotated.body.refresh_token).not.toBe(refresh_token);
    const old = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token, client_id: 'my-client' });
    expect(old.body.error).toBe('invalid_grant');
    const next = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token, client_id: 'my-client' });
    expect(next.status).toBe(200);
  });

  it('accepts the demo refresh token, deterministic from the seed', async () => {
    const { sim } = simulatorWithClock({ seed: 1234 });
    expect(sim.demoRefreshToken).toBe('demo-refresh-1234');
    const token = await demoAccessToken(sim);
    const me = await call(sim, '/v1/me', { token });
    expect(me.body).toMatchObject({ id: 'demo-user', account_id: 'demo-user-1234', display_name: 'Demo Listener', type: 'user' });
  });

  it('revokeRefreshTokens revokes every token issued so far; a later login works', async () => {
    const { sim } = simulatorWithClock();
    const access = await demoAccessToken(sim);
    const session = await login(sim);
    const result = sim.setConfig({ revokeRefreshTokens: true });
    // The demo token, the login's, and the standing tokens of the four other household users (GET /_sim/users).
    expect(result.revoked).toEqual({ refreshTokens: 6, accessTokens: 2 });

    for (const refresh_token of [sim.demoRefreshToken, session.refresh_token]) {
      const answer = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token, client_id: 'my-client' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    }
    expect((await call(sim, '/v1/me', { token: access })).status).toBe(401);

    const fresh = await login(sim);
    expect((await call(sim, '/v1/me', { token: fresh.access_token })).status).toBe(200);
    const refreshed = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token, client_id: 'my-client' });
    expect(refreshed.status).toBe(200);
  });

  it('expires access tokens after 3600 s on the simulator clock', async () => {
    const { sim, clock } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    clock.now += 3_599_000;
    expect((await call(sim, '/v1/me', { token })).status).toBe(200);
    clock.now += 1000;
    const expired = await call(sim, '/v1/me', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: { status: 401, message: 'The access token expired' } });
    expect((await call(sim, '/v1/me', { token: 'made-up' })).body.error.status).toBe(401);
    expect((await call(sim, '/v1/me')).status).toBe(401);
  });

  it('expires refresh tokens six months after the login', async () => {
    const { sim, clock } = simulatorWithClock();
    await demoAccessToken(sim);
    clock.now += 181 * 86_400_000;
    await demoAccessToken(sim);
    clock.now += 2 * 86_400_000;
    const answer = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: sim.demoRefreshToken, client_id: 'c' });
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('counts token calls per endpoint but not in the Web API total', async () => {
    const { sim } = simulatorWithClock();
    const token = await demoAccessToken(sim);
    await tokenRequest(sim, { grant_type: 'password' });
    await call(sim, '/v1/me', { token });
    const stats = sim.stats().requests;
    expect(stats.total).toBe(1);
    expect(stats.byEndpoint['POST /api/token']).toMatchObject({ total: 2, ok: 1, errors: 1 });
  });
});
