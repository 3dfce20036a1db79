import type { Db } from '../db/connect.js';
import { type CollectionFilter, type CollectionName, streamCollection } from '../library/collections.js';
import { csvChunks } from './csv.js';

type Cell = string | number | boolean | null;
type Row = Record<string, unknown> & { id: string; name: string; saved_at: Date; removed_at: Date | null };

// As exportify writes lists: joined with ", ", a comma inside a name escaped as "\,".
const list = (names: string[] | null | undefined) => (names ?? []).map((n) => n.replace(/,/g, '\\,')).join(', ');
const iso = (d: Date | null) => (d ? d.toISOString().replace('.000Z', 'Z') : '');
const imageUrl = (images: unknown) => (Array.isArray(images) ? ((images[0] as { url?: string } | undefined)?.url ?? '') : '');
const uriOf = (row: Row, kind: string) => (typeof row.uri === 'string' && row.uri ? row.uri : `spotify:${kind}:${row.id}`);
const orEmpty = (v: unknown): Cell => (v === null || v === undefined ? '' : (v as Cell));

interface CollectionFile {
  /** The file's name, in exportify's manner (`Liked_Songs.csv`). */
  fileName: string;
  columns: readonly string[];
  record: (row: Row) => Cell[];
}

/**
 * One CSV per saved collection (DESIGN.md "The whole library"): exportify's column names where one
 * applies (`Album URI`, `Album Artist Name(s)`, `Artist Name(s)`, `Explicit`, `Popularity`, `Added At`
 * ...), names of the same form for what exportify has none of, and a last `Removed At`, empty unless
 * the export asked for removed saves too. A followed artist's `Added At` is when the sync first saw the
 * follow: Spotify gives no date.
 */
export const collectionFiles: Record<CollectionName, CollectionFile> = {
  'saved-albums': {
    fileName: 'Saved_Albums.csv',
    columns: [
      'Album URI',
      'Album Name',
      'Album Artist URI(s)',
      'Album Artist Name(s)',
      'Album Release Date',
      'Album Image URL',
      'Album Type',
      'Total Tracks',
      'Label',
      'Popularity',
      'Added At',
      'Removed At',
    ],
    record: (row) => {
      const artists = (row.artists ?? []) as { id: string; name: string }[];
      return [
        `spotify:album:${row.id}`,
        row.name,
        artists.map((a) => `spotify:artist:${a.id}`).join(', '),
        list(artists.map((a) => a.name)),
        orEmpty(row.release_date),
        imageUrl(row.images),
        orEmpty(row.album_type),
        orEmpty(row.total_tracks),
        orEmpty(row.label),
        orEmpty(row.popularity),
        iso(row.saved_at),
        iso(row.removed_at),
      ];
    },
  },
  'followed-artists': {
    fileName: 'Followed_Artists.csv',
    columns: ['Artist URI(s)', 'Artist Name(s)', 'Genres', 'Popularity', 'Artist Image URL', 'Added At', 'Removed At'],
    record: (row) => [
      `spotify:artist:${row.id}`,
      list([row.name]),
      list(row.genres as string[] | null),
      orEmpty(row.popularity),
      imageUrl(row.images),
      iso(row.saved_at),
      iso(row.removed_at),
    ],
  },
  shows: {
    fileName: 'Saved_Shows.csv',
    columns: ['Show URI', 'Show Name', 'Publisher', 'Total Episodes', 'Explicit', 'Show Image URL', 'Added At', 'Removed At'],
    record: (row) => [
      uriOf(row, 'show'),
      row.name,
      orEmpty(row.publisher),
      orEmpty(row.total_episodes),
      orEmpty(row.explicit),
      imageUrl(row.images),
      iso(row.saved_at),
      iso(row.removed_at),
    ],
  },
  episodes: {
    fileName: 'Saved_Episodes.csv',
    columns: ['Episode URI', 'Episode Name', 'Show URI', 'Show Name', 'Release Date', 'Duration (ms)', 'Explicit', 'Added At', 'Removed At'],
    record: (row) => [
      uriOf(row, 'episode'),
      row.name,
      typeof row.show_uri === 'string' && row.show_uri ? row.show_uri : row.show_id ? `spotify:show:${String(row.show_id)}` : '',
      orEmpty(row.show_name),
      orEmpty(row.release_date),
      orEmpty(row.duration_ms),
      orEmpty(row.explicit),
      iso(row.saved_at),
      iso(row.removed_at),
    ],
  },
  audiobooks: {
    fileName: 'Saved_Audiobooks.csv',
    columns: ['Audiobook URI', 'Audiobook Name', 'Author(s)', 'Narrator(s)', 'Publisher', 'Total Chapters', 'Explicit', 'Audiobook Image URL', 'Added At', 'Removed At'],
    record: (row) => [
      uriOf(row, 'audiobook'),
      row.name,
      list(row.authors as string[] | null),
      list(row.narrators as string[] | null),
      orEmpty(row.publisher),
      orEmpty(row.total_chapters),
      orEmpty(row.explicit),
      imageUrl(row.images),
      iso(row.saved_at),
      iso(row.removed_at),
    ],
  },
};

/**
 * A saved collection as CSV, newest save first as on its page, streamed (one Postgres query stream,
 * written 500 rows at a time): by default the saves that are there now; `removed` and `q` choose as on
 * the collection's page and route.
 */
export function collectionCsv(db: Db, accountId: string, name: CollectionName, filter: CollectionFilter = { removed: 'false' }): AsyncGenerator<string> {
  const file = collectionFiles[name];
  return csvChunks(file.columns, () => streamCollection(db, accountId, name, filter) as AsyncIterable<Row>, file.record);
}
