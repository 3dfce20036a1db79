import type { Db } from '../db/connect.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { diffEntries, type StoredEntry } from '../versions/version-codec.js';
import { readPlaylistVersion, readPlaylistVersions } from '../versions/version-store.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** The time machine's read model: a playlist's versions, one version as it was, a diff, the change log. */

export interface VersionSummary {
  version: number;
  event: 'version' | 'deleted';
  snapshotId: string;
  observedAt: string;
  name: string;
  totalItems: number;
  added: number;
  removed: number;
  moved: number;
}

/** A playlist's versions, newest first. */
export async function listVersions(
  db: Db,
  accountId: string,
  playlistId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: VersionSummary[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 'versions');
  const rows = (await db('playlist_versions')
    .where({ account_id: accountId, playlist_id: playlistId })
    .modify((q) => {
      if (after) q.where('version', '<', Number(after.id));
    })
    .orderBy('version', 'desc')
    .limit(query.limit + 1)
    .select('version', 'event', 'snapshot_id', 'observed_at', 'name', 'total_items', 'added', 'removed', 'moved')) as {
    version: number;
    event: 'version' | 'deleted';
    snapshot_id: string;
    observed_at: Date;
    name: string;
    total_items: number;
    added: number;
    removed: number;
    moved: number;
  }[];
  if (rows.length === 0 && !after) {
    const known = await db('playlists').where({ account_id: accountId, id: playlistId }).first('id');
    if (!known) throw new NotFoundError('unknown_playlist', 'No such playlist in this library');
  }
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      version: r.version,
      event: r.event,
      snapshotId: r.snapshot_id,
      observedAt: r.observed_at.toISOString(),
      name: r.name,
      totalItems: r.total_items,
      added: r.added,
      removed: r.removed,
      moved: r.moved,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor('versions', { key: null, id: String(last.version) }) : null,
  };
}

export interface VersionEntry {
  position: number;
  uri: string | null;
  kind: string;
  name: string | null;
  artists: string | null;
  addedAt: string | null;
  addedBy: string | null;
}

export interface VersionPage {
  version: number;
  event: 'version' | 'deleted';
  snapshotId: string;
  observedAt: string;
  name: string;
  description: string | null;
  public: boolean | null;
  collaborative: boolean;
  itemsKnown: boolean;
  total: number;
  entries: VersionEntry[];
  nextCursor: string | null;
}

const entryOf = (e: StoredEntry, position: number): VersionEntry => ({ position, uri: e.u, kind: e.k, name: e.n, artists: e.a, addedAt: e.t, addedBy: e.b });

async function versionOrThrow(db: Db, accountId: string, playlistId: string, version: number) {
  const found = await readPlaylistVersion(db, accountId, playlistId, version);
  if (!found) throw new NotFoundError('unknown_version', `No version ${version} of this playlist`);
  return found;
}

/** A playlist as it was at one version: details, and a page of its entries in order. */
export async function readVersion(db: Db, accountId: string, playlistId: string, version: number, query: { limit: number; cursor?: string }): Promise<VersionPage> {
  const found = await versionOrThrow(db, accountId, playlistId, version);
  const from = Number(decodeCursor(query.cursor, 'entries')?.id ?? 0);
  const entries = found.entries.slice(from, from + query.limit).map((e, i) => entryOf(e, from + i));
  return {
    version: found.version,
    event: found.event,
    snapshotId: found.snapshotId,
    observedAt: found.observedAt.toISOString(),
    name: found.name,
    description: found.description,
    public: found.public,
    collaborative: found.collaborative,
    itemsKnown: found.itemsKnown,
    total: found.entries.length,
    entries,
    nextCursor: from + query.limit < found.entries.length ? encodeCursor('entries', { key: null, id: String(from + query.limit) }) : null,
  };
}

export interface VersionDiff {
  from: number;
  to: number;
  added: { uri: string | null; position: number }[];
  removed: { uri: string | null; position: number }[];
  moved: { uri: string | null; from: number; to: number }[];
  details: Record<string, { from: unknown; to: unknown }>;
}

/** What changed between two versions: entries added, removed and moved, and the details that differ. */
export async function diffVersions(db: Db, accountId: string, playlistId: string, from: number, to: number): Promise<VersionDiff> {
  if (from === to) throw new InvalidInputError('same_version', 'from and to must be two different versions');
  // Both in one query: two versions after the same full copy read it once.
  const found = await readPlaylistVersions(db, accountId, playlistId, [from, to]);
  const [a, b] = [found.get(from), found.get(to)];
  if (!a) throw new NotFoundError('unknown_version', `No version ${from} of this playlist`);
  if (!b) throw new NotFoundError('unknown_version', `No version ${to} of this playlist`);
  const diff = diffEntries(a.entries, b.entries);
  const details: VersionDiff['details'] = {};
  for (const key of ['name', 'description', 'public', 'collaborative'] as const) {
    if (a[key] !== b[key]) details[key] = { from: a[key], to: b[key] };
  }
  return { from, to, ...diff, details };
}

export const changeKinds = ['track', 'album', 'artist', 'show', 'episode', 'audiobook', 'playlist'] as const;
export const changeTypes = ['added', 'removed', 'edited', 'deleted'] as const;

export interface LibraryChange {
  id: string;
  kind: string;
  itemId: string;
  uri: string;
  name: string | null;
  change: string;
  at: string;
  playlistVersion: number | null;
}

/** The change log, newest first, with the names the mirror knows. */
export async function listChanges(
  db: Db,
  accountId: string,
  query: { kind?: string; change?: string; from?: string; to?: string; limit: number; cursor?: string },
): Promise<{ items: LibraryChange[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 'changes');
  const rows = (await db('library_changes as c')
    .leftJoin('tracks as t', function () {
      this.on('c.kind', db.raw('?', ['track'])).andOn('t.id', 'c.item_id');
    })
    .leftJoin('playlist_versions as v', function () {
      this.on('v.account_id', 'c.account_id').andOn('v.playlist_id', 'c.item_id').andOn('v.version', 'c.playlist_version');
    })
    .where('c.account_id', accountId)
    .modify((q) => {
      if (query.kind) q.where('c.kind', query.kind);
      if (query.change) q.where('c.change', query.change);
      if (query.from) q.where('c.at', '>=', new Date(`${query.from}T00:00:00Z`));
      if (query.to) q.where('c.at', '<', new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000));
      if (after) q.whereRaw('(c.at, c.id) < (?::timestamptz, ?::bigint)', [after.key, after.id]);
    })
    .orderBy([
      { column: 'c.at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(query.limit + 1)
    .select('c.id', 'c.kind', 'c.item_id', 'c.change', 'c.at', 'c.playlist_version', db.raw('coalesce(t.name, v.name) as name'))) as {
    id: string;
    kind: string;
    item_id: string;
    change: string;
    at: Date;
    playlist_version: number | null;
    name: string | null;
  }[];
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      itemId: r.item_id,
      uri: `spotify:${r.kind}:${r.item_id}`,
      name: r.name,
      change: r.change,
      at: r.at.toISOString(),
      playlistVersion: r.playlist_version,
    })),
    nextCursor: rows.length > query.limit && last ? encodeCursor('changes', { key: last.at.toISOString(), id: String(last.id) }) : null,
  };
}
