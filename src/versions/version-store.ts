import type { Knex } from 'knex';
import { entriesFromChain, type ChainRow, type StoredEntry } from './version-codec.js';

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
    .select(
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
    )) as VersionRow[];
  const last = rows[rows.length - 1];
  if (!last) return undefined;
  return {
    playlistId: last.playlist_id,
    version: last.version,
    event: last.event,
    snapshotId: last.snapshot_id,
    observedAt: last.observed_at,
    name: last.name,
    description: last.description,
    public: last.public,
    collaborative: last.collaborative,
    ownerId: last.owner_id,
    totalItems: last.total_items,
    itemsKnown: last.items_known,
    added: last.added,
    removed: last.removed,
    moved: last.moved,
    entries: entriesFromChain(rows),
  };
}
