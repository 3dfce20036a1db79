import type { Config } from '../config/load-config.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Db } from '../db/connect.js';
import type { AccountRow } from '../db/rows.js';
import { countAppQuotaCalls } from '../quota/app-quota-store.js';
import { accountsClientFor, DEMO_CLIENT_ID } from '../spotify/accounts.js';
import { createSpotifyClient } from '../spotify/client.js';
import { SpotifyAccessRefusedError, type SpotifyAccessRefusal } from '../spotify/errors.js';
import { spotifyAccountId } from '../spotify/schemas.js';
import type { WorkflowControlDeps } from '../temporal/workflow-control.js';
import { startAccountWorkflows } from './account-workflows.js';
import { recordPlaybackPaused } from './playback-pause.js';
import { refusalMessages } from './login-status.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';

export interface ConnectDeps {
  db: Db;
  config: Config;
  cipher: TokenCipher;
  workflows: () => Promise<WorkflowControlDeps>;
  fetch?: typeof fetch;
  /** The time of the login (default: the system clock). */
  now?: () => Date;
}

export interface ConnectTokens {
  refreshToken: string;
  /** The scopes the login granted (the token answer's `scope`), when known. */
  scope?: string;
  accessToken?: string;
  expiresAt?: Date;
}

export interface ConnectResult {
  accountId: string;
  displayName: string | null;
  created: boolean;
  initialSyncStarted: boolean;
  playbackStarted: boolean;
  scheduleCreated: boolean;
}

export interface ConnectOptions {
  initialSync?: Partial<InitialSyncInput>;
  /**
   * Decides, once Spotify said who logged in and before anything is stored, whether that account may
   * join (the household's rule, src/household/membership.ts); throws to refuse.
   */
  admit?: (account: { accountId: string; known: boolean }) => Promise<void>;
}

export type ConnectFn = (tokens: ConnectTokens, options?: Pick<ConnectOptions, 'admit'>) => Promise<ConnectResult>;

/**
 * Registers (or re-authorizes) an account: reads /v1/me for its stable account id, stores the tokens
 * encrypted with the login time, and starts what the account needs (startAccountWorkflows: from
 * what the mirror holds, not from what Temporal remembers). The one path for `cli connect` and the
 * login callback.
 */
export async function connectAccount(deps: ConnectDeps, tokens: ConnectTokens, options: ConnectOptions = {}): Promise<ConnectResult> {
  const base = accountsClientFor(deps.config.spotify, deps.fetch);
  // The scopes granted are kept per account (restores need the write scopes): from the login, else from the refresh answer.
  let grantedScopes = tokens.scope ?? null;
  const accounts: typeof base = {
    exchangeAuthorizationCode: (request) => base.exchangeAuthorizationCode(request),
    refreshAccessToken: async (refreshToken) => {
      const set = await base.refreshAccessToken(refreshToken);
      if (set.scope) grantedScopes = set.scope;
      return set;
    },
  };
  let current = {
    refreshToken: tokens.refreshToken,
    accessToken: tokens.accessToken ?? null,
    accessTokenExpiresAt: tokens.expiresAt ?? null,
  };
  const client = createSpotifyClient({
    apiUrl: deps.config.spotify.apiUrl,
    accounts,
    fetch: deps.fetch,
    tokens: {
      load: async () => current,
      save: async (t) => {
        current = t;
      },
    },
  });
  let me;
  try {
    me = await client.getMe();
  } catch (error) {
    if (error instanceof SpotifyAccessRefusedError) throw new AccountRefusedError(error.refusal);
    throw error;
  }
  const accountId = spotifyAccountId(me);
  const now = deps.now?.() ?? new Date();
  // /v1/me counts against the app's quota like the worker's calls: the window it opens is the one Spotify
  // counts from, so the window learned from the first quota 429 is its true length.
  const calledAt = now.getTime();
  const fallbackMs = deps.config.sync.rateLimitFallbackHours * 3_600_000;
  await countAppQuotaCalls(deps.db, deps.config.spotify.clientId ?? DEMO_CLIENT_ID, { n: 1, first: calledAt, last: calledAt }, fallbackMs).catch(() => undefined);
  const encrypted = {
    refresh_token_encrypted: deps.cipher.encrypt(current.refreshToken),
    access_token_encrypted: current.accessToken ? deps.cipher.encrypt(current.accessToken) : null,
    access_token_expires_at: current.accessTokenExpiresAt,
  };
  const existing = (await deps.db('accounts').where({ id: accountId }).first('refresh_token_encrypted', 'sync_state')) as
    Pick<AccountRow, 'refresh_token_encrypted' | 'sync_state'> | undefined;
  await options.admit?.({ accountId, known: existing !== undefined });
  // Spotify's six months run from the login: a new token is a new login; the same token again is not.
  const sameLogin = existing !== undefined && storedTokenIs(deps.cipher, existing.refresh_token_encrypted, tokens.refreshToken);
  const login = { needs_reauth: false, login_problem: null, ...(sameLogin ? {} : { authorized_at: now }), ...(grantedScopes === null ? {} : { granted_scopes: grantedScopes }) };
  await deps
    .db('accounts')
    .insert({ id: accountId, spotify_user_id: me.id, display_name: me.display_name ?? null, ...encrypted, ...login, authorized_at: now, connected_at: now, updated_at: now })
    .onConflict('id')
    .merge({ spotify_user_id: me.id, display_name: me.display_name ?? null, ...encrypted, ...login, updated_at: now });
  await claimOwnership(deps.db, accountId);
  const mirror = { known: existing !== undefined, complete: existing?.sync_state === 'complete' };
  const started = await startAccountWorkflows(await deps.workflows(), accountId, { initialSync: options.initialSync, mirror });
  // A playback workflow started afresh polls: what the status page says of it must not keep an old pause.
  if (started.playbackStarted) await recordPlaybackPaused(deps.db, accountId, null);
  return { accountId, displayName: me.display_name ?? null, created: !existing, ...started };
}

/** The first account connected is the household's owner (one owner at most: a unique index keeps two first logins from both winning). */
async function claimOwnership(db: Db, accountId: string): Promise<void> {
  try {
    await db('accounts')
      .where({ id: accountId })
      .whereNotExists(db('accounts').where({ role: 'owner' }).select(db.raw('1')))
      .update({ role: 'owner' });
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
  }
}

function storedTokenIs(cipher: TokenCipher, encrypted: string, refreshToken: string): boolean {
  try {
    return cipher.decrypt(encrypted) === refreshToken;
  } catch {
    return false; // encrypted under another key: treat it as another login
  }
}

/** Spotify refuses the app for this user (see refusalMessages): nothing was stored. */
export class AccountRefusedError extends Error {
  constructor(readonly refusal: SpotifyAccessRefusal) {
    super(refusalMessages[refusal]);
    this.name = 'AccountRefusedError';
  }
}
