import { randomBytes } from 'node:crypto';
import { buildAuthorizeUrl, createAccountsClient, createPkcePair } from '../spotify/accounts.js';

/** The Spotify Accounts calls the login flow needs (implemented in src/spotify/accounts.ts). */
export interface SpotifyLogin {
  createPkcePair(): { codeVerifier: string; codeChallenge: string };
  buildAuthorizeUrl(options: { accountsUrl: string; clientId: string; redirectUri: string; state: string; codeChallenge: string; scopes?: string[] }): string | URL;
  exchangeAuthorizationCode(options: {
    accountsUrl: string;
    clientId: string;
    clientSecret: string | undefined;
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<{ accessToken: string; refreshToken: string; expiresAt: Date; scope: string }>;
}

/** The real Spotify Accounts service (or the simulator's), per config.spotify.accountsUrl. */
export const spotifyAccountsLogin: SpotifyLogin = {
  createPkcePair,
  buildAuthorizeUrl,
  exchangeAuthorizationCode: ({ accountsUrl, clientId, clientSecret, ...exchange }) =>
    createAccountsClient({ accountsUrl, clientId, clientSecret }).exchangeAuthorizationCode(exchange),
};

const loginTtlMs = 10 * 60_000;
/** Logins one client may have under way at once; its oldest goes when it starts another. */
export const maxPendingLoginsPerClient = 10;
/** Bounds memory when many clients hammer /auth/login: past it new logins are refused, none is pushed out. */
export const maxPendingLogins = 1_000;

/**
 * Logins between /auth/login and /auth/callback: `state` → PKCE verifier, for 10 minutes, used once.
 * Each client (its address) holds at most `maxPendingLoginsPerClient`, so a flood of /auth/login from
 * one place only replaces its own logins, never someone else's login in progress.
 */
/** What a login carries from /auth/login to its callback, besides the verifier (never sent to Spotify). */
export interface LoginContext {
  /** The secret of the invitation link it came through. */
  invitation?: string;
  /** Started by the operator (API_TOKEN): the account may join without an invitation. */
  operator?: boolean;
  /** The page to return to once signed in. */
  next?: string;
}

export class PendingLogins {
  private readonly entries = new Map<string, { codeVerifier: string; client: string; expiresAt: number; context: LoginContext }>();

  constructor(private readonly now: () => Date) {}

  /** The new login's `state`, or null when the server holds as many pending logins as it will. */
  add(codeVerifier: string, client: string, context: LoginContext = {}): string | null {
    this.prune();
    const own = [...this.entries].filter(([, entry]) => entry.client === client);
    for (const [state] of own.slice(0, Math.max(0, own.length - maxPendingLoginsPerClient + 1))) this.entries.delete(state);
    if (this.entries.size >= maxPendingLogins) return null;
    const state = randomBytes(24).toString('base64url');
    this.entries.set(state, { codeVerifier, client, expiresAt: this.now().getTime() + loginTtlMs, context });
    return state;
  }

  /** The verifier of a pending login, once; undefined when unknown, used or expired. */
  take(state: string): string | undefined {
    return this.takeLogin(state)?.codeVerifier;
  }

  /** The verifier and context of a pending login, once. */
  takeLogin(state: string): { codeVerifier: string; context: LoginContext } | undefined {
    const entry = this.entries.get(state);
    this.entries.delete(state);
    if (!entry || entry.expiresAt <= this.now().getTime()) return undefined;
    return { codeVerifier: entry.codeVerifier, context: entry.context };
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now().getTime();
    for (const [state, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(state);
  }
}
