import type { Config } from '../config/load-config.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Db } from '../db/connect.js';
import { accountsClientFor } from '../spotify/accounts.js';
import { createSpotifyClient } from '../spotify/client.js';
import { startAccountWorkflows, type WorkflowControlDeps } from './account-workflows.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';

export interface ConnectDeps {
  db: Db;
  config: Config;
  cipher: TokenCipher;
  workflows: () => Promise<WorkflowControlDeps>;
  fetch?: typeof fetch;
}

export interface ConnectTokens {
  refreshToken: string;
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

export type ConnectFn = (tokens: ConnectTokens) => Promise<ConnectResult>;

/**
 * Registers (or re-authorizes) an account: reads /v1/me for its stable account id, stores the tokens
 * encrypted, and starts its workflows and schedule idempotently. The one path for `cli connect` and
 * the login callback.
 */
export async function connectAccount(
  deps: ConnectDeps,
  tokens: ConnectTokens,
  options: { initialSync?: Partial<InitialSyncInput> } = {},
): Promise<ConnectResult> {
  const accounts = accountsClientFor(deps.config.spotify, deps.fetch);
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
  const me = await client.getMe();
  const accountId = me.account_id ?? me.id;
  const now = new Date();
  const encrypted = {
    refresh_token_encrypted: deps.cipher.encrypt(current.refreshToken),
    access_token_encrypted: current.accessToken ? deps.cipher.encrypt(current.accessToken) : null,
    access_token_expires_at: current.accessTokenExpiresAt,
  };
  const existing = await deps.db('accounts').where({ id: accountId }).first('id');
  await deps.db('accounts')
    .insert({ id: accountId, spotify_user_id: me.id, display_name: me.display_name ?? null, ...encrypted, needs_reauth: false, connected_at: now, updated_at: now })
    .onConflict('id')
    .merge({ spotify_user_id: me.id, display_name: me.display_name ?? null, ...encrypted, needs_reauth: false, updated_at: now });
  const started = await startAccountWorkflows(await deps.workflows(), accountId, options);
  return { accountId, displayName: me.display_name ?? null, created: !existing, ...started };
}
