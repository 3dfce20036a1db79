import type { Db } from '../../src/db/connect.js';

export interface LibraryShape {
  tracks: number;
  playlists: number;
  itemsPerPlaylist: number;
  plays: number;
}

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
  await db.raw('analyze');
}
