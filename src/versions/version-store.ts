import type { Knex } from 'knex';
import { entriesFromChain, entriesOfVersions, type ChainRow, type StoredEntry } from './version-codec.js';

/** One version of a playlist with its details, as the read model and the restore read it. */
export interface PlaylistVersion {
  playlistId: string;
  version: number;
  event: 'version' | 'deleted';
  snapshotId: string;
  observedAt: Date;
  name: string;
  description: string | null;
  public: boolean | null;
  collaborative: boolean;
  ownerId: string | null;
  totalItems: number;
  itemsKnown: boolean;
  added: number;
  removed: number;
  moved: number;
  entries: StoredEntry[];
}

interface VersionRow extends ChainRow {
  playlist_id: string;
  event: 'version' | 'deleted';
  snapshot_id: string;
  observed_at: Date;
  name: string;
  description: string | null;
  public: boolean | null;
  collaborative: boolean;
  owner_id: string | null;
  total_items: number;
  items_known: boolean;
  added: number;
  removed: number;
  moved: number;
}

const COLUMNS = [
  'playlist_id',
  'version',
  'base_version',
  'entries',
  'event',
  'snapshot_id',
  'observed_at',
  'name',
  'description',
  'public',
  'collaborative',
  'owner_id',
  'total_items',
  'items_known',
  'added',
  'removed',
  'moved',
] as const;

const versionOf = (row: VersionRow, entries: StoredEntry[]): PlaylistVersion => ({
  playlistId: row.playlist_id,
  version: row.version,
  event: row.event,
  snapshotId: row.snapshot_id,
  observedAt: row.observed_at,
  name: row.name,
  description: row.description,
  public: row.public,
  collaborative: row.collaborative,
  ownerId: row.owner_id,
  totalItems: row.total_items,
  itemsKnown: row.items_known,
  added: row.added,
  removed: row.removed,
  moved: row.moved,
  entries,
});

/**
 * One version of a playlist, entries included, in one query: its full copy and the changes after it,
 * at most MAX_CHAIN rows (version-codec.ts). `version` omitted: the last version with entries (not the
 * deletion). Undefined when there is no such version.
 */
export async function readPlaylistVersion(db: Knex | Knex.Transaction, accountId: string, playlistId: string, version?: number): Promise<PlaylistVersion | undefined> {
  const same = { account_id: accountId, playlist_id: playlistId };
  const wanted =
    version === undefined
      ? db('playlist_versions')
          .where({ ...same, event: 'version' })
          .max('version')
      : db.raw('?::int', [version]);
  const rows = (await db('playlist_versions')
    .where(same)
    .whereRaw('version <= (?)', [wanted])
    .whereRaw('version >= (?)', [db('playlist_versions').where(same).whereRaw('version = (?)', [wanted]).select('base_version')])
    .orderBy('version')
    .select(...COLUMNS)) as VersionRow[];
  const last = rows[rows.length - 1];
  return last ? versionOf(last, entriesFromChain(rows)) : undefined;
}

/**
 * Several versions of a playlist (a diff's two), entries included, in one query: each one's full copy
 * and the changes after it; the rows two chains share (two versions after the same full copy) are read
 * and parsed once. A version that does not exist is absent from the answer.
 */
export async function readPlaylistVersions(db: Knex | Knex.Transaction, accountId: string, playlistId: string, versions: readonly number[]): Promise<Map<number, PlaylistVersion>> {
  const same = { account_id: accountId, playlist_id: playlistId };
  const rows = (await db
    .with(
      'wanted',
      db('playlist_versions')
        .where(same)
        .whereIn('version', [...versions])
        .select('version', 'base_version'),
    )
    .from('playlist_versions as v')
    .where({ 'v.account_id': accountId, 'v.playlist_id': playlistId })
    .whereRaw('v.version between (select min(base_version) from wanted) and (select max(version) from wanted)')
    .whereExists(db.select(db.raw('1')).from('wanted as w').whereRaw('v.version between w.base_version and w.version'))
    .orderBy('v.version')
    .select(COLUMNS.map((c) => `v.${c}`))) as VersionRow[];
  const entries = entriesOfVersions(rows, versions);
  const found = new Map<number, PlaylistVersion>();
  for (const row of rows) {
    const own = entries.get(row.version);
    if (own) found.set(row.version, versionOf(row, own));
  }
  return found;
}
