import type { Db } from '../src/db/connect.js';

export interface Truth {
  savedTracks: string[];
  artists: string[];
  albums: string[];
  playlists: { id: string; snapshotId: string; itemsAccessible: boolean; items: string[]; entryUris?: (string | null)[] }[];
  savedAlbums?: string[];
  followedArtists?: string[];
  savedShows?: string[];
  savedEpisodes?: string[];
  savedAudiobooks?: string[];
}

/** The collections of the whole library, as `/_sim/truth` names them, and where the mirror keeps them. */
const collectionTables = {
  savedAlbums: ['saved_albums', 'album_id'],
  followedArtists: ['followed_artists', 'artist_id'],
  savedShows: ['saved_shows', 'show_id'],
  savedEpisodes: ['saved_episodes', 'episode_id'],
  savedAudiobooks: ['saved_audiobooks', 'audiobook_id'],
} as const;
export type CollectionName = keyof typeof collectionTables;

/** Each collection's active saves (ids sorted), as stored. */
export async function readCollections(db: Db, accountId: string): Promise<Record<CollectionName, string[]>> {
  const out = {} as Record<CollectionName, string[]>;
  for (const [name, [table, column]] of Object.entries(collectionTables) as [CollectionName, readonly [string, string]][]) {
    out[name] = sorted(await db<Record<string, string>>(table).where({ account_id: accountId }).whereNull('removed_at').pluck(column));
  }
  return out;
}

/** The truth's collections, ids sorted. */
export function truthCollections(truth: Truth): Record<CollectionName, string[]> {
  const out = {} as Record<CollectionName, string[]>;
  for (const name of Object.keys(collectionTables) as CollectionName[]) out[name] = sorted(truth[name] ?? []);
  return out;
}

const sorted = (ids: string[]) => [...ids].sort();

/**
 * The account's library as stored, in the shape of the simulator's `/_sim/truth`: what a user would
 * check with SQL. Artists and albums are those of the stored library's tracks; stubs are reported
 * separately so a test can demand there are none.
 */
export async function readMirror(db: Db, accountId: string) {
  const savedTracks = await db('saved_tracks').where({ account_id: accountId }).whereNull('removed_at').pluck('track_id');
  const libraryTracks = db
    .select('track_id')
    .from('saved_tracks')
    .where({ account_id: accountId })
    .whereNull('removed_at')
    .union(
      db
        .select('i.track_id')
        .from('playlist_items as i')
        .join('playlists as p', function () {
          this.on('p.account_id', 'i.account_id').andOn('p.id', 'i.playlist_id');
        })
        .where('i.account_id', accountId)
        .whereNull('p.removed_at'),
    );
  const artists = (
    await db.raw(
      `select distinct a.id, a.details_synced_at is null as stub from artists a
     where a.id in (select ta.artist_id from track_artists ta where ta.track_id in (${libraryTracks.toQuery()}))
        or a.id in (select aa.artist_id from album_artists aa join tracks t on t.album_id = aa.album_id where t.id in (${libraryTracks.toQuery()}))`,
    )
  ).rows as { id: string; stub: boolean }[];
  const albums = (
    await db.raw(`select distinct al.id, al.details_synced_at is null as stub from albums al join tracks t on t.album_id = al.id where t.id in (${libraryTracks.toQuery()})`)
  ).rows as { id: string; stub: boolean }[];
  const playlists = await db('playlists').where({ account_id: accountId }).whereNull('removed_at').orderBy('id');
  const items = await db('playlist_items').where({ account_id: accountId }).orderBy(['playlist_id', 'position']);
  return {
    savedTracks: sorted(savedTracks),
    artists: sorted(artists.map((a) => a.id)),
    albums: sorted(albums.map((a) => a.id)),
    stubs: { artists: artists.filter((a) => a.stub).map((a) => a.id), albums: albums.filter((a) => a.stub).map((a) => a.id) },
    playlists: playlists.map((p) => ({
      id: p.id as string,
      snapshotId: p.items_snapshot_id as string,
      itemsAccessible: p.items_accessible as boolean,
      items: items.filter((i) => i.playlist_id === p.id && i.kind === 'track').map((i) => i.track_id as string),
      // Every entry at its position: tracks, episodes, local files, and null for an unavailable one.
      entryUris: items.filter((i) => i.playlist_id === p.id).map((i) => (i.kind === 'unavailable' ? null : i.uri)),
    })),
  };
}

export function normalizeTruth(truth: Truth) {
  return {
    savedTracks: sorted(truth.savedTracks),
    artists: sorted(truth.artists),
    albums: sorted(truth.albums),
    playlists: [...truth.playlists]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({ id: p.id, snapshotId: p.snapshotId, itemsAccessible: p.itemsAccessible, items: p.items, entryUris: p.entryUris ?? [] })),
  };
}

/** Compares without the stub report; use `expect(mirror.stubs)` for that. */
export async function mirrorMatchesTruth(db: Db, accountId: string, truth: Truth) {
  const { stubs, ...mirror } = await readMirror(db, accountId);
  return { mirror, expected: normalizeTruth(truth), stubs };
}
