import type { Db } from '../../src/db/connect.js';

/**
 * Catalog rows of an account still lacking details (stubs), or whose details are older than
 * `staleBefore` (incremental refresh), in id order. An artist belongs to the account when it is
 * credited on a track, or on the album of a track, that the account saved, has in a playlist or played
 * (a track known only from the play history is enriched like the rest: no stub stays anywhere).
 *
 * The catalog is shared by all accounts, so each candidate row is proven to be the account's by
 * indexed lookups (artist → its tracks → the account's saves), stopping at the first proof. The
 * artists of a saved album and the artists it follows are the account's too. Every
 * `exists` carries `offset 0`, which keeps Postgres from turning it into a join: as joins it may hash
 * all of the account's saved tracks and playlist items for every batch (a cost that grows with the
 * library and is paid once per batch), or, with statistics not yet gathered after a bulk load, loop
 * over the whole library once per candidate. As per-row lookups the cost of a batch is bounded by the
 * candidates it looks at, whatever the statistics say.
 */
const savedOrListed = (trackId: string) => `(
      exists (select 1 from saved_tracks s where s.account_id = :accountId and s.track_id = ${trackId} offset 0)
      or exists (select 1 from playlist_items p where p.account_id = :accountId and p.track_id = ${trackId} offset 0)
      or exists (select 1 from play_history h where h.account_id = :accountId and h.track_id = ${trackId} offset 0))`;

const ownedArtist = `(
    exists (select 1 from track_artists ta where ta.artist_id = a.id and ${savedOrListed('ta.track_id')} offset 0)
    or exists (select 1 from album_artists aa where aa.artist_id = a.id
      and exists (select 1 from tracks t where t.album_id = aa.album_id and ${savedOrListed('t.id')} offset 0) offset 0)
    or exists (select 1 from album_artists aa where aa.artist_id = a.id
      and exists (select 1 from saved_albums sa where sa.account_id = :accountId and sa.album_id = aa.album_id offset 0) offset 0)
    or exists (select 1 from followed_artists fa where fa.account_id = :accountId and fa.artist_id = a.id offset 0))`;

const ownedAlbum = `(exists (select 1 from tracks t where t.album_id = a.id and ${savedOrListed('t.id')} offset 0)
    or exists (select 1 from saved_albums sa where sa.account_id = :accountId and sa.album_id = a.id offset 0))`;

export type StubEntity = 'artists' | 'albums';

/** Before this time details count as stale (null: only stubs). */
export type StaleBefore = Date | null;

function fromCandidates(entity: StubEntity, staleBefore: StaleBefore): { sql: string; bindings: Record<string, unknown> } {
  const owned = entity === 'artists' ? ownedArtist : ownedAlbum;
  const wanted = staleBefore === null ? 'a.details_synced_at is null' : '(a.details_synced_at is null or a.details_synced_at < :staleBefore)';
  return { sql: `from ${entity} a where ${wanted} and ${owned}`, bindings: staleBefore === null ? {} : { staleBefore } };
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
