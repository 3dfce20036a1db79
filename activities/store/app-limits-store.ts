import type { Db } from '../../src/db/connect.js';
import type { SpotifyAppLimitsRow } from '../../src/db/rows.js';
import type { CallLimiterState } from '../../src/spotify/call-limiter.js';

/** What Postgres kept of a Spotify app's call limiter (undefined before its first save). */
export async function loadAppLimits(db: Db, clientId: string): Promise<SpotifyAppLimitsRow | undefined> {
  return db('spotify_app_limits').where({ client_id: clientId }).first();
}

/** Keeps what a Spotify app's call limiter learned (one row per client id). */
export async function saveAppLimits(db: Db, clientId: string, state: CallLimiterState): Promise<void> {
  await db('spotify_app_limits')
    .insert({ client_id: clientId, concurrency: state.concurrency, window_limit: state.windowLimit, updated_at: new Date() })
    .onConflict('client_id')
    .merge();
}
