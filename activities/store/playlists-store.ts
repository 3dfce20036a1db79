import type { Knex } from 'knex';

/** A playlist's row as the listing writes it (metadata only; its items are written apart). */
export interface PlaylistUpsert {
  account_id: string;
  id: string;
  name: string;
  description: string | null;
  owner_id: string | null;
  owner_name: string | null;
  collaborative: boolean;
  public: boolean | null;
  snapshot_id: string;
  total_items: number;
  images: string;
  list_position: number;
  removed_at: null;
  synced_at: Date;
}

/** Upserts listed playlists: one seen again is active again (removed_at null). */
export async function upsertPlaylists(trx: Knex.Transaction | Knex, rows: PlaylistUpsert[]): Promise<void> {
  if (rows.length === 0) return;
  await trx('playlists')
    .insert(rows)
    .onConflict(['account_id', 'id'])
    .merge(['name', 'description', 'owner_id', 'owner_name', 'collaborative', 'public', 'snapshot_id', 'total_items', 'images', 'list_position', 'removed_at', 'synced_at']);
}
