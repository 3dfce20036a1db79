import type { Db } from '../db/connect.js';

/**
 * Catalog rows of an account still lacking details (stubs), or whose details are older than
 * `staleBefore` (incremental refresh), in id order. An artist belongs to the
 * account when it is credited on a track, or on the album of a track, that the account saved or has
 * in a playlist. Queries start from the partial stub index, so they stay cheap as stubs run out.
 */
const artistStubsSql = `
  from artists a
  where (a.details_synced_at is null or a.details_synced_at < :staleBefore)
    and (
      exists (select 1 from track_artists ta join saved_tracks s on s.track_id = ta.track_id and s.account_id = :accountId where ta.artist_id = a.id)
      or exists (select 1 from track_artists ta join playlist_items p on p.track_id = ta.track_id and p.account_id = :accountId where ta.artist_id = a.id)
      or exists (select 1 from album_artists aa join tracks t on t.album_id = aa.album_id join saved_tracks s on s.track_id = t.id and s.account_id = :accountId where aa.artist_id = a.id)
      or exists (select 1 from album_artists aa join tracks t on t.album_id = aa.album_id join playlist_items p on p.track_id = t.id and p.account_id = :accountId where aa.artist_id = a.id)
    )`;

const albumStubsSql = `
  from albums a
  where (a.details_synced_at is null or a.details_synced_at < :staleBefore)
    and (
      exists (select 1 from tracks t join saved_tracks s on s.track_id = t.id and s.account_id = :accountId where t.album_id = a.id)
      or exists (select 1 from tracks t join playlist_items p on p.track_id = t.id and p.account_id = :accountId where t.album_id = a.id)
    )`;

export type StubEntity = 'artists' | 'albums';

const sqlFor = (entity: StubEntity) => (entity === 'artists' ? artistStubsSql : albumStubsSql);

/** Before this time details count as stale (null: only stubs). */
export type StaleBefore = Date | null;

// A date no row has: with it, the stale condition never holds and only stubs match.
const never = new Date(0);

export async function selectStubs(db: Db, entity: StubEntity, accountId: string, limit: number, staleBefore: StaleBefore = null): Promise<{ id: string; name: string }[]> {
  const result = await db.raw(`select a.id, a.name ${sqlFor(entity)} order by a.id limit :limit`, { accountId, limit, staleBefore: staleBefore ?? never });
  return result.rows as { id: string; name: string }[];
}

export async function countStubs(db: Db, entity: StubEntity, accountId: string, staleBefore: StaleBefore = null): Promise<number> {
  const result = await db.raw(`select count(*)::int as n ${sqlFor(entity)}`, { accountId, staleBefore: staleBefore ?? never });
  return (result.rows[0] as { n: number }).n;
}
