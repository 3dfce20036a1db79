import type { Db } from '../db/connect.js';

/**
 * Catalog rows of an account still lacking details (stubs), or whose details are older than
 * `staleBefore` (incremental refresh), in id order. An artist belongs to the account when it is
 * credited on a track, or on the album of a track, that the account saved or has in a playlist.
 *
 * The queries walk the candidate rows in id order (the partial stub index when only stubs are asked
 * for) and prove each one belongs to the account with indexed lookups, stopping at the first proof
 * (a lateral `union all ... limit 1`). Written as `exists (...) or exists (...)`, Postgres instead
 * hashes all of the account's saved tracks and playlist items for every batch: a cost that grows
 * with the library, paid once per batch.
 */
const ownedArtist = `
  cross join lateral (
    select 1 from track_artists ta join saved_tracks s on s.track_id = ta.track_id and s.account_id = :accountId where ta.artist_id = a.id
    union all
    select 1 from track_artists ta join playlist_items p on p.track_id = ta.track_id and p.account_id = :accountId where ta.artist_id = a.id
    union all
    select 1 from album_artists aa join tracks t on t.album_id = aa.album_id join saved_tracks s on s.track_id = t.id and s.account_id = :accountId where aa.artist_id = a.id
    union all
    select 1 from album_artists aa join tracks t on t.album_id = aa.album_id join playlist_items p on p.track_id = t.id and p.account_id = :accountId where aa.artist_id = a.id
    limit 1
  ) owned`;

const ownedAlbum = `
  cross join lateral (
    select 1 from tracks t join saved_tracks s on s.track_id = t.id and s.account_id = :accountId where t.album_id = a.id
    union all
    select 1 from tracks t join playlist_items p on p.track_id = t.id and p.account_id = :accountId where t.album_id = a.id
    limit 1
  ) owned`;

export type StubEntity = 'artists' | 'albums';

/** Before this time details count as stale (null: only stubs). */
export type StaleBefore = Date | null;

function fromCandidates(entity: StubEntity, staleBefore: StaleBefore): { sql: string; bindings: Record<string, unknown> } {
  const owned = entity === 'artists' ? ownedArtist : ownedAlbum;
  const wanted = staleBefore === null ? 'a.details_synced_at is null' : '(a.details_synced_at is null or a.details_synced_at < :staleBefore)';
  return { sql: `from ${entity} a ${owned} where ${wanted}`, bindings: staleBefore === null ? {} : { staleBefore } };
}

export async function selectStubs(db: Db, entity: StubEntity, accountId: string, limit: number, staleBefore: StaleBefore = null): Promise<{ id: string; name: string }[]> {
  const { sql, bindings } = fromCandidates(entity, staleBefore);
  const result = await db.raw(`select a.id, a.name ${sql} order by a.id limit :limit`, { ...bindings, accountId, limit });
  return result.rows as { id: string; name: string }[];
}

export async function countStubs(db: Db, entity: StubEntity, accountId: string, staleBefore: StaleBefore = null): Promise<number> {
  const { sql, bindings } = fromCandidates(entity, staleBefore);
  const result = await db.raw(`select count(*)::int as n ${sql}`, { ...bindings, accountId });
  return (result.rows[0] as { n: number }).n;
}
