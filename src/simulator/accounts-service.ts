import { type Context, type Hono } from 'hono';
import { jsonResponse } from './api-route.js';
import { type AuthorizeRequest, consentPage, errorPage } from './consent-page.js';
import { householdSize, listener, maxListeners, parseListenerNumber } from './listeners.js';
import { respondDelay, type SimulatorState } from './simulator-state.js';

/** The Accounts service: /authorize (consent page, PKCE) and /api/token (code and refresh grants). */
export function mountAccountsService(app: Hono, state: SimulatorState): void {
  const counted = (method: 'GET' | 'POST', path: string, handler: (c: Context) => Promise<Response>) => {
    const endpoint = `${method} ${path}`;
    const wrapped = async (c: Context): Promise<Response> => {
      await respondDelay(state);
      const response = await handler(c);
      state.counter.record({ endpoint, status: response.status, webApi: false });
      return response;
    };
    if (method === 'GET') app.get(path, wrapped);
    else app.post(path, wrapped);
  };

  counted('GET', '/authorize', async (c) => {
    const request = parseAuthorize(c.req.query());
    if ('error' in request) return request.error;
    const users = Array.from({ length: householdSize }, (_, i) => listener(state.library, i + 1).displayName);
    return c.html(consentPage(request, state.library.users[0]?.displayName ?? 'Demo Listener', users));
  });

  const decide =
    (approve: boolean) =>
    async (c: Context): Promise<Response> => {
      const fields = c.req.method === 'POST' ? await formFields(c) : c.req.query();
      const request = parseAuthorize({ response_type: 'code', ...fields });
      if ('error' in request) return request.error;
      if (!approve) return redirectWith(request, { error: 'access_denied' });
      const listenerNumber = parseListenerNumber(fields.user);
      if (listenerNumber === undefined) {
        return new Response(errorPage(`user must be a listener number from 1 to ${maxListeners}`), {
          status: 400,
          headers: { 'content-type': 'text/html; charset=utf-8' },
        });
      }
      const code = state.tokens.issueCode(
        {
          clientId: request.clientId,
          redirectUri: request.redirectUri,
          codeChallenge: request.codeChallenge,
          scope: request.scope,
          listener: listenerNumber,
        },
        await state.now(),
      );
      return redirectWith(request, { code });
    };
  // A form POST from the consent page, or a plain link (GET) for scripted logins. `user` picks who
  // logs in (a listener number, 1 = the demo user).
  counted('POST', '/authorize/approve', decide(true));
  counted('GET', '/authorize/approve', decide(true));
  counted('POST', '/authorize/deny', decide(false));
  counted('GET', '/authorize/deny', decide(false));

  counted('POST', '/api/token', async (c) => {
    const fields = await formFields(c);
    const basic = basicCredentials(c.req.header('authorization'));
    const clientId = fields.client_id ?? basic?.clientId;
    const now = await state.now();
    const grant = fields.grant_type;
    if (grant === 'authorization_code') {
      if (!fields.code) return tokenError('invalid_request', 'code parameter is missing');
      const result = state.tokens.redeemCode(
        {
          code: fields.code,
          redirectUri: fields.redirect_uri,
          clientId,
          codeVerifier: fields.code_verifier,
          hasClientSecret: Boolean(fields.client_secret ?? basic?.clientSecret),
        },
        now,
      );
      return jsonResponse(result.ok ? 200 : 400, result.body, { 'cache-control': 'no-store' });
    }
    if (grant === 'refresh_token') {
      if (!fields.refresh_token) return tokenError('invalid_request', 'refresh_token must be supplied');
      if (!clientId) return tokenError('invalid_client', 'Invalid client');
      const result = state.tokens.refresh({ refreshToken: fields.refresh_token, clientId, rotate: state.config.rotateRefreshTokens }, now);
      return jsonResponse(result.ok ? 200 : 400, result.body, { 'cache-control': 'no-store' });
    }
    return tokenError('unsupported_grant_type', grant ? `grant_type ${grant} is not supported` : 'grant_type parameter is missing');
  });
}

const tokenError = (error: string, description: string): Response => jsonResponse(400, { error, error_description: description });

async function formFields(c: Context): Promise<Record<string, string | undefined>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return {};
  const body = await c.req.parseBody();
  const fields: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') fields[key] = value;
  return fields;
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** Spotify accepts plain http redirects only to loopback IP literals (not "localhost"). */
function redirectProblem(redirectUri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return 'INVALID_CLIENT: Invalid redirect URI';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]')) return undefined;
  return 'INVALID_CLIENT: Insecure redirect URI';
}

function parseAuthorize(query: Record<string, string | undefined>): AuthorizeRequest | { error: Response } {
  const html = (message: string): { error: Response } => ({
    error: new Response(errorPage(message), { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } }),
  });
  const clientId = query.client_id;
  const redirectUri = query.redirect_uri;
  if (!clientId) return html('INVALID_CLIENT: Invalid client (client_id is missing)');
  if (!redirectUri) return html('INVALID_CLIENT: Invalid redirect URI (redirect_uri is missing)');
  const problem = redirectProblem(redirectUri);
  if (problem) return html(problem);
  const request: AuthorizeRequest = {
    clientId,
    redirectUri,
    state: query.state,
    scope: query.scope ?? '',
    codeChallenge: query.code_challenge || undefined,
    codeChallengeMethod: query.code_challenge_method || undefined,
  };
  // Past this point errors go back to the app, as OAuth requires once the redirect URI is trusted.
  if (query.response_type !== 'code') return { error: redirectWith(request, { error: 'unsupported_response_type' }) };
  if (request.codeChallenge !== undefined && request.codeChallengeMethod !== 'S256') {
    return { error: redirectWith(request, { error: 'invalid_request' }) };
  }
  return request;
}

function redirectWith(request: AuthorizeRequest, params: Record<string, string>): Response {
  const url = new URL(request.redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return new Response(null, { status: 302, headers: { location: url.toString() } });
}
