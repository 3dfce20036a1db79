import type { Db } from '../db/connect.js';

/** Keeps whether playback tracking is paused (`at`: when; null: it runs again), as the controls left it. */
export async function recordPlaybackPaused(db: Db, accountId: string, at: Date | null): Promise<void> {
  await db('accounts').where({ id: accountId }).update({ playback_paused_at: at });
}
