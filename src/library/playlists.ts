import type { Db } from '../db/connect.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from './cursor.js';
import { toTrackView, trackViewColumns, type TrackView, type TrackViewRow } from './track-view.js';

export interface PlaylistSummary {
  id: string;
  name: string;
  description: string | null;
  ownerId: string | null;
  ownerName: string | null;
  /** The account's own playlist (else followed, or collaborated on). */
  owned: boolean;
  collaborative: boolean;
  public: boolean | null;
  snapshotId: string;
  /** False when Spotify refuses the items (a followed playlist in development mode): only its details are stored. */
  itemsReadable: boolean;
  /** Items fetched yet (the snapshot stored is the current one). */
  itemsSynced: boolean;
  totalItems: number;
  storedItems: number;
  skippedItems: number;
  imageUrl: string | null;
  /** When it disappeared from the account's playlists on Spotify; its last known items stay. */
  removedAt: string | null;
}

interface PlaylistRowView {
  id: string;
  name: string;
  description: string | null;
  owner_id: string | null;
  owner_name: string | null;
  owned: boolean;
  collaborative: boolean;
  public: boolean | null;
  snapshot_id: string;
  items_snapshot_id: string | null;
  items_accessible: boolean | null;
  total_items: number;
  stored_items: number;
  skipped_items: number;
  image_url: string | null;
  removed_at: Date | null;
  sort_key: string;
}

function playlistQuery(db: Db, accountId: string) {
  return db('playlists as p')
    .join('accounts as acc', 'acc.id', 'p.account_id')
    .where('p.account_id', accountId)
    .select(
      'p.id',
      'p.name',
      'p.description',
      'p.owner_id',
      'p.owner_name',
      db.raw('coalesce(p.owner_id = acc.spotify_user_id, false) as owned'),
      'p.collaborative',
      'p.public',
      'p.snapshot_id',
      'p.items_snapshot_id',
      'p.items_accessible',
      'p.total_items',
      db.raw('(select count(*) from playlist_items pi where pi.account_id = p.account_id and pi.playlist_id = p.id)::int as stored_items'),
      'p.skipped_items',
      db.raw(`p.images -> 0 ->> 'url' as image_url`),
      'p.removed_at',
      db.raw(`lpad(coalesce(p.list_position, 32767)::text, 5, '0') as sort_key`),
    );
}

const toSummary = (row: PlaylistRowView): PlaylistSummary => ({
  id: row.id,
  name: row.name,
  description: row.description,
  ownerId: row.owner_id,
  ownerName: row.owner_name,
  owned: row.owned,
  collaborative: row.collaborative,
  public: row.public,
  snapshotId: row.snapshot_id,
  itemsReadable: row.items_accessible !== false,
  itemsSynced: row.items_snapshot_id === row.snapshot_id,
  totalItems: row.total_items,
  storedItems: row.stored_items,
  skippedItems: row.skipped_items,
  imageUrl: row.image_url,
  removedAt: row.removed_at?.toISOString() ?? null,
});

/** `GET /api/library/playlists`: in the order of the account's playlist listing on Spotify. */
export async function listPlaylists(db: Db, accountId: string, query: { removed: 'false' | 'true' | 'any'; limit: number; cursor?: string }): Promise<Page<PlaylistSummary>> {
  const after = decodeCursor(query.cursor, 'playlists');
  const sortKey = `lpad(coalesce(p.list_position, 32767)::text, 5, '0')`;
  const page = playlistQuery(db, accountId);
  const counted = db('playlists as p').where('p.account_id', accountId);
  for (const b of [page, counted]) {
    if (query.removed === 'false') b.whereNull('p.removed_at');
    if (query.removed === 'true') b.whereNotNull('p.removed_at');
  }
  if (after) page.whereRaw(`(${sortKey}, p.id) > (?, ?)`, [after.key ?? '', after.id]);
  page.orderByRaw(`${sortKey}, p.id`).limit(query.limit + 1);
  const [rows, count] = await Promise.all([page as unknown as Promise<PlaylistRowView[]>, counted.count<{ count: number }[]>({ count: '*' })]);
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map(toSummary),
    nextCursor: more && last ? encodeCursor('playlists', { key: last.sort_key, id: last.id }) : null,
    total: Number(count[0]?.count ?? 0),
  };
}

/** The account's playlists (deleted ones too) as a filter's choices: names only, nothing counted. */
export async function listPlaylistChoices(db: Db, accountId: string): Promise<{ id: string; name: string }[]> {
  return db('playlists').where('account_id', accountId).orderByRaw('coalesce(list_position, 32767), id').select('id', 'name');
}

/** What a playlist entry is: a track, a podcast episode, a local file, or one Spotify no longer has. */
export type PlaylistEntryKind = 'track' | 'episode' | 'local' | 'unavailable';

export interface PlaylistItem {
  position: number;
  kind: PlaylistEntryKind;
  /** Spotify's uri of the entry; null when unavailable. */
  uri: string | null;
  /** The track's, episode's or local file's name; null when unavailable. */
  name: string | null;
  addedAt: string | null;
  addedBy: string | null;
  /** Set for a track. */
  track: TrackView | null;
  /** Set for an episode. */
  episode: { id: string; name: string; showId: string | null; showName: string | null; durationMs: number | null } | null;
  /** Set for a local file: what Spotify gives for it. */
  local: { name: string | null; artist: string | null; album: string | null; durationMs: number | null } | null;
}

interface PlaylistEntryRow extends Omit<TrackViewRow, 'track_id'> {
  track_id: string | null;
  position: number;
  kind: PlaylistEntryKind;
  entry_uri: string | null;
  added_at: Date | null;
  added_by: string | null;
  episode_id: string | null;
  episode_name: string | null;
  episode_duration_ms: number | null;
  show_id: string | null;
  show_name: string | null;
  local_name: string | null;
  local_artist: string | null;
  local_album: string | null;
  local_duration_ms: number | null;
}

function toPlaylistItem(row: PlaylistEntryRow): PlaylistItem {
  const track = row.kind === 'track' && row.track_id ? toTrackView({ ...row, track_id: row.track_id }) : null;
  const episode =
    row.kind === 'episode' && row.episode_id
      ? { id: row.episode_id, name: row.episode_name ?? row.episode_id, showId: row.show_id, showName: row.show_name, durationMs: row.episode_duration_ms }
      : null;
  const local = row.kind === 'local' ? { name: row.local_name, artist: row.local_artist, album: row.local_album, durationMs: row.local_duration_ms } : null;
  return {
    position: row.position,
    kind: row.kind,
    uri: row.entry_uri ?? track?.uri ?? null,
    name: track?.name ?? episode?.name ?? local?.name ?? null,
    addedAt: row.added_at?.toISOString() ?? null,
    addedBy: row.added_by,
    track,
    episode,
    local,
  };
}

/** A playlist and a page of its items. */
export interface PlaylistPage extends Page<PlaylistItem> {
  playlist: PlaylistSummary;
}

export async function readPlaylistSummary(db: Db, accountId: string, playlistId: string): Promise<PlaylistSummary> {
  const row = (await playlistQuery(db, accountId).andWhere('p.id', playlistId).first()) as PlaylistRowView | undefined;
  if (!row) throw new NotFoundError('unknown_playlist', `No playlist with id "${playlistId}" in this account's library`);
  return toSummary(row);
}

/** `GET /api/library/playlists/:id`: the playlist and a page of its items in playlist order. */
export async function readPlaylist(db: Db, accountId: string, playlistId: string, query: { limit: number; cursor?: string }): Promise<PlaylistPage> {
  const playlist = await readPlaylistSummary(db, accountId, playlistId);
  const after = decodeCursor(query.cursor, 'items');
  // Every entry, whatever it is: tracks, episodes, local files and unavailable ones, in order.
  const page = db('playlist_items as pi')
    .leftJoin('tracks as t', 't.id', 'pi.track_id')
    .leftJoin('albums as al', 'al.id', 't.album_id')
    .leftJoin('episodes as e', 'e.id', 'pi.episode_id')
    .leftJoin('shows as s', 's.id', 'e.show_id')
    .where({ 'pi.account_id': accountId, 'pi.playlist_id': playlistId })
    .select([
      ...trackViewColumns(db),
      'pi.position',
      'pi.kind',
      'pi.uri as entry_uri',
      'pi.added_at',
      'pi.added_by',
      'pi.episode_id',
      'e.name as episode_name',
      'e.duration_ms as episode_duration_ms',
      's.id as show_id',
      's.name as show_name',
      'pi.local_name',
      'pi.local_artist',
      'pi.local_album',
      'pi.local_duration_ms',
    ]);
  if (after) {
    const position = Number(after.id);
    if (!Number.isInteger(position)) throw new InvalidInputError('invalid_cursor', 'Invalid query parameter cursor: not a cursor of this playlist');
    page.where('pi.position', '>', position);
  }
  const rows = (await page.orderBy('pi.position').limit(query.limit + 1)) as PlaylistEntryRow[];
  const more = rows.length > query.limit;
  const shown = more ? rows.slice(0, query.limit) : rows;
  const last = shown.at(-1);
  return {
    playlist,
    items: shown.map(toPlaylistItem),
    nextCursor: more && last ? encodeCursor('items', { key: null, id: String(last.position) }) : null,
    total: playlist.storedItems,
  };
}
