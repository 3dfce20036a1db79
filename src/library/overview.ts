import type { Db } from '../db/connect.js';
import { readSavedCount } from './saved-tracks.js';

/** What an account's library holds at a glance (the home page; plays are the status's). */
export interface LibraryOverview {
  savedTracks: number;
  playlists: number;
}

export async function readLibraryOverview(db: Db, accountId: string): Promise<LibraryOverview> {
  const [saved, playlists] = await Promise.all([
    readSavedCount(db, accountId),
    db('playlists').where({ account_id: accountId }).whereNull('removed_at').count<{ n: string }[]>({ n: '*' }),
  ]);
  return { savedTracks: saved, playlists: Number(playlists[0]!.n) };
}
