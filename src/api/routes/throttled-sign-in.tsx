import type { Context } from 'hono';
import { LoginMessagePage } from '../pages/login-message-page.js';
import { sendPage } from './page-response.js';

/** What a person at the sign-in form sees while their address has no tries left: a page, not JSON. */
export function throttledSignInPage(c: Context, message: string, waitSeconds: number) {
  c.header('Retry-After', String(waitSeconds));
  return sendPage(c, <LoginMessagePage title="Sign in" message={message} link={{ href: '/sign-in', text: 'Sign in' }} />, 429);
}
