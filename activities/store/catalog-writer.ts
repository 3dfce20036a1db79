import type { Knex } from 'knex';
import type { CatalogRows } from './normalize.js';

const CHUNK = 1000;

async function insertChunked(trx: Knex.Transaction, table: string, rows: object[], conflict: (q: Knex.QueryBuilder) => unknown): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const q = trx(table).insert(rows.slice(i, i + CHUNK));
    await conflict(q as unknown as Knex.QueryBuilder);
  }
}

async function replaceCredits(trx: Knex.Transaction, table: 'track_artists' | 'album_artists', key: 'track_id' | 'album_id', credits: Map<string, string[]>): Promise<void> {
  if (credits.size === 0) return;
  const ids = [...credits.keys()];
  for (let i = 0; i < ids.length; i += CHUNK)
    await trx(table)
      .whereIn(key, ids.slice(i, i + CHUNK))
      .delete();
  const rows = [...credits.entries()].flatMap(([id, artistIds]) => artistIds.map((artistId, position) => ({ [key]: id, artist_id: artistId, position })));
  await insertChunked(trx, table, rows, (q) => q);
}

/**
 * Writes a batch's catalog rows in dependency order (artists, albums, tracks, credits). Stubs never
 * overwrite details: a stub insert leaves an existing row alone, full objects replace it.
 * Idempotent: writing the same rows twice changes nothing.
 */
export async function writeCatalog(trx: Knex.Transaction, rows: CatalogRows, now: Date): Promise<void> {
  const stubArtists = [...rows.artistStubs.values()].filter((a) => !rows.fullArtists.has(a.id));
  await insertChunked(trx, 'artists', stubArtists, (q) => q.onConflict('id').ignore());
  await insertChunked(
    trx,
    'artists',
    [...rows.fullArtists.values()].map((a) => ({ ...a, updated_at: now })),
    (q) => q.onConflict('id').merge(),
  );

  const stubAlbums = [...rows.albumStubs.values()].filter((a) => !rows.fullAlbums.has(a.id));
  await insertChunked(trx, 'albums', stubAlbums, (q) => q.onConflict('id').merge(['name', 'album_type', 'release_date', 'release_date_precision', 'total_tracks', 'images']));
  await insertChunked(
    trx,
    'albums',
    [...rows.fullAlbums.values()].map((a) => ({ ...a, updated_at: now })),
    (q) => q.onConflict('id').merge(),
  );
  await replaceCredits(trx, 'album_artists', 'album_id', rows.albumArtists);

  await insertChunked(
    trx,
    'tracks',
    [...rows.tracks.values()].map((t) => ({ ...t, updated_at: now })),
    (q) => q.onConflict('id').merge(),
  );
  await replaceCredits(trx, 'track_artists', 'track_id', rows.trackArtists);
}
