import type { Knex } from 'knex';

/** Saves (track id → Spotify's added_at), upserted: a save seen again is active again (removed_at null). */
export async function upsertSavedTracks(trx: Knex.Transaction, accountId: string, saves: Map<string, string>, now: Date): Promise<void> {
  if (saves.size === 0) return;
  await trx('saved_tracks')
    .insert([...saves.entries()].map(([trackId, addedAt]) => ({ account_id: accountId, track_id: trackId, added_at: new Date(addedAt), removed_at: null, synced_at: now })))
    .onConflict(['account_id', 'track_id'])
    .merge(['added_at', 'removed_at', 'synced_at']);
}

/**
 * Soft-deletes what a full read of the library did not see: rows of `table` not synced since `seenSince`
 * (the start of that read) get `removed_at`. Returns how many.
 */
export function softDeleteUnseen(trx: Knex.Transaction, table: 'saved_tracks' | 'playlists', accountId: string, seenSince: Date, now: Date): Promise<number> {
  return trx(table).where({ account_id: accountId }).whereNull('removed_at').where('synced_at', '<', seenSince).update({ removed_at: now });
}
