import type { Config } from '../config/load-config.js';
import type { TokenCipher } from '../crypto/token-cipher.js';
import type { Db } from '../db/connect.js';
import { accountTokenStore } from '../accounts/account-token-store.js';
import { createAccountsClient } from '../spotify/accounts.js';
import type { CallGate } from '../spotify/call-limiter.js';
import { createSpotifyClient, type SpotifyCallEvent, type SpotifyClient } from '../spotify/client.js';

export const DEMO_CLIENT_ID = 'spotify-sync-demo';

export interface SpotifyDeps {
  db: Db;
  config: Config;
  cipher: TokenCipher;
  fetch?: typeof fetch;
  /** Observes every Web API call (metrics, tests). */
  onCall?: (event: SpotifyCallEvent) => void;
  /** The call limiter of each Spotify app, shared by every account of this worker; none = no limit. */
  callGates?: { gateFor(clientId: string): CallGate };
}

/** A Spotify client for one account that records each call it makes into `calls`. */
export function openSpotifySession(deps: SpotifyDeps, accountId: string): { client: SpotifyClient; calls: SpotifyCallEvent[] } {
  const calls: SpotifyCallEvent[] = [];
  const clientId = deps.config.spotify.clientId ?? DEMO_CLIENT_ID;
  const accounts = createAccountsClient({
    accountsUrl: deps.config.spotify.accountsUrl,
    clientId,
    clientSecret: deps.config.spotify.clientSecret,
    fetch: deps.fetch,
  });
  const client = createSpotifyClient({
    apiUrl: deps.config.spotify.apiUrl,
    accounts,
    tokens: accountTokenStore(deps.db, deps.cipher, accountId),
    fetch: deps.fetch,
    gate: deps.callGates?.gateFor(clientId),
    onCall: (event) => {
      calls.push(event);
      deps.onCall?.(event);
    },
  });
  return { client, calls };
}
