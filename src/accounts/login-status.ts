import type { Db } from '../db/connect.js';
import type { AccountRow } from '../db/rows.js';
import type { LoginProblem, LoginState } from '../../workflows/contract.js';
import { SpotifyAccessRefusedError, SpotifyReauthRequiredError } from '../spotify/errors.js';

/**
 * The 2026 rules of a Spotify login, in one place: a refresh token stops working six months after the
 * user logged in, whatever was refreshed since (taken as 182 days, the shortest six months, so the
 * warning is never late); a development-mode app serves only the users registered in its dashboard;
 * and it stops for everyone when its owner's Premium lapses. The status API, the status page, the CLI
 * and the login-expiry metric all read a login through `loginStatus`.
 */

export const LOGIN_LIFETIME_DAYS = 182;
/** The status page warns from this many days before the login ends. */
export const LOGIN_WARNING_DAYS = 14;

const dayMs = 86_400_000;

/**
 * The login states (contract.ts): `ok`; `expiring` (within the warning days); `expired` (Spotify
 * refused the refresh token at or near the six months); `revoked` (refused earlier: access removed,
 * token revoked); `user_not_registered`; `owner_premium_required`.
 */
export interface LoginStatus {
  authorizedAt: string;
  expiresAt: string;
  state: LoginState;
  /** What the user should do, for every state but `ok`. */
  message: string | null;
}

export function loginExpiresAt(authorizedAt: Date): Date {
  return new Date(new Date(authorizedAt).getTime() + LOGIN_LIFETIME_DAYS * dayMs);
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** What the product says for each refusal; also the login callback's and `connect`'s message. */
export const refusalMessages: Record<Exclude<LoginProblem, 'invalid_grant'>, string> = {
  user_not_registered:
    'Spotify refuses this user: an app in development mode serves only the users (at most five) added under ' +
    'User Management in its dashboard at developer.spotify.com. Add this Spotify account there, then log in again.',
  owner_premium_required:
    'Spotify stopped answering this app: the Premium subscription of the app’s owner has lapsed, and an app in ' +
    'development mode needs it. Renew it, wait a few hours for Spotify to notice, then log in again to resume.',
};

export function loginStatus(account: Pick<AccountRow, 'authorized_at' | 'login_problem' | 'needs_reauth'>, now: Date): LoginStatus {
  const authorizedAt = new Date(account.authorized_at);
  const expiresAt = loginExpiresAt(authorizedAt);
  const warnFrom = expiresAt.getTime() - LOGIN_WARNING_DAYS * dayMs;
  const base = { authorizedAt: authorizedAt.toISOString(), expiresAt: expiresAt.toISOString() };
  const problem = account.login_problem ?? (account.needs_reauth ? 'invalid_grant' : null);
  if (problem === 'user_not_registered' || problem === 'owner_premium_required') {
    return { ...base, state: problem, message: refusalMessages[problem] };
  }
  if (problem === 'invalid_grant') {
    if (now.getTime() >= warnFrom) {
      return {
        ...base,
        state: 'expired',
        message: `Spotify ended this login on ${day(expiresAt)}, six months after it was made. Log in again; the sync resumes where it stopped.`,
      };
    }
    return {
      ...base,
      state: 'revoked',
      message: 'Spotify refused this login (the access was removed or the token revoked). Log in again; the sync resumes where it stopped.',
    };
  }
  if (now.getTime() >= warnFrom) {
    const past = now.getTime() >= expiresAt.getTime();
    return {
      ...base,
      state: 'expiring',
      message: past
        ? `This login reached Spotify’s six months on ${day(expiresAt)}; Spotify may stop answering any moment. Log in again now.`
        : `Spotify ends this login on ${day(expiresAt)} (six months after it was made). Log in again before then to keep syncing.`,
    };
  }
  return { ...base, state: 'ok', message: null };
}

/** Remembers what Spotify refused; the account waits for a new login (`needs_reauth`). */
export async function recordLoginProblem(db: Db, accountId: string, problem: LoginProblem, now: Date): Promise<void> {
  await db('accounts').where({ id: accountId }).update({ needs_reauth: true, login_problem: problem, updated_at: now });
}

/** A Spotify failure only a person can fix (a new login, the dashboard, the owner's Premium); null for others. */
export function loginProblemOf(error: unknown): LoginProblem | null {
  if (error instanceof SpotifyReauthRequiredError) return 'invalid_grant';
  if (error instanceof SpotifyAccessRefusedError) return error.refusal;
  return null;
}
