import type { Db } from '../db/connect.js';
import type { CallsLeftFacts } from './calls-left.js';

/**
 * The playlists whose items the initial sync still reads: listed, not removed, not read at their
 * snapshot, not refused; in development mode only those the account owns or collaborates on (the
 * others keep their metadata without a call).
 */
const pendingPlaylists = `select p.id, p.total_items from playlists p
  where p.account_id = :accountId and p.removed_at is null and p.items_snapshot_id is distinct from p.snapshot_id and p.items_accessible is not false
    and (not :development or p.collaborative or p.owner_id = (select spotify_user_id from accounts where id = :accountId))`;

/** Item pages (50 entries) of the playlists whose items are still to read; an empty playlist needs none, as the items batch reads it. */
export async function playlistItemPages(db: Db, accountId: string, appMode: CallsLeftFacts['appMode']): Promise<number> {
  const result = await db.raw(`select coalesce(sum(ceil(total_items / 50.0)), 0)::int as pages from (${pendingPlaylists}) p`, {
    accountId,
    development: appMode === 'development',
  });
  return (result.rows[0] as { pages: number } | undefined)?.pages ?? 0;
}

/**
 * What the estimate of the artists and albums that playlist entries not read yet will bring starts from:
 * the entries left (the listing's totals, less those of the playlist in progress already read), the
 * entries read, whether the listing is read. Cheap: what the entries read brought is `playlistEntryFinds`.
 */
export async function playlistEntries(db: Db, accountId: string, appMode: CallsLeftFacts['appMode']): Promise<{ listed: boolean; left: number; read: number }> {
  const result = await db.raw(
    `with state as (select last_synced_offset, total_estimated, cursor from sync_state where account_id = :accountId and entity_type = 'playlists' and phase = 'initial'),
     pending as (${pendingPlaylists})
     select
       (select coalesce(sum(total_items), 0)::int from pending) as total_left,
       (select coalesce(max((s.cursor::json ->> 'offset')::int), 0)::int from state s join pending p on p.id = s.cursor::json ->> 'playlistId' where s.cursor is not null) as in_progress,
       (select count(*)::int from playlist_items where account_id = :accountId) as read,
       coalesce((select total_estimated is not null and last_synced_offset >= total_estimated from state), false) as listed`,
    { accountId, development: appMode === 'development' },
  );
  const row = result.rows[0] as { total_left: number; in_progress: number; read: number; listed: boolean } | undefined;
  return { listed: row?.listed ?? false, left: Math.max(0, (row?.total_left ?? 0) - (row?.in_progress ?? 0)), read: row?.read ?? 0 };
}

/**
 * The artists and albums that only the playlist entries read so far credit (no saved or played track,
 * nor its album, does). Sums the whole library: about a second on 100k saved tracks and 300k plays.
 */
export async function playlistEntryFinds(db: Db, accountId: string): Promise<{ readArtists: number; readAlbums: number }> {
  const result = await db.raw(
    `with mine as (
       select track_id from saved_tracks where account_id = :accountId
       union select track_id from play_history where account_id = :accountId and track_id is not null),
     mine_albums as (select distinct t.album_id from tracks t join mine m on m.track_id = t.id),
     mine_artists as (
       select ta.artist_id from track_artists ta join mine m on m.track_id = ta.track_id
       union select aa.artist_id from album_artists aa join mine_albums m on m.album_id = aa.album_id),
     listed as (select distinct track_id from playlist_items where account_id = :accountId and track_id is not null except select track_id from mine),
     listed_albums as (select distinct t.album_id from tracks t join listed l on l.track_id = t.id except select album_id from mine_albums),
     listed_artists as (
       (select ta.artist_id from track_artists ta join listed l on l.track_id = ta.track_id
        union select aa.artist_id from album_artists aa join tracks t on t.album_id = aa.album_id join listed l on l.track_id = t.id)
       except select artist_id from mine_artists)
     select (select count(*)::int from listed_artists) as read_artists, (select count(*)::int from listed_albums) as read_albums`,
    { accountId },
  );
  const row = result.rows[0] as { read_artists: number; read_albums: number } | undefined;
  return { readArtists: row?.read_artists ?? 0, readAlbums: row?.read_albums ?? 0 };
}

/**
 * How fast the saved tracks still bring artists and albums not met before: the distinct artists (of the
 * tracks and their albums) and albums of all of them, and of every other one (by the time they were saved).
 */
export async function savedTrackNovelty(db: Db, accountId: string): Promise<NonNullable<CallsLeftFacts['savedTrackNovelty']>> {
  const result = await db.raw(
    `with saved as (select track_id, row_number() over (order by added_at, track_id) as n from saved_tracks where account_id = :accountId),
     half as (select track_id from saved where n % 2 = 0),
     artists_of as (
       select s.track_id, ta.artist_id from saved s join track_artists ta on ta.track_id = s.track_id
       union select s.track_id, aa.artist_id from saved s join tracks t on t.id = s.track_id join album_artists aa on aa.album_id = t.album_id)
     select
       (select count(*)::int from saved) as tracks,
       (select count(distinct artist_id)::int from artists_of) as artists,
       (select count(distinct a.artist_id)::int from artists_of a join half h on h.track_id = a.track_id) as half_artists,
       (select count(distinct t.album_id)::int from tracks t join saved s on s.track_id = t.id) as albums,
       (select count(distinct t.album_id)::int from tracks t join half h on h.track_id = t.id) as half_albums`,
    { accountId },
  );
  const row = result.rows[0] as { tracks: number; artists: number; half_artists: number; albums: number; half_albums: number } | undefined;
  return {
    tracks: row?.tracks ?? 0,
    artists: row?.artists ?? 0,
    halfArtists: row?.half_artists ?? 0,
    albums: row?.albums ?? 0,
    halfAlbums: row?.half_albums ?? 0,
  };
}
