import type { Db } from '../db/connect.js';
import { type PlaySource, playSources } from './history.js';

/** What an account's mirror holds at a glance (the home page). */
export interface LibraryOverview {
  savedTracks: number;
  playlists: number;
  /** Plays recorded, by where they came from (polled recently-played, or an imported export). */
  playsBySource: Record<PlaySource, number>;
}

/**
 * Counts for the home page. Plays come from the daily rollup (a few rows per day), not from the plays
 * themselves, so the answer stays fast at hundreds of thousands of plays.
 */
export async function readLibraryOverview(db: Db, accountId: string): Promise<LibraryOverview> {
  const [saved, playlists, plays] = await Promise.all([
    db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' }),
    db('playlists').where({ account_id: accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' }),
    playsBySource(db, accountId),
  ]);
  return { savedTracks: Number(saved[0]!.n), playlists: Number(playlists[0]!.n), playsBySource: plays };
}

/** Plays recorded per source, short plays included (every row of play_history counts once). */
export async function playsBySource(db: Db, accountId: string): Promise<Record<PlaySource, number>> {
  const rows = (await db('play_rollup_days').where({ account_id: accountId }).groupBy('source').select('source').sum({ plays: 'plays' })) as {
    source: PlaySource;
    plays: string;
  }[];
  const counts = Object.fromEntries(playSources.map((s) => [s, 0])) as Record<PlaySource, number>;
  for (const row of rows) counts[row.source] = Number(row.plays);
  return counts;
}
