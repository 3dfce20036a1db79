import { RESTORE_SCOPES } from '../../restores/restores.js';
import { SPOTIFY_SCOPES } from '../../spotify/accounts.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AccountRefusedError } from '../../accounts/connect-account.js';
import { SpotifyReauthRequiredError, SpotifyRequestError } from '../../spotify/errors.js';
import { errorBody, errorBodySchema } from '../errors.js';
import { safeText } from '../safe-text.js';
import { LoginMessagePage } from '../pages/login-message-page.js';
import { newRouter, type RouteDeps } from '../router.js';
import { PendingLogins } from '../spotify-login.js';
import { recordAuditEvent } from '../../household/audit-log.js';
import { admission, markJoined } from '../../household/membership.js';
import { redeemInvitation } from '../../household/invitations.js';
import { describeDevice, openSession } from '../../household/sessions.js';
import { safeReturnPath } from '../auth.js';
import { callerDepsOf, callerOf } from '../caller.js';
import { clientAddress } from '../credential-throttle.js';
import { setSessionCookie } from '../session-cookie.js';
import { sendPage } from './page-response.js';
import { isTemporalUnavailable } from '../temporal-access.js';

/** Errors of the login flow are read by people in a browser as often as by scripts. */
const errorContent = {
  'application/json': { schema: errorBodySchema },
  'text/html': { schema: z.string() },
};
const loginError = (description: string) => ({ description, content: errorContent });

const loginRoute = createRoute({
  method: 'get',
  path: '/login',
  tags: ['auth'],
  summary:
    'Sign in with Spotify: start a login (Authorization Code with PKCE and state); the login that connects an account opens its person’s session; `scopes=restore` also asks for the write scopes restores need',
  request: {
    query: z.object({
      next: z.string().max(2048).optional().openapi({ description: 'the page to return to once signed in' }),
      invitation: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the secret of an invitation link')
        .optional()
        .openapi({ description: 'the secret of an owner’s invitation link (/join/{secret} passes it on)' }),
      scopes: z
        .enum(['restore'], { error: 'must be restore' })
        .optional()
        .openapi({ description: '`restore`: ask for the playlist and library write scopes too (incremental consent)' }),
    }),
  },
  responses: {
    302: { description: 'Redirect to Spotify’s authorize page', headers: z.object({ Location: z.string() }) },
    400: { description: 'A bad query parameter', content: { 'application/json': { schema: errorBodySchema } } },
    503: loginError('Login is not configured (no SPOTIFY_CLIENT_ID), or too many logins are under way'),
  },
});

const callbackRoute = createRoute({
  method: 'get',
  path: '/callback',
  tags: ['auth'],
  summary: 'Spotify redirects here after the login; stores the tokens and starts the account’s workflows',
  request: {
    query: z.object({
      code: safeText({ max: 4096 }).optional(),
      state: safeText({ max: 512 }).optional(),
      error: safeText({ max: 256 }).optional(),
      error_description: safeText({ max: 1024, multiline: true }).optional(),
    }),
  },
  responses: {
    302: { description: 'Connected and signed in (the session cookie is set): redirect to the page asked for, else /sync-status', headers: z.object({ Location: z.string() }) },
    400: loginError('Login cancelled, a missing, unknown or expired state, no code, or a code Spotify refused'),
    403: loginError(
      'Spotify refuses the app for this user (not among the users of a development-mode app, or the app owner’s Premium lapsed), or this Spotify account may not join the household (not in ALLOWED_ACCOUNTS, no invitation)',
    ),
    502: loginError('Spotify did not answer the code exchange, or connecting the account failed'),
    503: loginError('Login not configured, or Temporal not reachable to start the workflows'),
  },
});

function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

function fail(c: Context, status: ContentfulStatusCode, code: string, message: string): Response | Promise<Response> {
  if (wantsHtml(c)) {
    return sendPage(c, <LoginMessagePage title="Spotify login" message={message} link={{ href: '/auth/login', text: 'Log in with Spotify' }} />, status);
  }
  return c.json(errorBody(code, message), status);
}

/** `/auth`: the Spotify login. Pending logins live in this app instance only. */
export function authRoutes(deps: RouteDeps) {
  const { config, logger } = deps;
  const router = newRouter();
  const pending = new PendingLogins(deps.now);

  const notConfigured = (c: Context) =>
    fail(
      c,
      503,
      'login_not_configured',
      'Login with Spotify is not configured: set SPOTIFY_CLIENT_ID (from your app at developer.spotify.com) and SPOTIFY_REDIRECT_URI, ' +
        'or run npm run dev without them for demo mode against the simulator.',
    );

  router.openapi(loginRoute, async (c) => {
    const clientId = config.spotify.clientId;
    if (!clientId) return notConfigured(c);
    if (!deps.connect) return fail(c, 503, 'login_unavailable', 'This process cannot connect accounts; use npm run cli -- connect');
    const login = deps.spotifyLogin;
    const { codeVerifier, codeChallenge } = login.createPkcePair();
    const query = c.req.valid('query');
    const caller = await callerOf(c, callerDepsOf(deps));
    const state = pending.add(codeVerifier, clientAddress(c, config.trustProxy), {
      operator: caller.kind === 'operator',
      invitation: query.invitation,
      next: query.next === undefined ? undefined : safeReturnPath(query.next),
    });
    if (state === null) {
      return fail(c, 503, 'too_many_logins', 'Too many logins are under way; try again in a few minutes.');
    }
    const url = login.buildAuthorizeUrl({
      accountsUrl: config.spotify.accountsUrl,
      clientId,
      redirectUri: config.spotify.redirectUri,
      state,
      codeChallenge,
      ...(c.req.valid('query').scopes === 'restore' ? { scopes: [...SPOTIFY_SCOPES, ...RESTORE_SCOPES] } : {}),
    });
    return c.redirect(String(url), 302);
  });

  router.openapi(callbackRoute, async (c) => {
    const clientId = config.spotify.clientId;
    const connect = deps.connect;
    if (!clientId || !connect) return notConfigured(c);
    const query = c.req.valid('query');
    const pendingLogin = query.state ? pending.takeLogin(query.state) : undefined;
    const codeVerifier = pendingLogin?.codeVerifier;

    if (query.error) {
      if (query.error === 'access_denied') {
        return fail(c, 400, 'login_cancelled', 'Login was cancelled on Spotify; nothing was connected. You can start again.');
      }
      return fail(c, 400, 'login_failed', `Spotify did not authorize the login (${query.error}). You can start again.`);
    }
    if (!query.state) return fail(c, 400, 'missing_state', 'The callback has no state parameter; start the login again.');
    if (!codeVerifier) {
      return fail(c, 400, 'invalid_state', 'This login is unknown, already used or expired (a login must finish within 10 minutes); start it again.');
    }
    if (!query.code) return fail(c, 400, 'missing_code', 'The callback has no code parameter; start the login again.');

    const login = deps.spotifyLogin;
    let tokens: Awaited<ReturnType<typeof login.exchangeAuthorizationCode>>;
    try {
      tokens = await login.exchangeAuthorizationCode({
        accountsUrl: config.spotify.accountsUrl,
        clientId,
        clientSecret: config.spotify.clientSecret,
        code: query.code,
        codeVerifier,
        redirectUri: config.spotify.redirectUri,
      });
    } catch (error) {
      logger.warn('login: exchanging the authorization code failed', { error: describe(error) });
      // A 4xx from Spotify: the code is spent, expired or not for this app; a fresh login fixes it.
      if (error instanceof SpotifyRequestError || error instanceof SpotifyReauthRequiredError) {
        return fail(c, 400, 'login_code_rejected', 'Spotify refused the login code (expired or already used); start the login again.');
      }
      return fail(c, 502, 'token_exchange_failed', 'Spotify did not answer the login code exchange; start the login again.');
    }

    const context = pendingLogin!.context;
    const client = clientAddress(c, config.trustProxy);
    // Who may join (src/household/membership.ts), decided once Spotify said who logged in, before anything is stored.
    const admit = async ({ accountId, known }: { accountId: string; known: boolean }) => {
      const anyAccount = (await deps.db('accounts').first('id')) !== undefined;
      const invited = !known && context.invitation !== undefined && (await redeemInvitation(deps.db, context.invitation, accountId, deps.now()));
      const decision = admission({
        known,
        anyAccount,
        apiTokenSet: config.apiToken !== undefined,
        allowedAccounts: config.allowedAccounts,
        accountId,
        invitation: invited,
        operator: context.operator === true,
      });
      if (!decision.admitted) {
        await recordAuditEvent(deps.db, {
          event: 'sign_in_refused',
          accountId: null,
          actor: 'anonymous',
          detail: `Spotify account ${accountId}: not invited`,
          client,
          at: deps.now(),
        });
        throw new NotInHouseholdError();
      }
    };
    try {
      const connected = await connect({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, scope: tokens.scope }, { admit });
      logger.info('login: account connected', { accountId: connected.accountId });
      // The login that connects an account opens its person's session.
      const now = deps.now();
      await markJoined(deps.db, connected.accountId, now);
      const device = describeDevice(c.req.header('user-agent'));
      const session = await openSession(deps.db, { accountId: connected.accountId, device, now });
      await recordAuditEvent(deps.db, { event: 'sign_in', accountId: connected.accountId, actor: connected.accountId, detail: `Spotify, ${device}`, client, at: now });
      setSessionCookie(c, deps, session.cookie);
      return c.redirect(context.next ?? `/sync-status?accountId=${encodeURIComponent(connected.accountId)}`, 302);
    } catch (error) {
      if (error instanceof NotInHouseholdError) return fail(c, 403, 'not_in_household', error.message);
      if (error instanceof AccountRefusedError) {
        logger.warn('login: Spotify refuses the app for this user', { refusal: error.refusal });
        return fail(c, 403, error.refusal, error.message);
      }
      logger.error('login: connecting the account failed', { error: describe(error) });
      if (isTemporalUnavailable(error)) {
        return fail(c, 503, 'temporal_unavailable', 'Logged in, but Temporal is not reachable to start the sync; start Temporal and log in again.');
      }
      return fail(c, 502, 'connect_failed', 'Logged in, but connecting the account failed (see the server log); log in again.');
    }
  });

  return router;
}

/** The Spotify account that logged in may not join this household. */
class NotInHouseholdError extends Error {
  constructor() {
    super(
      'This Spotify account is not part of this server’s household. Ask its owner for an invitation link (Settings → Security), or the operator to add your Spotify account id to ALLOWED_ACCOUNTS. Nothing was stored.',
    );
    this.name = 'NotInHouseholdError';
  }
}

/** Name and the start of the message only: enough to debug, short of anything a body might echo. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  return `${error.name}: ${error.message.slice(0, 200)}`;
}
