import type { Db } from '../../src/db/connect.js';

/** How many saves of the account are active (not removed). */
export async function countActiveSaves(db: Db, accountId: string): Promise<number> {
  return Number((await db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').count({ n: '*' }).first())?.n ?? 0);
}

/** Of `trackIds`, those the account has saved (active). */
export async function activeSavedTrackIds(db: Db, accountId: string, trackIds: string[]): Promise<Set<string>> {
  return new Set(await db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').whereIn('track_id', trackIds).pluck('track_id'));
}
