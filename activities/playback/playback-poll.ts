import { log } from '@temporalio/activity';
import { loginProblemOf, recordLoginProblem } from '../../src/accounts/login-status.js';
import { SpotifyRateLimitError } from '../../src/spotify/errors.js';
import { CatalogRows, type TrackLike } from '../store/normalize.js';
import { openSpotifySession } from '../shared/spotify-session.js';
import { loadSyncState, recordCalls, recordRateLimitSkip } from '../store/sync-state-store.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { storePolledPlays } from '../store/playback-store.js';
import { emptyPlayFields, type PlayInput } from '../store/play-input.js';

export const RECENTLY_PLAYED_LIMIT = 50;

export interface PlaybackPollResult {
  outcome: 'ok' | 'rate_limited' | 'needs_reauth';
  /** Plays stored by this poll (new ones only). */
  recorded: number;
  /** Set when plays may have been lost between the last stored play and the oldest play of this poll. */
  gap: { from: string; to: string } | null;
  apiCalls: number;
  /** PLAYBACK_POLL_MINUTES as the worker is configured now, so a changed setting applies without a restart. */
  pollMinutes: number;
}

/**
 * One poll of recently played tracks: one call for the last 50 plays (all recently-played ever shows),
 * each stored once through the plays-once rule, so a play Spotify lists late, behind newer ones it
 * listed before (spotify/web-api#1441, #1186, #918), is stored by the next poll like any other. Asking
 * only for plays after the newest stored one would never see it. A full page whose oldest play is newer
 * than the newest stored one records a gap (plays may have slipped by between polls); a late play only
 * reaches further back, so it is never one. A 429 skips this poll: the next one still sees the last 50.
 */
export async function pollRecentlyPlayed(deps: ActivityDeps, input: { accountId: string }): Promise<PlaybackPollResult> {
  const { accountId } = input;
  const pollMinutes = deps.config.sync.playbackPollMinutes;
  const key = { accountId, entity: 'playback', kind: 'playback' } as const;
  const state = await loadSyncState(deps.db, key);
  const lastStoredMs = state.cursor === null ? null : Number(state.cursor);
  const { client, calls } = openSpotifySession(deps, accountId);
  const now = nowOf(deps);

  let page;
  try {
    page = await client.getRecentlyPlayed({ limit: RECENTLY_PLAYED_LIMIT });
  } catch (error) {
    await recordCalls(deps.db, accountId, calls);
    if (error instanceof SpotifyRateLimitError) {
      log.warn('recently-played poll rate-limited: skipping this poll', { accountId, retryAfterSeconds: error.retryAfterSeconds });
      await recordRateLimitSkip(deps.db, state.id, error.kind, now);
      return { outcome: 'rate_limited', recorded: 0, gap: null, apiCalls: calls.length, pollMinutes };
    }
    const loginProblem = loginProblemOf(error);
    if (loginProblem) {
      await recordLoginProblem(deps.db, accountId, loginProblem, now);
      return { outcome: 'needs_reauth', recorded: 0, gap: null, apiCalls: calls.length, pollMinutes };
    }
    throw error;
  }

  const rows = new CatalogRows();
  const plays: PlayInput[] = [];
  for (const item of page.items) {
    const track = item?.track as TrackLike | null | undefined;
    if (!item || !rows.addTrack(track)) continue;
    plays.push({
      ...emptyPlayFields,
      playedAt: new Date(item.played_at),
      source: 'poll',
      contentType: 'track',
      trackId: track.id,
      trackName: track.name,
      artistName: track.artists?.[0]?.name ?? null,
      albumName: track.album?.name ?? null,
      contextType: item.context?.type ?? null,
      contextUri: item.context?.uri ?? null,
    });
  }
  const playedTimes = page.items.filter(Boolean).map((i) => Date.parse(i.played_at));
  const oldestMs = playedTimes.length > 0 ? Math.min(...playedTimes) : null;
  const newestMs = playedTimes.length > 0 ? Math.max(...playedTimes) : null;
  const reachesBack = lastStoredMs === null || (oldestMs !== null && oldestMs <= lastStoredMs);
  const gap =
    !reachesBack && page.items.length >= RECENTLY_PLAYED_LIMIT && lastStoredMs !== null && oldestMs !== null
      ? { from: new Date(lastStoredMs).toISOString(), to: new Date(oldestMs).toISOString() }
      : null;

  const cursor = newestMs !== null && (lastStoredMs === null || newestMs > lastStoredMs) ? String(newestMs) : state.cursor;
  const recorded = await storePolledPlays(deps.db, { accountId, stateId: state.id, rows, plays, gap, cursor, calls, now });
  if (gap) log.warn('plays may have been lost: more than 50 plays since the last poll', { accountId, from: gap.from, to: gap.to });
  return { outcome: 'ok', recorded, gap, apiCalls: calls.length, pollMinutes };
}
