import { DEMO_CLIENT_ID, accountsClientFor } from '../src/spotify/accounts.js';
import { createSpotifyClient, type SpotifyCallEvent, type SpotifyClient } from '../src/spotify/client.js';
import { accountTokenStore } from './account-token-store.js';
import type { ActivityDeps } from './deps.js';

/** A Spotify client for one account that records each call it makes into `calls`. */
export function openSpotifySession(deps: ActivityDeps, accountId: string): { client: SpotifyClient; calls: SpotifyCallEvent[] } {
  const calls: SpotifyCallEvent[] = [];
  const client = createSpotifyClient({
    apiUrl: deps.config.spotify.apiUrl,
    accounts: accountsClientFor(deps.config.spotify, deps.fetch),
    tokens: accountTokenStore(deps.db, deps.cipher, accountId),
    fetch: deps.fetch,
    gate: deps.callGates?.gateFor(deps.config.spotify.clientId ?? DEMO_CLIENT_ID),
    onCall: (event) => {
      calls.push(event);
      deps.onCall?.(event);
    },
  });
  return { client, calls };
}
