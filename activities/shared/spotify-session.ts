import { DEMO_CLIENT_ID, accountsClientFor } from '../../src/spotify/accounts.js';
import { OPEN_GATE, type CallGate } from '../../src/spotify/call-limiter.js';
import type { CallRetryPolicy } from '../../src/spotify/call-retry.js';
import { createSpotifyClient, type SpotifyCallEvent, type SpotifyClient } from '../../src/spotify/client.js';
import { accountTokenStore } from '../store/account-token-store.js';
import type { ActivityDeps } from './deps.js';

/**
 * A Spotify client for one account that records each call it makes into `calls`, behind the call gate
 * of its app. `retry`: its retries at the call (default: the client's own).
 */
export function openSpotifySession(
  deps: ActivityDeps,
  accountId: string,
  options: { retry?: CallRetryPolicy } = {},
): { client: SpotifyClient; calls: SpotifyCallEvent[]; gate: CallGate } {
  const calls: SpotifyCallEvent[] = [];
  const gate = deps.callGates?.gateFor(deps.config.spotify.clientId ?? DEMO_CLIENT_ID) ?? OPEN_GATE;
  const client = createSpotifyClient({
    apiUrl: deps.config.spotify.apiUrl,
    accounts: accountsClientFor(deps.config.spotify, deps.fetch),
    tokens: accountTokenStore(deps.db, deps.cipher, accountId),
    fetch: deps.fetch,
    gate,
    ...(options.retry ? { retry: options.retry } : {}),
    onCall: (event) => {
      calls.push(event);
      deps.onCall?.(event);
    },
  });
  return { client, calls, gate };
}
