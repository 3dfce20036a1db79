import { createHash, randomBytes } from 'node:crypto';
import { SpotifyMalformedResponseError, SpotifyReauthRequiredError, SpotifyRequestError, SpotifyTransientError, rateLimitError, redactSecrets } from './errors.js';
import { DEFAULT_CALL_RETRY, withCallRetry, type CallRetryPolicy } from './call-retry.js';
import { DEFAULT_TIMEOUT_MS, brief, errorDetail, fetchFailure, parseBody, parseJson } from './http.js';
import { tokenErrorSchema, tokenResponseSchema, type TokenResponse } from './schemas.js';

/** What this app asks the user for: the library, playlists, recently played and the profile. */
export const SPOTIFY_SCOPES: readonly string[] = [
  'user-library-read',
  'user-follow-read',
  'playlist-read-private',
  'playlist-read-collaborative',
  'user-read-recently-played',
  'user-read-private',
];

export const TOKEN_ENDPOINT = 'POST /api/token';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scope: string;
}

export interface AccountsClient {
  /** The Authorization Code (with PKCE) exchange of `/auth/callback`. */
  exchangeAuthorizationCode(request: { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet>;
  /** A new access token; the refresh token stays the old one unless Spotify sends a new one. */
  refreshAccessToken(refreshToken: string): Promise<TokenSet>;
}

export interface AccountsClientOptions {
  /** e.g. `https://accounts.spotify.com` or the simulator's `http://127.0.0.1:4010` (no path). */
  accountsUrl: string;
  clientId: string;
  /** With a secret: HTTP Basic auth (confidential client). Without: `client_id` in the body (PKCE). */
  clientSecret?: string;
  fetch?: typeof fetch;
  /** Per request, default 30 s. */
  timeoutMs?: number;
  /** Clock for `expiresAt` (ms since the epoch). */
  now?: () => number;
  /** Retries of transient failures (5xx, timeouts, network errors, malformed bodies); default DEFAULT_CALL_RETRY. */
  retry?: CallRetryPolicy;
}

/** The client id of the built-in demo app (the simulator accepts it; `npm run dev` without SPOTIFY_CLIENT_ID). */
export const DEMO_CLIENT_ID = 'spotify-sync-demo';

/**
 * Demo mode: the demo app (no client id, or `npm run dev`'s DEMO_CLIENT_ID) talking to something other
 * than Spotify's own API, that is the simulator.
 */
export function isDemoApp(spotify: { apiUrl: string; clientId?: string | undefined }): boolean {
  return (spotify.clientId ?? DEMO_CLIENT_ID) === DEMO_CLIENT_ID && !/(^|\.)spotify\.com$/.test(new URL(spotify.apiUrl).hostname);
}

/** The accounts client for the configured app (the demo app when no client id is set). */
export function accountsClientFor(
  spotify: { accountsUrl: string; clientId?: string | undefined; clientSecret?: string | undefined },
  fetch?: typeof globalThis.fetch,
): AccountsClient {
  return createAccountsClient({ accountsUrl: spotify.accountsUrl, clientId: spotify.clientId ?? DEMO_CLIENT_ID, clientSecret: spotify.clientSecret, fetch });
}

const trimSlashes = (url: string): string => url.replace(/\/+$/, '');

/**
 * Client of the Spotify Accounts token endpoint. Every failure is a SpotifyError: `invalid_grant` →
 * SpotifyReauthRequiredError, 429 → SpotifyRateLimitError, 5xx/timeout/network →
 * SpotifyTransientError, anything else → SpotifyRequestError with Spotify's `error_description`.
 */
export function createAccountsClient(options: AccountsClientOptions): AccountsClient {
  const tokenUrl = `${trimSlashes(options.accountsUrl)}/api/token`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const clientSecret = options.clientSecret ? options.clientSecret : undefined;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  const retry = options.retry ?? DEFAULT_CALL_RETRY;
  const requestToken = (form: Record<string, string>, secrets: string[]) => withCallRetry(retry, () => requestTokenOnce(form, secrets));

  async function requestTokenOnce(form: Record<string, string>, secrets: string[]): Promise<{ body: TokenResponse }> {
    const allSecrets = [...secrets, clientSecret];
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const params = new URLSearchParams(form);
    if (clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${options.clientId}:${clientSecret}`).toString('base64')}`;
    } else {
      params.set('client_id', options.clientId);
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(tokenUrl, { method: 'POST', headers, body: params.toString(), signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw fetchFailure(TOKEN_ENDPOINT, error, timeoutMs);
    }
    if (response.ok) return { body: parseBody(TOKEN_ENDPOINT, response.status, response.headers, text, tokenResponseSchema) };

    const json = parseJson(text);
    const parsed = tokenErrorSchema.safeParse(json);
    const code = parsed.success ? parsed.data.error : null;
    const description = parsed.success && parsed.data.error_description ? brief(redactSecrets(parsed.data.error_description, allSecrets)) : null;
    if (code === 'invalid_grant') throw new SpotifyReauthRequiredError(TOKEN_ENDPOINT, description);
    if (response.status === 429) throw rateLimitError(TOKEN_ENDPOINT, response.headers, json, now());
    if (response.status >= 500) {
      throw new SpotifyTransientError(TOKEN_ENDPOINT, { reason: 'server_error', status: response.status, detail: `${response.status} ${response.statusText}`.trim() });
    }
    const detail = code ? `${redactSecrets(code, allSecrets)}${description ? `: ${description}` : ''}` : errorDetail(json, allSecrets);
    throw new SpotifyRequestError(TOKEN_ENDPOINT, response.status, detail);
  }

  const tokenSet = (body: TokenResponse, requestedAt: number, refreshToken: string | undefined): TokenSet => {
    const next = body.refresh_token ?? refreshToken;
    if (!next) throw new SpotifyMalformedResponseError(TOKEN_ENDPOINT, 'refresh_token: missing from the response to a code exchange', 200);
    return {
      accessToken: body.access_token,
      refreshToken: next,
      // From when the request was sent, so the token is never believed to live longer than it does.
      expiresAt: new Date(requestedAt + body.expires_in * 1000),
      scope: body.scope ?? '',
    };
  };

  return {
    async exchangeAuthorizationCode({ code, codeVerifier, redirectUri }) {
      const requestedAt = now();
      const { body } = await requestToken({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }, [code, codeVerifier]);
      return tokenSet(body, requestedAt, undefined);
    },
    async refreshAccessToken(refreshToken) {
      const requestedAt = now();
      const { body } = await requestToken({ grant_type: 'refresh_token', refresh_token: refreshToken }, [refreshToken]);
      return tokenSet(body, requestedAt, refreshToken);
    },
  };
}

/** A PKCE verifier (RFC 7636: 43–128 unreserved characters) and its S256 challenge, base64url. */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(64).toString('base64url');
  const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
  return { codeVerifier, codeChallenge };
}

/** The `/authorize` URL of the Authorization Code flow with PKCE (S256) and `state`. */
export function buildAuthorizeUrl(options: {
  accountsUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: readonly string[];
}): string {
  const url = new URL(`${trimSlashes(options.accountsUrl)}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state: options.state,
    code_challenge_method: 'S256',
    code_challenge: options.codeChallenge,
    scope: (options.scopes ?? SPOTIFY_SCOPES).join(' '),
  }).toString();
  return url.toString();
}
