import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { sessionLifetime } from '../household/sessions.js';
import { sessionCookieName } from './caller.js';
import { requestProtocol } from './request-origin.js';
import type { RouteDeps } from './router.js';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over https (TRUST_PROXY: as the proxy says), as long as the session's absolute limit. */
export function setSessionCookie(c: Context, deps: Pick<RouteDeps, 'config'>, value: string): void {
  setCookie(c, sessionCookieName, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: sessionLifetime.absoluteDays * 86_400,
    secure: requestProtocol(c, deps.config.trustProxy) === 'https',
  });
}

export function clearSessionCookie(c: Context, deps: Pick<RouteDeps, 'config'>): void {
  deleteCookie(c, sessionCookieName, { path: '/', secure: requestProtocol(c, deps.config.trustProxy) === 'https' });
}
