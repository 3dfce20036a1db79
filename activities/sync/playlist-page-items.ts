import type { PlaylistItemRow } from '../../src/db/rows.js';
import type { PlaylistItem } from '../../src/spotify/schemas.js';
import type { CatalogRows, TrackLike } from '../store/normalize.js';

/**
 * One page of a playlist's items, starting at `at`: each track goes into the catalog rows and its
 * item row into `items`; entries that are no catalog track (gone, local files, episodes) are
 * skipped. Returns how many were skipped.
 */
export function addPlaylistPage(
  page: { items: readonly (PlaylistItem | null)[] },
  at: number,
  into: { accountId: string; playlistId: string; rows: CatalogRows; items: PlaylistItemRow[] },
): number {
  let skipped = 0;
  page.items.forEach((entry, i) => {
    const track = (entry?.item ?? entry?.track ?? null) as TrackLike | null;
    if (entry && into.rows.addTrack(track)) {
      into.items.push({
        account_id: into.accountId,
        playlist_id: into.playlistId,
        position: at + i,
        track_id: track.id,
        added_at: entry.added_at ? new Date(entry.added_at) : null,
        added_by: entry.added_by?.id ?? null,
      });
    } else {
      skipped += 1;
    }
  });
  return skipped;
}
