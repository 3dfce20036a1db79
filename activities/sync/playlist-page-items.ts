import type { EpisodeRow, PlaylistItemRow, ShowRow } from '../../src/db/rows.js';
import type { PlaylistItem } from '../../src/spotify/schemas.js';
import { episodeRow, showRow, type EpisodeLike } from '../store/collection-rows.js';
import type { CatalogRows, TrackLike } from '../store/normalize.js';

/** The episodes (and their shows) met in a batch's playlist entries, written with the entries. */
export interface PlaylistMedia {
  episodes: EpisodeRow[];
  shows: ShowRow[];
}

const noEntry = { track_id: null, episode_id: null, uri: null, local_name: null, local_artist: null, local_album: null, local_duration_ms: null };

/**
 * What one playlist entry is, as Spotify sends it: a catalog track (into the catalog rows), an episode
 * (into `media`), a local file (with the name, artist, album and duration Spotify gives), or an entry
 * Spotify no longer has (null, or a type we do not know). None is skipped.
 */
function entryColumns(
  entry: PlaylistItem | null,
  rows: CatalogRows,
  media: PlaylistMedia,
): Omit<PlaylistItemRow, 'account_id' | 'playlist_id' | 'position' | 'added_at' | 'added_by'> {
  const content = entry?.item ?? null;
  if (!entry || !content) return { kind: 'unavailable', ...noEntry };
  const track = content as TrackLike;
  if (entry.is_local || track.is_local) {
    return {
      kind: 'local',
      ...noEntry,
      uri: track.uri ?? null,
      local_name: track.name,
      local_artist: track.artists?.[0]?.name ?? null,
      local_album: track.album?.name ?? null,
      local_duration_ms: track.duration_ms ?? null,
    };
  }
  if (content.type === 'episode') {
    const episode = content as EpisodeLike;
    const row = episodeRow(episode);
    if (!row) return { kind: 'unavailable', ...noEntry, uri: content.uri ?? null };
    media.episodes.push(row);
    if (episode.show) media.shows.push(showRow(episode.show));
    return { kind: 'episode', ...noEntry, episode_id: row.id, uri: row.uri ?? `spotify:episode:${row.id}` };
  }
  if (rows.addTrack(track)) return { kind: 'track', ...noEntry, track_id: track.id, uri: track.uri ?? `spotify:track:${track.id}` };
  return { kind: 'unavailable', ...noEntry, uri: content.uri ?? null };
}

/**
 * One page of a playlist's entries, starting at `at`: every entry's row goes into `items` at its
 * position. Returns how many were skipped: none (kept for the callers' counts).
 */
export function addPlaylistPage(
  page: { items: readonly (PlaylistItem | null)[] },
  at: number,
  into: { accountId: string; playlistId: string; rows: CatalogRows; items: PlaylistItemRow[]; media: PlaylistMedia },
): number {
  page.items.forEach((entry, i) => {
    into.items.push({
      account_id: into.accountId,
      playlist_id: into.playlistId,
      position: at + i,
      ...entryColumns(entry, into.rows, into.media),
      added_at: entry?.added_at ? new Date(entry.added_at) : null,
      added_by: entry?.added_by?.id ?? null,
    });
  });
  return 0;
}
