import { createRoute, z } from '@hono/zod-openapi';
import { setCookie } from 'hono/cookie';
import { errorBodySchema } from '../errors.js';
import { safeReturnPath, signInCookieMaxAgeSeconds, signInCookieName, signInCookieValue, tokensMatch } from '../auth.js';
import { requestProtocol } from '../request-origin.js';
import { NoSignInNeededPage, SignInPage } from '../pages/sign-in-page.js';
import { sendPage as send } from './page-response.js';
import { newRouter, type RouteDeps } from '../router.js';

const signInPageRoute = createRoute({
  method: 'get',
  path: '/sign-in',
  tags: ['pages'],
  summary: 'The API-token sign-in form (when API_TOKEN is set)',
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
  summary: 'Checks the API token (constant time) and sets the sign-in cookie (HttpOnly, SameSite=Lax)',
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

/** `/sign-in`: a small form that asks for API_TOKEN and sets the cookie the one auth middleware accepts. */
export function signInRoutes(deps: RouteDeps) {
  const { config } = deps;
  const router = newRouter();

  router.openapi(signInPageRoute, (c) => {
    const next = safeReturnPath(c.req.valid('query').next);
    return send(c, config.apiToken === undefined ? <NoSignInNeededPage next={next} /> : <SignInPage next={next} />, 200) as never;
  });

  router.openapi(
    signInRoute,
    (c) => {
      const { token, next } = c.req.valid('form');
      const target = safeReturnPath(next);
      const apiToken = config.apiToken;
      if (apiToken === undefined) return c.redirect(target, 303);
      if (!tokensMatch(token.trim(), apiToken)) {
        return send(c, <SignInPage next={target} error="That is not the API token of this server." />, 401);
      }
      setCookie(c, signInCookieName, signInCookieValue(apiToken), {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        maxAge: signInCookieMaxAgeSeconds,
        secure: requestProtocol(c, config.trustProxy) === 'https',
      });
      return c.redirect(target, 303);
    },
    // A form that fails validation is a wrong token too.
  );

  return router;
}
