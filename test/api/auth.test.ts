import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectTokens } from '../../src/accounts/connect-account.js';
import { createApp } from '../../src/api/create-app.js';
import type { Logger } from '../../src/api/logger.js';
import type { SpotifyLogin } from '../../src/api/spotify-login.js';
import { SpotifyReauthRequiredError, SpotifyTransientError } from '../../src/spotify/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { testConfig, unreachableTemporal } from './fixtures.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.drop();
});

const secrets = { accessToken: 'ACCESS-SECRET-123', refreshToken: 'REFRESH-SECRET-456', code: 'CODE-SECRET-789', verifier: 'VERIFIER-SECRET' };

function harness(options: { clientId?: string; exchange?: () => Promise<never>; connectError?: Error } = {}) {
  let clock = new Date('2026-01-06T12:00:00Z');
  const authorizeCalls: Parameters<SpotifyLogin['buildAuthorizeUrl']>[0][] = [];
  const exchangeCalls: Parameters<SpotifyLogin['exchangeAuthorizationCode']>[0][] = [];
  const connected: ConnectTokens[] = [];
  const logs: string[] = [];
  const logger: Logger = {
    info: (m, f) => logs.push(JSON.stringify([m, f])),
    warn: (m, f) => logs.push(JSON.stringify([m, f])),
    error: (m, f) => logs.push(JSON.stringify([m, f])),
  };
  const spotifyLogin: SpotifyLogin = {
    createPkcePair: () => ({ codeVerifier: secrets.verifier, codeChallenge: 'challenge-abc' }),
    buildAuthorizeUrl: (o) => {
      authorizeCalls.push(o);
      return `${o.accountsUrl}/authorize?state=${encodeURIComponent(o.state)}`;
    },
    exchangeAuthorizationCode: async (o) => {
      exchangeCalls.push(o);
      if (options.exchange) return options.exchange();
      return { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken, expiresAt: new Date('2026-01-06T13:00:00Z'), scope: 'user-library-read' };
    },
  };
  const config = testConfig({
    SPOTIFY_ACCOUNTS_URL: 'http://127.0.0.1:4010',
    SPOTIFY_REDIRECT_URI: 'http://127.0.0.1:3000/auth/callback',
    ...(options.clientId === undefined ? { SPOTIFY_CLIENT_ID: 'client-123' } : options.clientId ? { SPOTIFY_CLIENT_ID: options.clientId } : {}),
  });
  const app = createApp({
    db: testDb.db,
    config,
    temporal: unreachableTemporal,
    now: () => clock,
    logger,
    spotifyLogin,
    connect: async (tokens) => {
      connected.push(tokens);
      if (options.connectError) throw options.connectError;
      // As connectAccount does: the account is stored (the session the login opens belongs to it).
      await testDb.db('accounts').insert({ id: 'acc/1', spotify_user_id: 'acc/1', refresh_token_encrypted: 'x' }).onConflict('id').ignore();
      return { accountId: 'acc/1', displayName: 'Ada', created: true, initialSyncStarted: true, playbackStarted: true, scheduleCreated: true };
    },
  });
  async function login(): Promise<string> {
    const res = await app.request('/auth/login');
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('state')!;
  }
  return {
    app,
    login,
    authorizeCalls,
    exchangeCalls,
    connected,
    logs,
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('GET /auth/login', () => {
  it('answers 503 telling to set SPOTIFY_CLIENT_ID when none is configured', async () => {
    const { app } = harness({ clientId: '' });
    const res = await app.request('/auth/login');
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe('login_not_configured');
    expect(error.message).toMatch(/set SPOTIFY_CLIENT_ID/);
    expect(error.message).toMatch(/demo mode/);

    const page = await app.request('/auth/login', { headers: { Accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('SPOTIFY_CLIENT_ID');
  });

  it('redirects to Spotify’s authorize page with a fresh state and the PKCE challenge', async () => {
    const h = harness();
    const res = await h.app.request('/auth/login');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:4010\/authorize\?state=/);
    const second = await h.app.request('/auth/login');
    expect(h.authorizeCalls).toHaveLength(2);
    expect(h.authorizeCalls[0]).toMatchObject({
      accountsUrl: 'http://127.0.0.1:4010',
      clientId: 'client-123',
      redirectUri: 'http://127.0.0.1:3000/auth/callback',
      codeChallenge: 'challenge-abc',
    });
    expect(h.authorizeCalls[0]!.state.length).toBeGreaterThanOrEqual(32);
    expect(h.authorizeCalls[0]!.state).not.toBe(h.authorizeCalls[1]!.state);
    expect(second.headers.get('location')).not.toContain(secrets.verifier);
  });
});

describe('GET /auth/callback', () => {
  it('exchanges the code with the login’s verifier, connects the account and redirects to its status page', async () => {
    const h = harness();
    const state = await h.login();
    const res = await h.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/sync-status?accountId=acc%2F1');
    expect(h.exchangeCalls).toEqual([
      {
        accountsUrl: 'http://127.0.0.1:4010',
        clientId: 'client-123',
        clientSecret: undefined,
        code: secrets.code,
        codeVerifier: secrets.verifier,
        redirectUri: 'http://127.0.0.1:3000/auth/callback',
      },
    ]);
    // The scopes the login granted go along, to be kept with the account (restores need the write scopes).
    expect(h.connected).toEqual([
      { accessToken: secrets.accessToken, refreshToken: secrets.refreshToken, expiresAt: new Date('2026-01-06T13:00:00Z'), scope: 'user-library-read' },
    ]);
    // A state works once.
    const replay = await h.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(replay.status).toBe(400);
    expect((await errorOf(replay)).code).toBe('invalid_state');
    for (const secret of Object.values(secrets)) expect(h.logs.join('\n')).not.toContain(secret);
  });

  it.each([
    { name: 'no state', query: () => `code=${secrets.code}`, code: 'missing_state', message: /no state/ },
    { name: 'an unknown state', query: () => `code=${secrets.code}&state=forged`, code: 'invalid_state', message: /unknown, already used or expired/ },
    { name: 'no code', query: (state: string) => `state=${state}`, code: 'missing_code', message: /no code/ },
    { name: 'login cancelled on Spotify', query: (state: string) => `error=access_denied&state=${state}`, code: 'login_cancelled', message: /Login was cancelled/ },
    { name: 'another Spotify error', query: (state: string) => `error=server_error&state=${state}`, code: 'login_failed', message: /\(server_error\)/ },
    { name: 'an over-long state', query: () => `code=x&state=${'s'.repeat(600)}`, code: 'invalid_request', message: /query parameter state/ },
  ])('answers 400 for $name', async ({ query, code, message }) => {
    const h = harness();
    const state = await h.login();
    const res = await h.app.request(`/auth/callback?${query(encodeURIComponent(state))}`);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(h.connected).toHaveLength(0);
  });

  it('refuses a state older than 10 minutes', async () => {
    const h = harness();
    const state = await h.login();
    h.advance(10 * 60_000 + 1);
    const res = await h.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_state');
    expect(h.exchangeCalls).toHaveLength(0);
  });

  it('shows a readable, escaped HTML page to a browser', async () => {
    const h = harness();
    const state = await h.login();
    const cancelled = await h.app.request(`/auth/callback?error=access_denied&state=${encodeURIComponent(state)}`, { headers: { Accept: 'text/html' } });
    expect(cancelled.status).toBe(400);
    const html = await cancelled.text();
    expect(html).toContain('Login was cancelled');
    expect(html).toContain('href="/auth/login"');

    const hostile = await h.app.request(`/auth/callback?error=${encodeURIComponent('<script>alert(1)</script>')}`, { headers: { Accept: 'text/html' } });
    const hostileHtml = await hostile.text();
    expect(hostileHtml).not.toContain('<script>alert(1)</script>');
    expect(hostileHtml).toContain('&lt;script&gt;');
  });

  it('answers 400 when Spotify refuses the code as spent or expired', async () => {
    const h = harness({ exchange: async () => Promise.reject(new SpotifyReauthRequiredError('POST /api/token', 'Invalid authorization code')) });
    const state = await h.login();
    const res = await h.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('login_code_rejected');
    expect(h.connected).toHaveLength(0);
  });

  it('answers 502 when the code exchange fails on Spotify’s side, without echoing the code', async () => {
    const h = harness({ exchange: async () => Promise.reject(new SpotifyTransientError('POST /api/token', { reason: 'server_error', status: 503, detail: '503' })) });
    const state = await h.login();
    const res = await h.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(502);
    const error = await errorOf(res);
    expect(error.code).toBe('token_exchange_failed');
    expect(JSON.stringify(error)).not.toContain(secrets.code);
    expect(h.connected).toHaveLength(0);
  });

  it('answers 502 when connecting fails and 503 when Temporal is down, without tokens in the body or the log', async () => {
    const failing = harness({ connectError: new Error('Spotify /v1/me answered 500') });
    let state = await failing.login();
    let res = await failing.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(502);
    expect((await errorOf(res)).code).toBe('connect_failed');

    const down = harness({ connectError: new Error('Failed to connect before the deadline') });
    state = await down.login();
    res = await down.app.request(`/auth/callback?code=${secrets.code}&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toContain('temporal_unavailable');
    for (const secret of Object.values(secrets)) {
      expect(body).not.toContain(secret);
      expect([...failing.logs, ...down.logs].join('\n')).not.toContain(secret);
    }
  });
});
