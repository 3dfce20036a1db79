import type { Db } from '../db/connect.js';
import { NotFoundError } from '../errors.js';
import { toTrackView, trackViewColumns, type TrackView, type TrackViewRow } from './track-view.js';

export interface TrackDetails {
  track: TrackView;
  /** When the account saved it (and removed it, if it did); null when it never did. */
  saved: { addedAt: string; removedAt: string | null } | null;
  /** The account's playlists holding it (not deleted ones), each with the track's first position. */
  playlists: { id: string; name: string; position: number; addedAt: string | null; imageUrl: string | null }[];
  plays: {
    /** Plays of 30 s or more, every source. */
    total: number;
    first: string | null;
    last: string | null;
    /** Plays per UTC month, oldest first, months without plays left out. */
    byMonth: { month: string; plays: number }[];
  };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** `/tracks/:id`: a track as one account knows it. Every part reads by index on (account, track). */
export async function readTrack(db: Db, accountId: string, trackId: string): Promise<TrackDetails> {
  const row = (await db('tracks as t').join('albums as al', 'al.id', 't.album_id').where('t.id', trackId).first(trackViewColumns(db))) as TrackViewRow | undefined;
  if (!row) throw new NotFoundError('unknown_track', `No track with id "${trackId}" in the mirror`);

  const [saved, playlists, span, months] = await Promise.all([
    db('saved_tracks').where({ account_id: accountId, track_id: trackId }).first('added_at', 'removed_at') as Promise<{ added_at: Date; removed_at: Date | null } | undefined>,
    db('playlist_items as pi')
      .join('playlists as p', (j) => j.on('p.account_id', 'pi.account_id').andOn('p.id', 'pi.playlist_id'))
      .where({ 'pi.account_id': accountId, 'pi.track_id': trackId })
      .whereNull('p.removed_at')
      .groupBy('p.id', 'p.name', 'p.images')
      .orderBy('p.name')
      .select('p.id', 'p.name', db.raw('min(pi.position) as position'), db.raw('min(pi.added_at) as added_at'), db.raw(`p.images -> 0 ->> 'url' as image_url`)) as Promise<
      { id: string; name: string; position: number; added_at: Date | null; image_url: string | null }[]
    >,
    db('play_history')
      .where({ account_id: accountId, track_id: trackId, is_short: false })
      .first(db.raw('count(*)::int as total'), db.raw('min(played_at) as first'), db.raw('max(played_at) as last')) as Promise<{
      total: number;
      first: Date | null;
      last: Date | null;
    }>,
    db('play_history')
      .where({ account_id: accountId, track_id: trackId, is_short: false })
      .groupByRaw(`1`)
      .orderByRaw(`1`)
      .select(db.raw(`to_char(played_at at time zone 'UTC', 'YYYY-MM') as month`), db.raw('count(*)::int as plays')) as Promise<{ month: string; plays: number }[]>,
  ]);

  return {
    track: toTrackView(row),
    saved: saved ? { addedAt: saved.added_at.toISOString(), removedAt: iso(saved.removed_at) } : null,
    playlists: playlists.map((p) => ({ id: p.id, name: p.name, position: Number(p.position), addedAt: iso(p.added_at), imageUrl: p.image_url })),
    plays: { total: span.total, first: iso(span.first), last: iso(span.last), byMonth: months },
  };
}
