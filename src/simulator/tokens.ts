import { createHash } from 'node:crypto';
import { type Prng } from './prng.js';

/** Authorization codes, access tokens and refresh tokens of the simulated Accounts service. */

export const accessTokenLifetimeSeconds = 3600;
const codeLifetimeMs = 10 * 60_000;
/** Spotify refresh tokens stop working six months after the user's login. */
const refreshTokenLifetimeMs = 182 * 86_400_000;

/** The demo user's login grants the write scopes too, so restores work in the demo. */
export const demoScope = [
  'user-read-private',
  'user-read-email',
  'user-library-read',
  'user-follow-read',
  'playlist-read-private',
  'playlist-read-collaborative',
  'user-read-recently-played',
  'playlist-modify-public',
  'playlist-modify-private',
  'user-library-modify',
].join(' ');

interface AccessTokenRecord {
  expiresAt: number;
  scope: string;
  /** Who logged in (see listeners.ts). */
  listener: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  scope: string;
  /** Tokens from a login are bound to its client; the demo token works with any client id. */
  clientId: string | null;
  /** undefined until the simulator clock is first read (see anchor). */
  issuedAt: number | undefined;
  listener: number;
  revoked: boolean;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  scope: string;
  listener: number;
  expiresAt: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

export interface TokenError {
  error: 'invalid_grant' | 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';
  error_description: string;
}

export type TokenResult = { ok: true; body: TokenResponse } | { ok: false; body: TokenError };

export type AccessCheck = { valid: true; scope: string; listener: number } | { valid: false; reason: 'unknown' | 'expired' };

const fail = (error: TokenError['error'], description: string): TokenResult => ({
  ok: false,
  body: { error, error_description: description },
});

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, CodeRecord>();

  constructor(
    private readonly rng: Prng,
    readonly demoRefreshToken: string,
    demoTokenScope: string = demoScope,
  ) {
    this.refreshTokens.set(demoRefreshToken, { scope: demoTokenScope, clientId: null, issuedAt: undefined, listener: 1, revoked: false });
  }

  /** A further household user's standing refresh token (like the demo user's: any client id). */
  addUserToken(refreshToken: string, listener: number): void {
    this.refreshTokens.set(refreshToken, { scope: demoScope, clientId: null, issuedAt: undefined, listener, revoked: false });
  }

  /** The demo user "logged in" when the simulator first read its clock. */
  anchor(now: number): void {
    for (const record of this.refreshTokens.values()) record.issuedAt ??= now;
  }

  issueCode(request: Omit<CodeRecord, 'expiresAt'>, now: number): string {
    const code = `AQ${this.rng.base62(48)}`;
    this.codes.set(code, { ...request, expiresAt: now + codeLifetimeMs });
    return code;
  }

  redeemCode(
    request: { code: string; redirectUri: string | undefined; clientId: string | undefined; codeVerifier: string | undefined; hasClientSecret: boolean },
    now: number,
  ): TokenResult {
    const record = this.codes.get(request.code);
    if (!record) return fail('invalid_grant', 'Invalid authorization code');
    // Codes are single-use, even when the exchange fails.
    this.codes.delete(request.code);
    if (record.expiresAt <= now) return fail('invalid_grant', 'Authorization code expired');
    if (request.redirectUri !== record.redirectUri) return fail('invalid_grant', 'Invalid redirect URI');
    if (request.clientId !== undefined && request.clientId !== record.clientId) return fail('invalid_client', 'Invalid client');
    if (record.codeChallenge !== undefined) {
      if (!request.codeVerifier) return fail('invalid_request', 'code_verifier required');
      if (pkceChallenge(request.codeVerifier) !== record.codeChallenge) return fail('invalid_grant', 'code_verifier was incorrect');
    } else if (!request.hasClientSecret) {
      return fail('invalid_client', 'Invalid client secret');
    }
    const refreshToken = this.newRefreshToken(record, now);
    return { ok: true, body: { ...this.newAccessToken(record, now), refresh_token: refreshToken } };
  }

  refresh(request: { refreshToken: string; clientId: string | undefined; rotate: boolean }, now: number): TokenResult {
    const record = this.refreshTokens.get(request.refreshToken);
    if (!record || record.revoked) return fail('invalid_grant', 'Refresh token revoked');
    if (record.issuedAt !== undefined && record.issuedAt + refreshTokenLifetimeMs <= now) {
      return fail('invalid_grant', 'Refresh token revoked');
    }
    if (record.clientId !== null && request.clientId !== undefined && request.clientId !== record.clientId) {
      return fail('invalid_client', 'Invalid client');
    }
    const body: TokenResponse = this.newAccessToken(record, now);
    if (request.rotate) {
      record.revoked = true;
      body.refresh_token = this.newRefreshToken(record, record.issuedAt ?? now);
    }
    return { ok: true, body };
  }

  checkAccess(token: string, now: number): AccessCheck {
    const record = this.accessTokens.get(token);
    if (!record || record.revoked) return { valid: false, reason: 'unknown' };
    if (record.expiresAt <= now) return { valid: false, reason: 'expired' };
    return { valid: true, scope: record.scope, listener: record.listener };
  }

  /** Revokes every token issued so far; later logins get fresh, valid ones. */
  revokeAll(): { refreshTokens: number; accessTokens: number } {
    let refreshTokens = 0;
    let accessTokens = 0;
    for (const record of this.refreshTokens.values()) {
      if (!record.revoked) refreshTokens++;
      record.revoked = true;
    }
    for (const record of this.accessTokens.values()) {
      if (!record.revoked) accessTokens++;
      record.revoked = true;
    }
    return { refreshTokens, accessTokens };
  }

  private newAccessToken(grant: { scope: string; listener: number }, now: number): TokenResponse {
    const token = `BQ${this.rng.base62(78)}`;
    const { scope, listener } = grant;
    this.accessTokens.set(token, { expiresAt: now + accessTokenLifetimeSeconds * 1000, scope, listener, revoked: false });
    return { access_token: token, token_type: 'Bearer', expires_in: accessTokenLifetimeSeconds, scope };
  }

  /** A rotated token keeps the login's issue time: rotation does not extend the six months. */
  private newRefreshToken(grant: { scope: string; clientId: string | null; listener: number }, issuedAt: number): string {
    const token = `AQ${this.rng.base62(78)}`;
    const { scope, clientId, listener } = grant;
    this.refreshTokens.set(token, { scope, clientId, issuedAt, listener, revoked: false });
    return token;
  }
}
