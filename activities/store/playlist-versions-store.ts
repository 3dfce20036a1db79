import type { Knex } from 'knex';
import { diffEntries, encodeChanges, entriesFromChain, fullCopyDue, type ChainRow, type StoredEntry } from '../../src/versions/version-codec.js';

interface LatestVersion {
  version: number;
  base_version: number;
  event: string;
  snapshot_id: string;
  items_known: boolean;
  chain_bytes: number;
  name: string;
  description: string | null;
  public: boolean | null;
  collaborative: boolean;
  total_items: number | null;
}

interface PlaylistDetails {
  id: string;
  name: string;
  description: string | null;
  public: boolean | null;
  collaborative: boolean;
  owner_id: string | null;
  snapshot_id: string;
  total_items: number;
  items_accessible: boolean | null;
}

/**
 * The entries of a playlist as the mirror holds them now (playlist_items), in order, in the generic
 * form versions keep: every entry with its real uri and kind (a track, an episode, a local file with
 * the name and artist Spotify gives for it, or an unavailable entry with no uri), name, artists (an
 * episode's show), added at and by. One query: the artists of the playlist's tracks are joined as one
 * aggregate (not a subquery per entry), and added at comes as the ISO text a version keeps
 * (Date#toISOString's form, milliseconds truncated as a Date truncates them), not as a Date per entry.
 */
async function storedEntries(trx: Knex.Transaction, accountId: string, playlistId: string): Promise<StoredEntry[]> {
  const same = { account_id: accountId, playlist_id: playlistId };
  const artists = trx('track_artists as ta')
    .join('artists as a', 'a.id', 'ta.artist_id')
    .whereIn('ta.track_id', trx('playlist_items').where(same).whereNotNull('track_id').select('track_id'))
    .groupBy('ta.track_id')
    .select('ta.track_id', trx.raw("string_agg(a.name, ', ' order by ta.position) as artists"));
  const rows = (await trx('playlist_items as i')
    .leftJoin('tracks as t', 't.id', 'i.track_id')
    .leftJoin('episodes as e', 'e.id', 'i.episode_id')
    .leftJoin('shows as s', 's.id', 'e.show_id')
    .leftJoin(artists.as('ar'), 'ar.track_id', 'i.track_id')
    .where({ 'i.account_id': accountId, 'i.playlist_id': playlistId })
    .orderBy('i.position')
    .select(
      'i.kind',
      'i.uri',
      'i.track_id',
      'i.episode_id',
      'i.local_name',
      'i.local_artist',
      trx.raw(`to_char(i.added_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as added_at`),
      'i.added_by',
      't.name as track_name',
      'e.name as episode_name',
      's.name as show_name',
      'ar.artists',
    )) as StoredEntryRow[];
  return rows.map(toStoredEntry);
}

interface StoredEntryRow {
  kind: string;
  uri: string | null;
  track_id: string | null;
  episode_id: string | null;
  local_name: string | null;
  local_artist: string | null;
  /** ISO text, as toISOString writes it. */
  added_at: string | null;
  added_by: string | null;
  track_name: string | null;
  episode_name: string | null;
  show_name: string | null;
  artists: string | null;
}

function toStoredEntry(r: StoredEntryRow): StoredEntry {
  const t = r.added_at;
  const b = r.added_by;
  switch (r.kind) {
    case 'track':
      return { u: r.uri ?? `spotify:track:${r.track_id}`, k: 'track', n: r.track_name, a: r.artists, t, b };
    case 'episode':
      return { u: r.uri ?? `spotify:episode:${r.episode_id}`, k: 'episode', n: r.episode_name, a: r.show_name, t, b };
    case 'local':
      return { u: r.uri, k: 'local', n: r.local_name, a: r.local_artist, t, b };
    default:
      return { u: null, k: 'unavailable', n: null, a: null, t, b };
  }
}

async function latestVersion(trx: Knex.Transaction, accountId: string, playlistId: string): Promise<LatestVersion | undefined> {
  return (await trx('playlist_versions')
    .where({ account_id: accountId, playlist_id: playlistId })
    .orderBy('version', 'desc')
    .first('version', 'base_version', 'event', 'snapshot_id', 'items_known', 'chain_bytes', 'name', 'description', 'public', 'collaborative', 'total_items')) as
    LatestVersion | undefined;
}

async function chainEntries(trx: Knex.Transaction, accountId: string, playlistId: string, latest: LatestVersion): Promise<StoredEntry[]> {
  const rows = (await trx('playlist_versions')
    .where({ account_id: accountId, playlist_id: playlistId })
    .whereBetween('version', [latest.base_version, latest.version])
    .orderBy('version')
    .select('version', 'base_version', 'entries')) as ChainRow[];
  return entriesFromChain(rows);
}

/**
 * Records the version of each playlist whose items the sync just finished reading (in the batch's
 * transaction, after its items are written): a new version when its snapshot differs from the last
 * one recorded. Stored as changes against the version before unless a full copy is due.
 */
export async function recordPlaylistVersions(trx: Knex.Transaction, accountId: string, playlistIds: readonly string[], now: Date): Promise<void> {
  for (const playlistId of playlistIds) {
    const details = (await trx('playlists')
      .where({ account_id: accountId, id: playlistId })
      .first('id', 'name', 'description', 'public', 'collaborative', 'owner_id', 'snapshot_id', 'total_items', 'items_accessible')) as PlaylistDetails | undefined;
    if (!details) continue;
    const latest = await latestVersion(trx, accountId, playlistId);
    if (latest && latest.event === 'version' && latest.snapshot_id === details.snapshot_id) continue;
    const itemsKnown = details.items_accessible !== false;
    const entries = itemsKnown ? await storedEntries(trx, accountId, playlistId) : [];
    const version = (latest?.version ?? 0) + 1;
    const previousKnown = latest !== undefined && latest.event === 'version' && latest.items_known;
    const before = previousKnown ? await chainEntries(trx, accountId, playlistId, latest) : [];
    const full = JSON.stringify(entries);
    let stored = full;
    let base = version;
    let chainBytes = 0;
    if (previousKnown && itemsKnown) {
      const changes = JSON.stringify(encodeChanges(before, entries));
      const chainLength = latest.version - latest.base_version + 1;
      if (!fullCopyDue({ length: chainLength, chainBytes: latest.chain_bytes }, changes.length, full.length)) {
        stored = changes;
        base = latest.base_version;
        chainBytes = latest.chain_bytes + changes.length;
      }
    }
    // A new snapshot id over the same details and the same entries is no new version: Spotify's own
    // playlists can answer a fresh snapshot_id on every read (spotify/web-api#858).
    if (latest?.event === 'version' && latest.items_known === itemsKnown && sameDetails(latest, details) && (!itemsKnown || sameEntries(before, entries))) continue;
    const diff = diffEntries(before, entries);
    await trx('playlist_versions').insert({
      account_id: accountId,
      playlist_id: playlistId,
      version,
      event: 'version',
      snapshot_id: details.snapshot_id,
      observed_at: now,
      name: details.name,
      description: details.description,
      public: details.public,
      collaborative: details.collaborative,
      owner_id: details.owner_id,
      total_items: details.total_items,
      items_known: itemsKnown,
      base_version: base,
      entries: stored,
      entries_bytes: stored.length,
      chain_bytes: chainBytes,
      added: previousKnown ? diff.added.length : entries.length,
      removed: previousKnown ? diff.removed.length : 0,
      moved: previousKnown ? diff.moved.length : 0,
    });
    await trx('library_changes').insert({
      account_id: accountId,
      kind: 'playlist',
      item_id: playlistId,
      change: latest && latest.event === 'version' ? 'edited' : 'added',
      at: now,
      seen_at: now,
      playlist_version: version,
    });
  }
}

/** Entry by entry, whatever order the keys came back in (the stored entries pass through jsonb). */
const sameEntries = (a: StoredEntry[], b: StoredEntry[]) =>
  a.length === b.length &&
  a.every((e, i) => {
    const o = b[i]!;
    return e.u === o.u && e.k === o.k && e.n === o.n && e.a === o.a && e.t === o.t && e.b === o.b;
  });

const sameDetails = (a: LatestVersion, b: PlaylistDetails) =>
  a.name === b.name && a.description === b.description && a.public === b.public && a.collaborative === b.collaborative && a.total_items === b.total_items;

/** Records the deletion of the playlists the sync just soft-deleted (removed_at = now) as their last event. */
export async function recordPlaylistDeletions(trx: Knex.Transaction, accountId: string, now: Date): Promise<void> {
  const gone = (await trx('playlists')
    .where({ account_id: accountId, removed_at: now })
    .select('id', 'name', 'description', 'public', 'collaborative', 'owner_id', 'snapshot_id')) as Omit<PlaylistDetails, 'total_items' | 'items_accessible'>[];
  for (const p of gone) {
    const latest = await latestVersion(trx, accountId, p.id);
    if (latest?.event === 'deleted') continue;
    const version = (latest?.version ?? 0) + 1;
    await trx('playlist_versions').insert({
      account_id: accountId,
      playlist_id: p.id,
      version,
      event: 'deleted',
      snapshot_id: p.snapshot_id,
      observed_at: now,
      name: p.name,
      description: p.description,
      public: p.public,
      collaborative: p.collaborative,
      owner_id: p.owner_id,
      total_items: 0,
      items_known: false,
      base_version: version,
      entries: '[]',
      entries_bytes: 2,
      chain_bytes: 0,
    });
    await trx('library_changes').insert({ account_id: accountId, kind: 'playlist', item_id: p.id, change: 'deleted', at: now, seen_at: now, playlist_version: version });
  }
}
