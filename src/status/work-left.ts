import type { Db } from '../db/connect.js';
import type { SyncHistoryRow } from '../db/rows.js';
import { readPlayGeneration, VersionMemo } from '../db/version-memo.js';
import type { BatchEntity } from '../../workflows/contract.js';
import type { CallsLeftFacts } from './calls-left.js';
import { playlistEntries, playlistEntryFinds, playlistItemPages, savedTrackNovelty } from './playlist-entries.js';

/**
 * The account's artists and albums still without details, owned as the enrichment phases own them
 * (activities/store/stub-queries.ts): credited on a track the account saved, has in a playlist or
 * played, or on the album of such a track; the artists of its saved albums; the artists it follows.
 * Also what the estimate of work not found yet starts from: the saved albums read, and the artists
 * only they credit.
 */
async function countStubs(db: Db, accountId: string): Promise<CallsLeftFacts['stubs'] & CallsLeftFacts['savedAlbumArtists']> {
  const result = await db.raw(
    `with mine as (
       select track_id from saved_tracks where account_id = :accountId
       union select track_id from playlist_items where account_id = :accountId and track_id is not null
       union select track_id from play_history where account_id = :accountId and track_id is not null),
     track_albums as (select distinct t.album_id from tracks t join mine m on m.track_id = t.id),
     saved as (select album_id from saved_albums where account_id = :accountId),
     my_albums as (select album_id from track_albums union select album_id from saved),
     known_artists as (
       select ta.artist_id from track_artists ta join mine m on m.track_id = ta.track_id
       union select aa.artist_id from album_artists aa join track_albums m on m.album_id = aa.album_id
       union select artist_id from followed_artists where account_id = :accountId),
     my_artists as (select artist_id from known_artists union select aa.artist_id from album_artists aa join saved s on s.album_id = aa.album_id)
     select
       (select count(*)::int from albums a join my_albums m on m.album_id = a.id where a.details_synced_at is null) as albums,
       (select count(*)::int from artists a join my_artists m on m.artist_id = a.id where a.details_synced_at is null) as artists,
       (select count(*)::int from saved) as saved_albums,
       (select count(distinct aa.artist_id)::int from album_artists aa join saved s on s.album_id = aa.album_id
          where aa.artist_id not in (select artist_id from known_artists)) as new_artists,
       (select count(*)::int from track_albums) as track_albums,
       (select count(distinct aa.artist_id)::int from album_artists aa join track_albums m on m.album_id = aa.album_id
          where aa.artist_id not in (select ta.artist_id from track_artists ta join mine m on m.track_id = ta.track_id)) as track_album_only_artists`,
    { accountId },
  );
  const row = result.rows[0] as { artists: number; albums: number; saved_albums: number; new_artists: number; track_albums: number; track_album_only_artists: number } | undefined;
  return {
    artists: row?.artists ?? 0,
    albums: row?.albums ?? 0,
    savedAlbumsRead: row?.saved_albums ?? 0,
    newArtists: row?.new_artists ?? 0,
    trackAlbums: row?.track_albums ?? 0,
    trackAlbumOnlyArtists: row?.track_album_only_artists ?? 0,
  };
}

/** Entities per call in this sync's batches, per entity (only where both were counted). */
function measuredPerCall(history: SyncHistoryRow[]): CallsLeftFacts['measuredPerCall'] {
  const sums = new Map<BatchEntity, { items: number; calls: number }>();
  for (const batch of history) {
    if (batch.entity_type === 'playback') continue;
    const sum = sums.get(batch.entity_type) ?? { items: 0, calls: 0 };
    sum.items += batch.items;
    sum.calls += batch.api_calls;
    sums.set(batch.entity_type, sum);
  }
  const measured: CallsLeftFacts['measuredPerCall'] = {};
  for (const [entity, { items, calls }] of sums) if (items > 0 && calls > 0) measured[entity] = items / calls;
  return measured;
}

/** The estimate's inputs that sum the whole library, per account, under what they read (readWorkLeft). */
const estimateInputs = new VersionMemo(100);

/** What is known of the work the initial sync has left (calls-left.ts counts its calls). */
export async function readWorkLeft(
  db: Db,
  accountId: string,
  facts: { phases: CallsLeftFacts['phases']; history: SyncHistoryRow[]; appMode: CallsLeftFacts['appMode'] },
): Promise<CallsLeftFacts> {
  const playlistsDone = facts.phases.find((p) => p.entity === 'playlists')?.complete === true;
  const [counted, pages, listing] = await Promise.all([
    countStubs(db, accountId),
    playlistItemPages(db, accountId, facts.appMode),
    playlistsDone ? undefined : playlistEntries(db, accountId, facts.appMode),
  ]);
  // Only while playlist entries are ahead: what the entries read brought, and the rate the saved tracks
  // still bring new artists at. Both sum the whole library, so they are kept while what they read is
  // unchanged: the entries read and the plays; the saved tracks read.
  const ahead = listing && listing.left > 0;
  const tracks = facts.phases.find((p) => p.entity === 'tracks');
  const [finds, novelty] = ahead
    ? await Promise.all([
        listing.read === 0
          ? { readArtists: 0, readAlbums: 0 }
          : estimateInputs.get(db, `${accountId}\u0000finds`, `${listing.read}@${await readPlayGeneration(db, accountId)}`, () => playlistEntryFinds(db, accountId)),
        estimateInputs.get(db, `${accountId}\u0000novelty`, `${tracks?.synced ?? 0}:${tracks?.complete ?? false}`, () => savedTrackNovelty(db, accountId)),
      ])
    : [undefined, undefined];
  const { artists, albums, ...savedAlbumArtists } = counted;
  return {
    phases: facts.phases,
    stubs: { artists, albums },
    savedAlbumArtists,
    playlistItemPages: pages,
    ...(listing ? { playlistEntries: { ...listing, ...(finds ?? { readArtists: 0, readAlbums: 0 }) } } : {}),
    ...(novelty ? { savedTrackNovelty: novelty } : {}),
    measuredPerCall: measuredPerCall(facts.history),
    appMode: facts.appMode,
  };
}

/**
 * Calls the quota counted in the window in progress whose work the stubs do not show yet (fetched, not
 * committed: an enrichment batch commits what it fetched every second). What was committed since the
 * window began: the details written since (the window's batches began after the wall's wait, half a
 * window or more after the last one's), and the other batches' calls.
 */
export async function uncommittedWindowCalls(
  db: Db,
  a: { windowStartedAt: number; windowMs: number; windowCalls: number; history: SyncHistoryRow[]; perCall: { artists: number; albums: number } },
): Promise<number> {
  const since = new Date(a.windowStartedAt - a.windowMs / 2);
  const result = await db.raw(
    `select (select count(*)::int from artists where details_synced_at >= :since) as artists,
            (select count(*)::int from albums where details_synced_at >= :since) as albums`,
    { since },
  );
  const row = result.rows[0] as { artists: number; albums: number } | undefined;
  const enriched = Math.ceil((row?.artists ?? 0) / a.perCall.artists) + Math.ceil((row?.albums ?? 0) / a.perCall.albums);
  const otherCalls = a.history
    .filter((b) => b.entity_type !== 'artists' && b.entity_type !== 'albums' && b.entity_type !== 'playback' && new Date(b.created_at) >= since)
    .reduce((n, b) => n + b.api_calls, 0);
  return Math.max(0, a.windowCalls - enriched - otherCalls);
}
