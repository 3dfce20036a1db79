import { createRoute, z } from '@hono/zod-openapi';
import { recordAuditEvent } from '../../household/audit-log.js';
import { describeDevice, endSession, openSession } from '../../household/sessions.js';
import { errorBodySchema } from '../errors.js';
import { safeReturnPath, tokensMatch } from '../auth.js';
import { actorOf, callerDepsOf, callerOf } from '../caller.js';
import { clientAddress } from '../credential-throttle.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';
import { sendPage as send } from './page-response.js';
import { newRouter, type RouteDeps } from '../router.js';

const signInPageRoute = createRoute({
  method: 'get',
  path: '/sign-in',
  tags: ['pages'],
  summary: 'The sign-in page: Sign in with Spotify, and the API-token form for the operator (when API_TOKEN is set)',
  request: { query: z.object({ next: z.string().max(2048).optional() }) },
  responses: {
    200: { description: 'HTML form', content: { 'text/html': { schema: z.string() } } },
    400: { description: 'A bad query parameter', content: { 'application/json': { schema: errorBodySchema } } },
  },
});

const signInRoute = createRoute({
  method: 'post',
  path: '/sign-in',
  tags: ['pages'],
  summary: 'Checks the API token (constant time) and opens an operator session (cookie HttpOnly, SameSite=Lax, Secure over https)',
  request: {
    body: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: z.object({ token: z.string().max(1024).default(''), next: z.string().max(2048).optional() }) } },
    },
  },
  responses: {
    303: { description: 'Signed in: back to the page asked for' },
    400: { description: 'A bad form field', content: { 'application/json': { schema: errorBodySchema } } },
    401: { description: 'Wrong token: the form again, saying so', content: { 'text/html': { schema: z.string() } } },
  },
});

const signOutRoute = createRoute({
  method: 'post',
  path: '/sign-out',
  tags: ['pages'],
  summary: 'Ends this browser’s session (its cookie is refused from now on) and clears the cookie',
  responses: { 303: { description: 'Signed out: to /sign-in' } },
});

/** `/sign-in` and `/sign-out`: the ways in (Spotify, or API_TOKEN for the operator) and out. */
export function signInRoutes(deps: RouteDeps) {
  const { config, db } = deps;
  const router = newRouter();
  const spotify = () => config.spotify.clientId !== undefined && deps.connect !== undefined;

  router.openapi(signInPageRoute, async (c) => {
    // With no API_TOKEN and no household yet every page is open: the page says so instead of asking for anything.
    const open = (await callerOf(c, callerDepsOf(deps))).kind === 'open';
    return send(c, <SignInPage next={safeReturnPath(c.req.valid('query').next)} tokenForm={config.apiToken !== undefined} spotify={spotify()} open={open} />, 200) as never;
  });

  router.openapi(signInRoute, async (c) => {
    const { token, next } = c.req.valid('form');
    const target = safeReturnPath(next);
    const apiToken = config.apiToken;
    if (apiToken === undefined) return c.redirect(target, 303);
    const client = clientAddress(c, config.trustProxy);
    if (!tokensMatch(token.trim(), apiToken)) {
      await recordAuditEvent(db, { event: 'sign_in_refused', accountId: null, actor: 'operator', detail: 'wrong API token', client, at: deps.now() });
      return send(c, <SignInPage next={target} error="That is not the API token of this server." tokenForm spotify={spotify()} />, 401);
    }
    const device = describeDevice(c.req.header('user-agent'));
    const session = await openSession(db, { accountId: null, device, now: deps.now() });
    await recordAuditEvent(db, { event: 'sign_in', accountId: null, actor: 'operator', detail: `API token, ${device}`, client, at: deps.now() });
    setSessionCookie(c, deps, session.cookie);
    return c.redirect(target, 303);
  });

  router.openapi(signOutRoute, async (c) => {
    const caller = await callerOf(c, callerDepsOf(deps));
    const sessionId = caller.kind === 'person' || caller.kind === 'operator' ? caller.sessionId : undefined;
    if (sessionId) {
      const ended = await endSession(db, sessionId, deps.now());
      if (ended) {
        const accountId = caller.kind === 'person' ? caller.accountId : null;
        await recordAuditEvent(db, { event: 'sign_out', accountId, actor: actorOf(caller), detail: ended.device, client: clientAddress(c, config.trustProxy), at: deps.now() });
      }
    }
    clearSessionCookie(c, deps);
    return c.redirect('/sign-in', 303);
  });

  return router;
}
