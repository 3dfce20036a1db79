import type { Db } from '../../src/db/connect.js';

export interface LibraryShape {
  tracks: number;
  playlists: number;
  itemsPerPlaylist: number;
  plays: number;
  /** The collections of the whole library; none unless given (the time machine's library has none). */
  collections?: CollectionsShape;
}

export interface CollectionsShape {
  savedAlbums: number;
  followedArtists: number;
  /**
   * Shows of 5 to 40 episodes, four in five of them saved; 0 to 3 episodes of each saved (the catalog
   * holds those only: the sync stores the episodes of saves and playlist entries, not a show's list);
   * and an audiobook per four shows.
   */
  shows: number;
}

/** The sizes the simulator gives a library of this many saved tracks (src/simulator/collections.ts, defaultCollectionSizes). */
export const collectionsFor = (tracks: number): CollectionsShape => ({
  savedAlbums: Math.round(tracks / 20),
  followedArtists: Math.round(tracks / 50),
  shows: tracks > 0 ? Math.max(2, Math.round(tracks / 500)) : 0,
});

/**
 * A library of the given shape written straight into Postgres with set-based SQL (syncing 100k tracks
 * through the simulator would take the benchmark's whole budget and measure the sync, not the reads).
 * Names come from word lists, with accents in some, so searches have something to find. Plays come
 * one every 1052 s (about 82 a day, some four hours of listening): 300k plays are ten years of heavy
 * listening, as a real listener would make them, not a year of 52-hour days.
 */
export async function writeLibrary(db: Db, accountId: string, shape: LibraryShape): Promise<void> {
  const words = `array['Silver','Broken','Électric','Quiet','Golden','Midnight','Hollow','Néon','Velvet','Paper','Wild','Frozen','Crimson','Distant','Lucky','Harbor','Echo','Garden','River','Machine','Summer','Ghost','Signal','Mirror','Highway','Océan','Fever','Satellite','Window','Thunder']`;
  await db('accounts').insert({ id: accountId, spotify_user_id: accountId, display_name: 'Bench', refresh_token_encrypted: 'x', sync_state: 'complete', sync_phase: 'complete' });
  const artists = Math.max(10, Math.round(shape.tracks / 20));
  const albums = Math.max(10, Math.round(shape.tracks / 10));
  await db.raw(
    `insert into artists (id, name, details_synced_at)
     select 'ar' || i, (${words})[1 + i % 30] || ' ' || (${words})[1 + (i / 30) % 30] || ' ' || i, now() from generate_series(1, ?) i`,
    [artists],
  );
  await db.raw(
    `insert into albums (id, name, album_type, release_date, release_date_precision, total_tracks, details_synced_at)
     select 'al' || i, (${words})[1 + (i * 7) % 30] || ' ' || (${words})[1 + (i / 7) % 30], (array['album','single','compilation'])[1 + i % 3],
            (1960 + i % 66)::text || '-0' || (1 + i % 9) || '-1' || (i % 9), 'day', 10, now()
     from generate_series(1, ?) i`,
    [albums],
  );
  await db.raw(`insert into album_artists (album_id, artist_id, position) select 'al' || i, 'ar' || (1 + i % ?), 0 from generate_series(1, ?) i`, [artists, albums]);
  await db.raw(
    `insert into tracks (id, name, album_id, duration_ms, explicit, disc_number, track_number, uri)
     select 't' || i, (${words})[1 + (i * 13) % 30] || ' ' || (${words})[1 + (i / 13) % 30] || ' ' || i, 'al' || (1 + i % ?), 120000 + (i * 7919) % 240000,
            i % 7 = 0, 1, 1 + i % 10, 'spotify:track:t' || i
     from generate_series(1, ?) i`,
    [albums, shape.tracks],
  );
  await db.raw(`insert into track_artists (track_id, artist_id, position) select 't' || i, 'ar' || (1 + i % ?), 0 from generate_series(1, ?) i`, [artists, shape.tracks]);
  await db.raw(`insert into track_artists (track_id, artist_id, position) select 't' || i, 'ar' || (1 + (i * 31) % ?), 1 from generate_series(1, ?) i where i % 4 = 0`, [
    artists,
    shape.tracks,
  ]);
  await db.raw(
    `insert into saved_tracks (account_id, track_id, added_at, removed_at)
     select ?, 't' || i, timestamptz '2015-01-01' + (i * interval '37 minutes'), case when i % 200 = 0 then timestamptz '2026-06-01' end from generate_series(1, ?) i`,
    [accountId, shape.tracks],
  );
  await db.raw(
    `insert into playlists (account_id, id, name, owner_id, snapshot_id, items_snapshot_id, items_accessible, total_items, list_position)
     select ?, 'pl' || p, 'Playlist ' || p, ?, 'snap' || p, 'snap' || p, true, ?, p from generate_series(1, ?) p`,
    [accountId, accountId, shape.itemsPerPlaylist, shape.playlists],
  );
  await db.raw(
    `insert into playlist_items (account_id, playlist_id, position, track_id, added_at, added_by)
     select ?, 'pl' || p, n, 't' || (1 + (p * 7777 + n * 13) % ?), timestamptz '2020-01-01' + n * interval '1 hour', ?
     from generate_series(1, ?) p, generate_series(0, ? - 1) n`,
    [accountId, shape.tracks, accountId, shape.playlists, shape.itemsPerPlaylist],
  );
  await db.raw(
    `insert into play_history (account_id, played_at, track_id, source, ms_played)
     select ?, timestamptz '2026-11-30' - i * interval '1052 seconds', 't' || (1 + (i::bigint * 104729) % ?),
            case when i % 3 = 0 then 'extended_export' else 'poll' end, case when i % 3 = 0 then 10000 + (i * 31) % 200000 end
     from generate_series(1, ?) i`,
    [accountId, shape.tracks, shape.plays],
  );
  await db.raw(
    `insert into playback_gaps (account_id, gap_start, gap_end)
     select ?, timestamptz '2026-11-30' - i * interval '9 days', timestamptz '2026-11-30' - i * interval '9 days' + interval '2 hours' from generate_series(1, 30) i`,
    [accountId],
  );
  if (shape.collections) await writeCollections(db, accountId, { artists, albums }, shape.collections);
  await db.raw('analyze');
}

/**
 * Saved albums (spread over the catalog's albums, each with a cover and its embedded page of tracks),
 * followed artists, saved shows, saved episodes with their catalog rows, and saved audiobooks; one save
 * in a hundred removed, so `removed` has something to find.
 */
async function writeCollections(db: Db, accountId: string, catalog: { artists: number; albums: number }, shape: CollectionsShape): Promise<void> {
  const savedAlbums = Math.min(shape.savedAlbums, catalog.albums);
  const followedArtists = Math.min(shape.followedArtists, catalog.artists);
  const cover = (id: string) => `jsonb_build_array(jsonb_build_object('url', 'https://i.scdn.co/image/' || ${id}, 'height', 640, 'width', 640))`;
  await db.raw(
    `insert into saved_albums (account_id, album_id, added_at, removed_at)
     select ?, 'al' || (1 + (i - 1) * ? / ?), timestamptz '2016-01-01' + i * interval '17 hours', case when i % 100 = 0 then timestamptz '2026-06-01' end
     from generate_series(1, ?) i`,
    [accountId, catalog.albums, savedAlbums, savedAlbums],
  );
  await db.raw(
    `update albums al set images = ${cover('al.id')},
       tracks_page = (select jsonb_agg(jsonb_build_object('id', al.id || 't' || n, 'name', 'Track ' || n, 'trackNumber', n, 'durationMs', 180000 + n * 1000) order by n)
                      from generate_series(1, al.total_tracks) n)
     where al.id in (select album_id from saved_albums where account_id = ?)`,
    [accountId],
  );
  await db.raw(
    `insert into followed_artists (account_id, artist_id, followed_at, removed_at)
     select ?, 'ar' || (1 + (i - 1) * ? / ?), timestamptz '2020-01-01' + i * interval '1 day', case when i % 100 = 0 then timestamptz '2026-06-01' end
     from generate_series(1, ?) i`,
    [accountId, catalog.artists, followedArtists, followedArtists],
  );
  await db.raw(`update artists a set images = ${cover('a.id')}, genres = array['indie', 'rock'] where a.id in (select artist_id from followed_artists where account_id = ?)`, [
    accountId,
  ]);
  await db.raw(
    `insert into shows (id, name, publisher, media_type, explicit, total_episodes, images, uri)
     select 'sh' || s, 'Show ' || s || ' of the ' || (array['Garden','Harbor','Signal','Mirror','River'])[1 + s % 5], 'Publisher ' || (s % 17), 'audio', false,
            5 + (s * 7) % 36, ${cover("'sh' || s")}, 'spotify:show:sh' || s
     from generate_series(1, ?) s`,
    [shape.shows],
  );
  await db.raw(
    `insert into episodes (id, show_id, name, duration_ms, explicit, release_date, images, uri)
     select 'ep' || s || '_' || n, 'sh' || s, 'Episode ' || n || ' of show ' || s, 1200000 + (s * n * 7919) % 3600000, false,
            to_char(date '2026-11-01' - n * 7, 'YYYY-MM-DD'), ${cover("'ep' || s || '_' || n")}, 'spotify:episode:ep' || s || '_' || n
     from generate_series(1, ?) s, generate_series(1, s % 4) n`,
    [shape.shows],
  );
  await db.raw(
    `insert into saved_shows (account_id, show_id, added_at, removed_at)
     select ?, 'sh' || s, timestamptz '2019-01-01' + s * interval '5 days', case when s % 100 = 1 then timestamptz '2026-06-01' end
     from generate_series(1, ?) s where s % 5 <> 0`,
    [accountId, shape.shows],
  );
  await db.raw(
    `insert into saved_episodes (account_id, episode_id, added_at, removed_at)
     select ?, 'ep' || s || '_' || n, timestamptz '2024-01-01' + (s * 4 + n) * interval '13 hours', case when (s + n) % 100 = 0 then timestamptz '2026-06-01' end
     from generate_series(1, ?) s, generate_series(1, s % 4) n`,
    [accountId, shape.shows],
  );
  const audiobooks = Math.max(shape.shows > 0 ? 1 : 0, Math.round(shape.shows / 4));
  await db.raw(
    `insert into audiobooks (id, name, authors, narrators, publisher, explicit, total_chapters, images, uri)
     select 'ab' || b, (array['Silver','Quiet','Golden','Distant','Summer'])[1 + b % 5] || ' Book ' || b, array['Author ' || b], array['Narrator ' || (b % 7)],
            'House ' || (b % 5), false, 10 + b % 30, ${cover("'ab' || b")}, 'spotify:audiobook:ab' || b
     from generate_series(1, ?) b`,
    [audiobooks],
  );
  await db.raw(
    `insert into saved_audiobooks (account_id, audiobook_id, added_at) select ?, 'ab' || b, timestamptz '2022-01-01' + b * interval '9 days' from generate_series(1, ?) b`,
    [accountId, audiobooks],
  );
}
