import { randomBytes } from 'node:crypto';
import { buildAuthorizeUrl, createAccountsClient, createPkcePair } from '../spotify/accounts.js';

/** The Spotify Accounts calls the login flow needs (implemented in src/spotify/accounts.ts). */
export interface SpotifyLogin {
  createPkcePair(): { codeVerifier: string; codeChallenge: string };
  buildAuthorizeUrl(options: {
    accountsUrl: string;
    clientId: string;
    redirectUri: string;
    state: string;
    codeChallenge: string;
    scopes?: string[];
  }): string | URL;
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
/** Bounds memory if someone hammers /auth/login: the oldest pending logins go first. */
const maxPendingLogins = 1_000;

/** Logins between /auth/login and /auth/callback: `state` → PKCE verifier, for 10 minutes, used once. */
export class PendingLogins {
  private readonly entries = new Map<string, { codeVerifier: string; expiresAt: number }>();

  constructor(private readonly now: () => Date) {}

  add(codeVerifier: string): string {
    this.prune();
    const state = randomBytes(24).toString('base64url');
    this.entries.set(state, { codeVerifier, expiresAt: this.now().getTime() + loginTtlMs });
    while (this.entries.size > maxPendingLogins) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return state;
  }

  /** The verifier of a pending login, once; undefined when unknown, used or expired. */
  take(state: string): string | undefined {
    const entry = this.entries.get(state);
    this.entries.delete(state);
    if (!entry || entry.expiresAt <= this.now().getTime()) return undefined;
    return entry.codeVerifier;
  }

  private prune(): void {
    const now = this.now().getTime();
    for (const [state, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(state);
  }
}
