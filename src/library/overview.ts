import type { Db } from '../db/connect.js';

/** What an account's library holds at a glance (the home page; plays are the status's). */
export interface LibraryOverview {
  savedTracks: number;
  playlists: number;
}

export async function readLibraryOverview(db: Db, accountId: string): Promise<LibraryOverview> {
  const [saved, playlists] = await Promise.all([
    db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' }),
    db('playlists').where({ account_id: accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' }),
  ]);
  return { savedTracks: Number(saved[0]!.n), playlists: Number(playlists[0]!.n) };
}
