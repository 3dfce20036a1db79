import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { InvalidInputError } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { containsPattern } from './search.js';

/**
 * The saved collections of the whole library (DESIGN.md "The whole library"): saved albums, followed
 * artists, saved shows, episodes and audiobooks, newest save first, with `q`, `removed` and keyset
 * cursors as for saved tracks.
 */
export const collectionNames = ['saved-albums', 'followed-artists', 'shows', 'episodes', 'audiobooks'] as const;
export type CollectionName = (typeof collectionNames)[number];

export interface CollectionQuery {
  q?: string;
  removed: 'false' | 'true' | 'any';
  limit: number;
  cursor?: string;
}

interface ItemBase {
  id: string;
  uri: string;
  name: string;
  addedAt: string;
  removedAt: string | null;
  imageUrl: string | null;
}
export interface SavedAlbumItem extends ItemBase {
  artists: { id: string; name: string }[];
  albumType: string | null;
  releaseDate: string | null;
  totalTracks: number | null;
  /** The album's first page of tracks, stored with it. */
  tracks: { id: string | null; name: string; trackNumber: number | null; durationMs: number | null }[];
}
export interface FollowedArtistItem extends ItemBase {
  genres: string[];
}
export interface ShowItem extends ItemBase {
  publisher: string | null;
  totalEpisodes: number | null;
  /** The show's episodes the account saved (not removed), newest save first. */
  savedEpisodes: { id: string; name: string; addedAt: string }[];
}
export interface EpisodeItem extends ItemBase {
  showId: string | null;
  showName: string | null;
  durationMs: number | null;
  releaseDate: string | null;
}
export interface AudiobookItem extends ItemBase {
  authors: string[];
  narrators: string[];
  totalChapters: number | null;
}
export type CollectionItem = SavedAlbumItem | FollowedArtistItem | ShowItem | EpisodeItem | AudiobookItem;

interface Source {
  table: string;
  column: string;
  catalog: string;
  dated: 'added_at' | 'followed_at';
  uriKind: string;
  /** Columns searched by `q` besides the name. */
  searched: string[];
  columns: (db: Knex) => (string | Knex.Raw)[];
}

const albumArtists = (db: Knex) =>
  db.raw(`(select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name) order by aa.position), '[]'::json)
           from album_artists aa join artists a on a.id = aa.artist_id where aa.album_id = c.id) as artists`);
const image = (db: Knex) => db.raw(`c.images -> 0 ->> 'url' as image_url`);

const sources: Record<CollectionName, Source> = {
  'saved-albums': {
    table: 'saved_albums',
    column: 'album_id',
    catalog: 'albums',
    dated: 'added_at',
    uriKind: 'album',
    searched: [],
    columns: (db) => ['c.album_type', 'c.release_date', 'c.total_tracks', 'c.tracks_page', albumArtists(db)],
  },
  'followed-artists': { table: 'followed_artists', column: 'artist_id', catalog: 'artists', dated: 'followed_at', uriKind: 'artist', searched: [], columns: () => ['c.genres'] },
  shows: {
    table: 'saved_shows',
    column: 'show_id',
    catalog: 'shows',
    dated: 'added_at',
    uriKind: 'show',
    searched: ['c.publisher'],
    columns: (db) => [
      'c.publisher',
      'c.total_episodes',
      db.raw(`(select coalesce(json_agg(json_build_object('id', e.id, 'name', e.name, 'addedAt', se.added_at) order by se.added_at desc), '[]'::json)
               from saved_episodes se join episodes e on e.id = se.episode_id
               where se.account_id = s.account_id and se.removed_at is null and e.show_id = c.id) as saved_episodes`),
    ],
  },
  episodes: {
    table: 'saved_episodes',
    column: 'episode_id',
    catalog: 'episodes',
    dated: 'added_at',
    uriKind: 'episode',
    searched: ['sh.name'],
    columns: () => ['c.show_id', 'sh.name as show_name', 'c.duration_ms', 'c.release_date'],
  },
  audiobooks: {
    table: 'saved_audiobooks',
    column: 'audiobook_id',
    catalog: 'audiobooks',
    dated: 'added_at',
    uriKind: 'audiobook',
    searched: ['c.publisher'],
    columns: () => ['c.authors', 'c.narrators', 'c.total_chapters'],
  },
};

type Row = Record<string, unknown> & { id: string; name: string; uri: string | null; saved_at: Date; removed_at: Date | null; image_url: string | null };

const iso = (d: Date | string): string => new Date(d).toISOString();

function toItem(name: CollectionName, row: Row): CollectionItem {
  const base: ItemBase = {
    id: row.id,
    uri: row.uri ?? `spotify:${sources[name].uriKind}:${row.id}`,
    name: row.name,
    addedAt: iso(row.saved_at),
    removedAt: row.removed_at ? iso(row.removed_at) : null,
    imageUrl: row.image_url,
  };
  switch (name) {
    case 'saved-albums': {
      const page = (row.tracks_page ?? []) as { id: string | null; name: string; trackNumber: number | null; durationMs: number | null }[];
      return {
        ...base,
        uri: `spotify:album:${row.id}`,
        artists: row.artists as { id: string; name: string }[],
        albumType: row.album_type as string | null,
        releaseDate: row.release_date as string | null,
        totalTracks: row.total_tracks as number | null,
        tracks: page.map((t) => ({ id: t.id, name: t.name, trackNumber: t.trackNumber, durationMs: t.durationMs })),
      };
    }
    case 'followed-artists':
      return { ...base, uri: `spotify:artist:${row.id}`, genres: (row.genres as string[] | null) ?? [] };
    case 'shows':
      return {
        ...base,
        publisher: row.publisher as string | null,
        totalEpisodes: row.total_episodes as number | null,
        savedEpisodes: (row.saved_episodes as { id: string; name: string; addedAt: string }[]).map((e) => ({ ...e, addedAt: iso(e.addedAt) })),
      };
    case 'episodes':
      return {
        ...base,
        showId: row.show_id as string | null,
        showName: row.show_name as string | null,
        durationMs: row.duration_ms as number | null,
        releaseDate: row.release_date as string | null,
      };
    case 'audiobooks':
      return { ...base, authors: (row.authors as string[] | null) ?? [], narrators: (row.narrators as string[] | null) ?? [], totalChapters: row.total_chapters as number | null };
  }
}

/** What chooses a collection's rows, on its page and in its CSV: words of the name (and publisher or show), and whether removed saves count. */
export type CollectionFilter = Pick<CollectionQuery, 'q' | 'removed'>;

/** A collection's saves joined to their catalog rows, under the filter (no columns chosen yet). */
function filteredCollection(db: Db, accountId: string, name: CollectionName, filter: CollectionFilter): Knex.QueryBuilder {
  const source = sources[name];
  const q = db(`${source.table} as s`).join(`${source.catalog} as c`, 'c.id', `s.${source.column}`).where('s.account_id', accountId);
  if (name === 'episodes') q.leftJoin('shows as sh', 'sh.id', 'c.show_id');
  if (filter.removed === 'false') q.whereNull('s.removed_at');
  if (filter.removed === 'true') q.whereNotNull('s.removed_at');
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    q.where((w) => {
      w.whereRaw('library_search_key(c.name) like library_search_key(?)', [pattern]);
      for (const column of source.searched) w.orWhereRaw(`library_search_key(coalesce(${column}, '')) like library_search_key(?)`, [pattern]);
    });
  }
  return q;
}

const newestFirst = (name: CollectionName) => [
  { column: `s.${sources[name].dated}`, order: 'desc' as const },
  { column: 'c.id', order: 'desc' as const },
];

/** The catalog columns a collection's CSV export reads (src/export/collections-csv.ts). */
const exportedColumns: Record<CollectionName, (db: Knex) => (string | Knex.Raw)[]> = {
  'saved-albums': (db) => ['c.album_type', 'c.release_date', 'c.total_tracks', 'c.label', 'c.popularity', 'c.images', albumArtists(db)],
  'followed-artists': () => ['c.genres', 'c.popularity', 'c.images'],
  shows: () => ['c.uri', 'c.publisher', 'c.total_episodes', 'c.explicit', 'c.images'],
  episodes: () => ['c.uri', 'c.show_id', 'sh.name as show_name', 'sh.uri as show_uri', 'c.release_date', 'c.duration_ms', 'c.explicit'],
  audiobooks: () => ['c.uri', 'c.authors', 'c.narrators', 'c.publisher', 'c.total_chapters', 'c.explicit', 'c.images'],
};

/**
 * Every row of a collection the filter chooses, newest save first (then by id) as on its page, as one
 * Postgres query stream (the CSV exports): `id`, `name`, `saved_at`, `removed_at` and the columns of
 * `exportedColumns`.
 */
export function streamCollection(db: Db, accountId: string, name: CollectionName, filter: CollectionFilter): AsyncIterable<Record<string, unknown>> {
  return filteredCollection(db, accountId, name, filter)
    .select(['c.id', 'c.name', `s.${sources[name].dated} as saved_at`, 's.removed_at', ...exportedColumns[name](db)])
    .orderBy(newestFirst(name))
    .stream() as AsyncIterable<Record<string, unknown>>;
}

/** One page of a collection, newest save first (then by id), with its total under the same filters. */
export async function listCollection(db: Db, accountId: string, name: CollectionName, query: CollectionQuery): Promise<Page<CollectionItem>> {
  const source = sources[name];
  const sort = `${name}:newest`;
  const after = decodeCursor(query.cursor, sort);
  const filtered = () => filteredCollection(db, accountId, name, query);
  const page = filtered().select([
    'c.id',
    'c.name',
    name === 'saved-albums' || name === 'followed-artists' ? db.raw('null as uri') : 'c.uri',
    `s.${source.dated} as saved_at`,
    's.removed_at',
    image(db),
    ...source.columns(db),
  ]);
  if (after) {
    const at = after.key === null ? Number.NaN : Date.parse(after.key);
    if (Number.isNaN(at)) throw new InvalidInputError('invalid_cursor', 'Invalid query parameter cursor: not a cursor of this list');
    page.where((w) => w.where(`s.${source.dated}`, '<', new Date(at)).orWhere((e) => e.where(`s.${source.dated}`, '=', new Date(at)).andWhere('c.id', '<', after.id)));
  }
  const rows = (await page.orderBy(newestFirst(name)).limit(query.limit + 1)) as Row[];
  // Without a search the total is the saves' alone (every save has its catalog row: a foreign key), read
  // through the account's index instead of a join that scans the catalog of every account.
  const total = query.q ? filtered() : db(`${source.table} as s`).where('s.account_id', accountId);
  if (!query.q && query.removed === 'false') total.whereNull('s.removed_at');
  if (!query.q && query.removed === 'true') total.whereNotNull('s.removed_at');
  const counted = (await total.count({ n: '*' }).first()) as { n: string | number } | undefined;
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map((row) => toItem(name, row)),
    nextCursor: more && last ? encodeCursor(sort, { key: new Date(last.saved_at).toISOString(), id: last.id }) : null,
    total: Number(counted?.n ?? 0),
  };
}
