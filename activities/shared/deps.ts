import type { Config } from '../../src/config/load-config.js';
import type { TokenCipher } from '../../src/crypto/token-cipher.js';
import type { Db } from '../../src/db/connect.js';
import type { CallGate } from '../../src/spotify/call-limiter.js';
import type { SpotifyCallEvent } from '../../src/spotify/client.js';

/** What every activity needs; the worker passes real dependencies, tests and the benchmark others. */
export interface ActivityDeps {
  db: Db;
  config: Config;
  cipher: TokenCipher;
  fetch?: typeof fetch;
  /** Observes every Web API call (metrics, tests). */
  onCall?: (event: SpotifyCallEvent) => void;
  /** The call limiter of each Spotify app, shared by every account of this worker; none = no limit. */
  callGates?: { gateFor(clientId: string): CallGate };
  /**
   * Spotify's clock, which its quota windows follow (the simulator's under the time-skipping server);
   * defaults to `now`, then the real one.
   */
  spotifyNow?: () => number | Promise<number>;
  /** The activities' clock (tests move it); defaults to the real one. */
  now?: () => Date;
}

export function nowOf(deps: Pick<ActivityDeps, 'now'>): Date {
  return deps.now?.() ?? new Date();
}
