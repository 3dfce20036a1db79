import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { containsPattern } from './search.js';
import { toTrackView, trackViewColumns, type TrackView, type TrackViewRow } from './track-view.js';

export const savedTrackSorts = ['added', 'name', 'artist', 'released', 'duration'] as const;
export type SavedTrackSort = (typeof savedTrackSorts)[number];
export type SortOrder = 'asc' | 'desc';

export interface SavedTracksQuery {
  q?: string;
  /** Inclusive UTC days, YYYY-MM-DD. */
  addedFrom?: string;
  addedTo?: string;
  /** Inclusive release years. */
  releasedFrom?: number;
  releasedTo?: number;
  albumType?: string;
  explicit?: boolean;
  playlistId?: string;
  removed: 'false' | 'true' | 'any';
  sort: SavedTrackSort;
  order?: SortOrder;
  limit: number;
  cursor?: string;
}

export interface SavedTrack extends TrackView {
  addedAt: string;
  removedAt: string | null;
}

export interface SavedTracksPage extends Page<SavedTrack> {
  /** False when total is a lower bound (a count capped at countCap, or a search window's). */
  totalExact: boolean;
}

const releaseKey = `coalesce(al.release_date, '')`;
const year = (y: number) => String(y).padStart(4, '0');

/**
 * Each sort's key as SQL, and the type a cursor's key is read back as. Nulls sort as the empty value,
 * so the keyset comparison never meets a null; the track id breaks ties.
 */
const sortKeys: Record<SavedTrackSort, { sql: string; type: string }> = {
  added: { sql: 's.added_at', type: 'timestamptz' },
  name: { sql: 't.name', type: 'text' },
  artist: {
    sql: `coalesce((select a.name from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = t.id order by ta.position limit 1), '')`,
    type: 'text',
  },
  released: { sql: releaseKey, type: 'text' },
  duration: { sql: 'coalesce(t.duration_ms, 0)', type: 'integer' },
};

/** Newest first for the date sorts, A to Z and shortest first for the others. */
export const defaultOrder = (sort: SavedTrackSort): SortOrder => (sort === 'added' || sort === 'released' ? 'desc' : 'asc');

const dayStart = (day: string) => `${day}T00:00:00Z`;

/**
 * Ids of tracks whose name, album name or artist name contains `q`: three trigram-index lookups
 * united, so the library is never scanned name by name.
 */
function matchingTrackIds(db: Db, q: string) {
  const pattern = containsPattern(q);
  const matches = (table: string) => db(table).whereRaw('library_search_key(name) like library_search_key(?)', [pattern]).select('id');
  return matches('tracks')
    .union((u) => u.select('id').from('tracks').whereIn('album_id', matches('albums')))
    .union((u) => u.select('track_id').from('track_artists').whereIn('artist_id', matches('artists')));
}

/** Filters on the save itself (saved_tracks and playlist membership): `trackId` names the saved track's id column. */
function applySaveFilters(db: Db, builder: Knex.QueryBuilder, accountId: string, query: SavedTracksQuery, trackId: string) {
  if (query.removed === 'false') builder.whereNull('s.removed_at');
  if (query.removed === 'true') builder.whereNotNull('s.removed_at');
  if (query.addedFrom !== undefined) builder.where('s.added_at', '>=', dayStart(query.addedFrom));
  if (query.addedTo !== undefined) builder.whereRaw(`s.added_at < ?::timestamptz + interval '1 day'`, [dayStart(query.addedTo)]);
  if (query.playlistId !== undefined) {
    builder.whereExists((e) =>
      e.select(db.raw('1')).from('playlist_items as pi').where('pi.account_id', accountId).andWhere('pi.playlist_id', query.playlistId!).andWhereRaw(`pi.track_id = ${trackId}`),
    );
  }
}

/** Whether a filter reads the track or its album (else saved_tracks alone answers the count). */
const readsCatalog = (query: SavedTracksQuery) =>
  query.q !== undefined || query.releasedFrom !== undefined || query.releasedTo !== undefined || query.albumType !== undefined || query.explicit !== undefined;

/** Whether each row's names are tested (a walk in page order) or its id looked up among all matches (trigram indexes). */
type SearchBy = 'matchSet' | 'perRow';

/** Filters on the track and its album (aliases t and al), the search included. */
function applyCatalogFilters(db: Db, builder: Knex.QueryBuilder, query: SavedTracksQuery, searchBy: SearchBy) {
  if (query.q !== undefined) {
    if (searchBy === 'matchSet') builder.whereIn('t.id', matchingTrackIds(db, query.q));
    else {
      const pattern = containsPattern(query.q);
      // `offset 0` keeps the artist test a per-row lookup instead of a hash over every credit.
      builder.whereRaw(
        `(library_search_key(t.name) like library_search_key(?) or library_search_key(al.name) like library_search_key(?)
          or exists (select 1 from track_artists ta join artists a on a.id = ta.artist_id where ta.track_id = t.id and library_search_key(a.name) like library_search_key(?) offset 0))`,
        [pattern, pattern, pattern],
      );
    }
  }
  // Release years as a range on the release sort's key (albums_release_sort_idx): a date of year Y or
  // later is >= 'Y', one of year Y or earlier is < 'Y+1'.
  if (query.releasedFrom !== undefined || query.releasedTo !== undefined) builder.whereNotNull('al.release_date');
  if (query.releasedFrom !== undefined) builder.whereRaw(`${releaseKey} >= ?`, [year(query.releasedFrom)]);
  if (query.releasedTo !== undefined && query.releasedTo < 9999) builder.whereRaw(`${releaseKey} < ?`, [year(query.releasedTo + 1)]);
  if (query.albumType !== undefined) builder.where('al.album_type', query.albumType);
  if (query.explicit !== undefined) builder.where('t.explicit', query.explicit);
}

function filtered(db: Db, accountId: string, query: SavedTracksQuery) {
  const builder = db('saved_tracks as s').join('tracks as t', 't.id', 's.track_id').join('albums as al', 'al.id', 't.album_id').where('s.account_id', accountId);
  applySaveFilters(db, builder, accountId, query, 't.id');
  applyCatalogFilters(db, builder, query, 'matchSet');
  return builder;
}

/** The account's saved tracks, not removed: play_rollup_library.saved, kept by triggers on saved_tracks (migration 20261207500000). */
export async function readSavedCount(db: Db, accountId: string): Promise<number> {
  const row = (await db('play_rollup_library').where('account_id', accountId).first('saved')) as { saved: number } | undefined;
  return row?.saved ?? 0;
}

/** Beyond this many matches a filtered count stops: the answer says "at least" (`totalExact: false`). */
export const countCap = 1000;

/**
 * The total. Without a filter on the track or its album, saved_tracks alone answers it exactly (an
 * index-only count). With one, matches are counted up to the cap only: a broad search would otherwise
 * join and count a fifth of the library for every page shown.
 */
async function countMatches(db: Db, accountId: string, query: SavedTracksQuery): Promise<{ total: number; totalExact: boolean }> {
  // The whole library (saves not removed, no filter): one row kept by triggers on saved_tracks, not a count of 100k.
  if (!readsCatalog(query) && query.removed === 'false' && query.addedFrom === undefined && query.addedTo === undefined && query.playlistId === undefined) {
    return { total: await readSavedCount(db, accountId), totalExact: true };
  }
  if (!readsCatalog(query)) {
    const b = db('saved_tracks as s').where('s.account_id', accountId);
    applySaveFilters(db, b, accountId, query, 's.track_id');
    const [row] = await b.count<{ count: number }[]>({ count: '*' });
    return { total: Number(row?.count ?? 0), totalExact: true };
  }
  const [row] = await db
    .from(
      filtered(db, accountId, query)
        .select(db.raw('1'))
        .limit(countCap + 1)
        .as('m'),
    )
    .count<{ count: number }[]>({ count: '*' });
  const n = Number(row?.count ?? 0);
  return n > countCap ? { total: countCap, totalExact: false } : { total: n, totalExact: true };
}

/** Saved tracks a first page of search results walks, newest first, before it looks the matches up instead. */
export const searchWindow = 1000;

/**
 * The first page of a search in the default order, found by walking the newest saves with the saved
 * tracks index and testing each one's names: a broad search (a word in a fifth of the library) fills
 * its page within a few hundred rows, where looking up every match would join and sort all of them.
 * Its total is what the walk counted: exact when the walk covered the whole (filtered) library, else a
 * lower bound. Null when the page is not full within the window (a narrow search): the caller then
 * looks the matches up through the trigram indexes.
 */
async function broadSearchFirstPage(db: Db, accountId: string, query: SavedTracksQuery, order: SortOrder, columns: (string | Knex.Raw)[]) {
  const window = db('saved_tracks as s').where('s.account_id', accountId);
  applySaveFilters(db, window, accountId, query, 's.track_id');
  window.orderByRaw(`s.added_at ${order}, s.track_id ${order}`).limit(searchWindow).select('s.*');
  const inWindow = () => {
    const b = db.from(window.clone().as('s')).join('tracks as t', 't.id', 's.track_id').join('albums as al', 'al.id', 't.album_id');
    applyCatalogFilters(db, b, query, 'perRow');
    return b;
  };
  const page = inWindow()
    .select(columns)
    .orderByRaw(`s.added_at ${order}, t.id ${order}`)
    .limit(query.limit + 1);
  const rows = (await page) as unknown as PageRow[];
  if (rows.length <= query.limit) return null;
  // Counted by a lookup per walked save (the limit keeps the lateral a per-row lookup): joined whole, the
  // planner hashes all 100k tracks and 10k albums for the thousand saves of the window.
  const match = db('tracks as t').join('albums as al', 'al.id', 't.album_id').whereRaw('t.id = s.track_id').select(db.raw('1')).limit(1);
  applyCatalogFilters(db, match, query, 'perRow');
  const [[matched], [walked]] = await Promise.all([
    db
      .from(window.clone().as('s'))
      .joinRaw('cross join lateral ? as m', [db.raw('?', [match])])
      .count<{ count: number }[]>({ count: '*' }),
    db.from(window.clone().as('w')).count<{ count: number }[]>({ count: '*' }),
  ]);
  return { rows, total: Number(matched?.count ?? 0), totalExact: Number(walked?.count ?? 0) < searchWindow };
}

type PageRow = TrackViewRow & { added_at: Date; removed_at: Date | null; sort_key: string };

/** A page of every match in the query's order, keyset after the cursor, with the (capped) count. */
async function matchedPage(db: Db, accountId: string, query: SavedTracksQuery, order: SortOrder, after: ReturnType<typeof decodeCursor>, columns: (string | Knex.Raw)[]) {
  const key = sortKeys[query.sort];
  const page = filtered(db, accountId, query).select(columns);
  if (after) {
    const op = order === 'asc' ? '>' : '<';
    if (after.key === null) throw new InvalidInputError('invalid_cursor', 'Invalid query parameter cursor: it has no sort key');
    page.whereRaw(`((${key.sql}), t.id) ${op} (?::${key.type}, ?)`, [after.key, after.id]);
  }
  page.orderByRaw(`(${key.sql}) ${order}, t.id ${order}`).limit(query.limit + 1);
  return Promise.all([page as unknown as Promise<PageRow[]>, countMatches(db, accountId, query)]);
}

/** `GET /api/library/tracks`: one page of the account's saved tracks, and how many match in all. */
export async function listSavedTracks(db: Db, accountId: string, query: SavedTracksQuery): Promise<SavedTracksPage> {
  const order = query.order ?? defaultOrder(query.sort);
  const cursorSort = `${query.sort}.${order}`;
  const after = decodeCursor(query.cursor, cursorSort);
  if (query.playlistId !== undefined) {
    const exists = await db('playlists').where({ account_id: accountId, id: query.playlistId }).first('id');
    if (!exists) throw new NotFoundError('unknown_playlist', `No playlist with id "${query.playlistId}" in this account's library`);
  }
  const key = sortKeys[query.sort];
  const columns = [...trackViewColumns(db), 's.added_at', 's.removed_at', db.raw(`(${key.sql})::text as sort_key`)];
  const broad = query.q !== undefined && query.sort === 'added' && !after ? await broadSearchFirstPage(db, accountId, query, order, columns) : null;
  const [rows, counted] = broad ? [broad.rows, { total: broad.total, totalExact: broad.totalExact }] : await matchedPage(db, accountId, query, order, after, columns);
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map((row) => ({ ...toTrackView(row), addedAt: row.added_at.toISOString(), removedAt: row.removed_at?.toISOString() ?? null })),
    nextCursor: more && last ? encodeCursor(cursorSort, { key: last.sort_key, id: last.track_id }) : null,
    ...counted,
  };
}
