import type { FC } from 'hono/jsx';
import type { TrackView } from '../../library/track-view.js';
import { day, duration } from './format.js';
import { type PageContext, withAccount } from './layout.js';

export interface TrackRowData {
  track: TrackView;
  /** e.g. added date, position, who added it. */
  lead?: string;
  addedAt?: string | null;
  removedAt?: string | null;
  note?: string;
}

const Artists: FC<{ track: TrackView; ctx: PageContext }> = ({ track, ctx }) => (
  <>
    {track.artists.map((a, i) => (
      <>
        {i > 0 ? ', ' : ''}
        <a href={withAccount(`/artists/${encodeURIComponent(a.id)}`, ctx)}>{a.name}</a>
        {a.detailsSynced ? null : <span class="badge syncing">details syncing</span>}
      </>
    ))}
  </>
);

/** Tracks as a table on a desktop, stacked rows on a phone. */
export const TrackTable: FC<{ rows: TrackRowData[]; ctx: PageContext; leadLabel?: string; dateLabel?: string }> = ({ rows, ctx, leadLabel, dateLabel }) => (
  <table class="tracks" data-testid="track-table">
    <thead>
      <tr>
        {leadLabel ? <th class="num">{leadLabel}</th> : null}
        <th>Title</th>
        <th>Album</th>
        <th>{dateLabel ?? 'Added'}</th>
        <th class="num">Time</th>
      </tr>
    </thead>
    <tbody>
      {rows.map((r) => (
        <tr data-testid="track-row" data-track-id={r.track.id}>
          {leadLabel ? <td class="num hide-phone">{r.lead ?? ''}</td> : null}
          <td>
            <span class="track-name" data-testid="track-name">
              {r.track.name}
            </span>
            {r.track.explicit ? (
              <span class="badge" title="Explicit">
                E
              </span>
            ) : null}
            {r.removedAt ? (
              <span class="badge removed" data-testid="removed-badge">
                removed {day(r.removedAt)}
              </span>
            ) : null}
            <br />
            <span class="muted">
              <Artists track={r.track} ctx={ctx} />
            </span>
          </td>
          <td class="secondary">
            <a href={withAccount(`/albums/${encodeURIComponent(r.track.album.id)}`, ctx)}>{r.track.album.name}</a>
            {r.track.album.detailsSynced ? null : <span class="badge syncing">details syncing</span>}
            {r.track.album.releaseDate ? <span class="muted"> · {r.track.album.releaseDate.slice(0, 4)}</span> : null}
          </td>
          <td class="hide-phone">
            {day(r.addedAt ?? null)}
            {r.note ? <div class="muted">{r.note}</div> : null}
          </td>
          <td class="num">{duration(r.track.durationMs)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);
