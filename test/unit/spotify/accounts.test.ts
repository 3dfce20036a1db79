import { createHash } from 'node:crypto';
import { NO_CALL_RETRY } from '../../../src/spotify/call-retry.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SPOTIFY_SCOPES, buildAuthorizeUrl, createAccountsClient, createPkcePair, type AccountsClientOptions } from '../../../src/spotify/accounts.js';
import {
  SpotifyMalformedResponseError,
  SpotifyRateLimitError,
  SpotifyReauthRequiredError,
  SpotifyRequestError,
  SpotifyTransientError,
  isRetryableSpotifyError,
} from '../../../src/spotify/errors.js';
import { refusedUrl, startFakeServer, type FakeServer } from './fake-server.js';
import { ACCESS_TOKEN, CLIENT_SECRET, CODE, CODE_VERIFIER, NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, REFRESH_TOKEN, rejection } from './secrets.js';

const NOW = Date.parse('2026-01-07T08:00:00Z');
const TOKEN = 'POST /api/token';

let server: FakeServer;
beforeEach(async () => {
  server = await startFakeServer();
});
afterEach(async () => {
  await server.close();
});

const client = (options: Partial<AccountsClientOptions> = {}) =>
  createAccountsClient({ accountsUrl: server.url, clientId: 'client-1', now: () => NOW, retry: NO_CALL_RETRY, ...options });

const tokenRoute = (response: Parameters<FakeServer['on']>[2]) => server.on('POST', '/api/token', response);

describe('refreshAccessToken', () => {
  it('keeps the old refresh token when the response omits one', async () => {
    tokenRoute({ body: { access_token: NEW_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'user-library-read' } });
    const tokens = await client({ clientSecret: CLIENT_SECRET }).refreshAccessToken(REFRESH_TOKEN);
    expect(tokens).toEqual({
      accessToken: NEW_ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      expiresAt: new Date(NOW + 3_600_000),
      scope: 'user-library-read',
    });
  });

  it('returns the new refresh token when Spotify rotates it', async () => {
    tokenRoute({ body: { access_token: NEW_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: '', refresh_token: NEW_REFRESH_TOKEN } });
    const tokens = await client().refreshAccessToken(REFRESH_TOKEN);
    expect(tokens.refreshToken).toBe(NEW_REFRESH_TOKEN);
  });

  it('authenticates with HTTP Basic when it has a client secret', async () => {
    tokenRoute({ body: { access_token: NEW_ACCESS_TOKEN, expires_in: 3600 } });
    await client({ clientSecret: CLIENT_SECRET }).refreshAccessToken(REFRESH_TOKEN);
    const [request] = server.requestsTo('POST', '/api/token');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`client-1:${CLIENT_SECRET}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN });
  });

  it('sends client_id in the body as a PKCE public client (no secret)', async () => {
    tokenRoute({ body: { access_token: NEW_ACCESS_TOKEN, expires_in: 3600 } });
    await client({ clientSecret: undefined }).refreshAccessToken(REFRESH_TOKEN);
    const [request] = server.requestsTo('POST', '/api/token');
    expect(request?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: 'client-1',
    });
  });

  it('turns invalid_grant into SpotifyReauthRequiredError, even when the description echoes secrets', async () => {
    tokenRoute({ status: 400, body: { error: 'invalid_grant', error_description: `Refresh token revoked: ${REFRESH_TOKEN} (${CLIENT_SECRET})` } });
    const error = await rejection(() => client({ clientSecret: CLIENT_SECRET }).refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyReauthRequiredError);
    expect(error.message).toContain('Refresh token revoked');
    expect(error.message).toContain('log in again');
    expect((error as SpotifyReauthRequiredError).endpoint).toBe(TOKEN);
    expect(isRetryableSpotifyError(error)).toBe(false);
  });

  it('reports other Accounts errors as SpotifyRequestError with the error_description', async () => {
    tokenRoute({ status: 401, body: { error: 'invalid_client', error_description: 'Invalid client secret' } });
    const error = await rejection(() => client({ clientSecret: CLIENT_SECRET }).refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyRequestError);
    expect((error as SpotifyRequestError).status).toBe(401);
    expect(error.message).toContain('invalid_client: Invalid client secret');
    expect(isRetryableSpotifyError(error)).toBe(false);
  });

  it('treats 5xx as transient', async () => {
    tokenRoute({ status: 503, body: 'upstream unavailable' });
    const error = await rejection(() => client().refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect((error as SpotifyTransientError).status).toBe(503);
    expect(isRetryableSpotifyError(error)).toBe(true);
  });

  it('treats a 429 of the token endpoint as a rate limit', async () => {
    tokenRoute({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'rate_limited' } });
    const error = await rejection(() => client().refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyRateLimitError);
    expect(error).toMatchObject({ kind: 'short', retryAfterSeconds: 3, endpoint: TOKEN });
  });

  it('treats a refused connection as transient', async () => {
    const accountsUrl = await refusedUrl();
    const error = await rejection(() => client({ accountsUrl }).refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect((error as SpotifyTransientError).reason).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('times out as a transient error', async () => {
    tokenRoute({ delayMs: 2_000, body: { access_token: ACCESS_TOKEN, expires_in: 3600 } });
    const started = Date.now();
    const error = await rejection(() => client({ timeoutMs: 150 }).refreshAccessToken(REFRESH_TOKEN));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(SpotifyTransientError);
    expect((error as SpotifyTransientError).reason).toBe('timeout');
    expect(error.message).toContain('150 ms');
  });

  it('rejects a 200 that is not a token response', async () => {
    tokenRoute({ body: { token_type: 'Bearer', expires_in: 3600 } });
    const error = await rejection(() => client().refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    expect((error as SpotifyMalformedResponseError).issues).toContain('access_token');
    expect(isRetryableSpotifyError(error)).toBe(true);
  });

  it('rejects a 200 that is not JSON', async () => {
    tokenRoute({ headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' });
    const error = await rejection(() => client().refreshAccessToken(REFRESH_TOKEN));
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    expect((error as SpotifyMalformedResponseError).issues).toMatch(/not JSON/);
  });
});

describe('exchangeAuthorizationCode', () => {
  it('posts the code, verifier and redirect URI and returns the token set', async () => {
    tokenRoute({ body: { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'a b', refresh_token: REFRESH_TOKEN } });
    const tokens = await client({ accountsUrl: `${server.url}/` }).exchangeAuthorizationCode({
      code: CODE,
      codeVerifier: CODE_VERIFIER,
      redirectUri: 'http://127.0.0.1:3000/auth/callback',
    });
    expect(tokens).toEqual({ accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN, expiresAt: new Date(NOW + 3_600_000), scope: 'a b' });
    const [request] = server.requestsTo('POST', '/api/token');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: 'http://127.0.0.1:3000/auth/callback',
      code_verifier: CODE_VERIFIER,
      client_id: 'client-1',
    });
  });

  it('needs a refresh token in the response', async () => {
    tokenRoute({ body: { access_token: ACCESS_TOKEN, expires_in: 3600 } });
    const error = await rejection(() => client().exchangeAuthorizationCode({ code: CODE, codeVerifier: CODE_VERIFIER, redirectUri: 'http://127.0.0.1:3000/auth/callback' }));
    expect(error).toBeInstanceOf(SpotifyMalformedResponseError);
    expect(error.message).toContain('refresh_token');
  });

  it('turns a refused code into SpotifyReauthRequiredError without showing the code', async () => {
    tokenRoute({ status: 400, body: { error: 'invalid_grant', error_description: `Invalid authorization code ${CODE}` } });
    const error = await rejection(() => client().exchangeAuthorizationCode({ code: CODE, codeVerifier: CODE_VERIFIER, redirectUri: 'http://127.0.0.1:3000/auth/callback' }));
    expect(error).toBeInstanceOf(SpotifyReauthRequiredError);
    expect(error.message).toContain('Invalid authorization code [redacted]');
  });
});

describe('PKCE and the authorize URL', () => {
  it('creates an S256 pair in base64url', () => {
    const { codeVerifier, codeChallenge } = createPkcePair();
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(codeChallenge).toBe(createHash('sha256').update(codeVerifier).digest('base64url'));
    expect(createPkcePair().codeVerifier).not.toBe(codeVerifier);
  });

  it('builds the authorize URL with state, challenge and the scopes we need', () => {
    const url = new URL(
      buildAuthorizeUrl({
        accountsUrl: 'https://accounts.spotify.com/',
        clientId: 'client-1',
        redirectUri: 'http://127.0.0.1:3000/auth/callback',
        state: 'st8',
        codeChallenge: 'chal',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://accounts.spotify.com/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'http://127.0.0.1:3000/auth/callback',
      state: 'st8',
      code_challenge_method: 'S256',
      code_challenge: 'chal',
      scope: 'user-library-read user-follow-read playlist-read-private playlist-read-collaborative user-read-recently-played user-read-private',
    });
    expect(SPOTIFY_SCOPES).toHaveLength(6);
  });
});
