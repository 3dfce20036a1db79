import type { Knex } from 'knex';

/** How an imported play's track is linked to the catalog, or marked unresolved (the import's resolution). */

/** The track id of a play's `spotify:track:<id>` URI, in SQL (null for other URIs). */
const trackIdSql = `substring(spotify_uri from '^spotify:track:([A-Za-z0-9]+)$')`;

/** The URIs of track ids (the exact URIs whose track id is one of them). */
const trackUris = (ids: Iterable<string>) => [...ids].map((id) => `spotify:track:${id}`);

const unlinked = (db: Knex | Knex.Transaction, importId: string) => db('play_history').where({ import_id: importId, content_type: 'track' }).whereNull('track_id');

/** Unlinked plays not marked unresolved yet: what the resolution still has to settle. */
const pending = (db: Knex, importId: string) => unlinked(db, importId).whereNull('unresolved_reason');

/** Plays naming a track already in the catalog are linked without a call. */
export async function linkCatalogTracks(db: Knex, importId: string): Promise<void> {
  await db.raw(
    `update play_history p set track_id = t.id from tracks t
     where p.import_id = ? and p.content_type = 'track' and p.track_id is null and t.id = substring(p.spotify_uri from '^spotify:track:([A-Za-z0-9]+)$')`,
    [importId],
  );
}

/** Up to `limit` track ids the pending plays name that the catalog does not know, in id order. */
export async function unknownTrackIds(db: Knex, importId: string, limit: number): Promise<string[]> {
  const rows = (await pending(db, importId)
    .whereNotNull('spotify_uri')
    .distinct(db.raw(`${trackIdSql} as id`))
    .orderBy('id')
    .limit(limit)) as { id: string | null }[];
  return rows.map((r) => r.id).filter((id): id is string => id !== null);
}

/**
 * Once no URI is left: plays with names only (account data) are matched by track name and first
 * artist; whatever matched nothing is marked unresolved, with its names kept.
 */
export async function linkByNames(db: Knex, importId: string): Promise<void> {
  await db.raw(
    `update play_history p set track_id = m.track_id
     from (
       select distinct on (lower(t.name), lower(a.name)) lower(t.name) as track_name, lower(a.name) as artist_name, t.id as track_id
       from tracks t join track_artists ta on ta.track_id = t.id and ta.position = 0 join artists a on a.id = ta.artist_id
       order by lower(t.name), lower(a.name), t.id
     ) m
     where p.import_id = ? and p.content_type = 'track' and p.track_id is null and p.unresolved_reason is null
       and lower(p.track_name) = m.track_name and lower(p.artist_name) = m.artist_name`,
    [importId],
  );
  await pending(db, importId).update({ unresolved_reason: 'no catalog track has this name and artist' });
}

/** Links the plays of tracks just stored in the catalog. */
export async function linkFetchedTracks(trx: Knex.Transaction, importId: string, ids: Iterable<string>): Promise<void> {
  await unlinked(trx, importId)
    .whereIn('spotify_uri', trackUris(ids))
    .update({ track_id: trx.raw(trackIdSql) });
}

const UNKNOWN_TRACK = 'Spotify does not know this track';

/**
 * How long Spotify's "non existing id" is taken as the answer: a later import marks the plays of such an
 * id unresolved without asking, until the answer is older than this (a track can come back).
 */
export const UNKNOWN_TRACK_MEMORY_MS = 30 * 86_400_000;

/** Marks the plays of track ids Spotify does not know as unresolved, and remembers the answer. */
export async function markUnknownTracks(trx: Knex.Transaction, importId: string, ids: Iterable<string>, answeredAt: Date): Promise<void> {
  const list = [...ids];
  await unlinked(trx, importId).whereIn('spotify_uri', trackUris(list)).update({ unresolved_reason: UNKNOWN_TRACK });
  if (list.length === 0) return;
  await trx('unknown_tracks')
    .insert(list.map((id) => ({ id, answered_at: answeredAt })))
    .onConflict('id')
    .merge(['answered_at']);
}

/** Plays of ids Spotify said it does not know, since `since`, are marked unresolved without a call. */
export async function markRememberedUnknownTracks(db: Knex, importId: string, since: Date): Promise<void> {
  await db.raw(
    `update play_history p set unresolved_reason = ?
     from unknown_tracks u
     where p.import_id = ? and p.content_type = 'track' and p.track_id is null and p.unresolved_reason is null
       and u.answered_at >= ? and u.id = ${trackIdSql}`,
    [UNKNOWN_TRACK, importId, since],
  );
}
