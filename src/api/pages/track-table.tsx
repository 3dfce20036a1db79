import type { FC } from 'hono/jsx';
import type { TrackView } from '../../library/track-view.js';
import { Cover } from './cover.js';
import { count, day, duration } from './format.js';
import type { PageContext } from './layout.js';
import { albumHref, artistHref, trackHref } from './links.js';

export interface TrackRowData {
  track: TrackView;
  /** e.g. added date, position, who added it. */
  lead?: string;
  addedAt?: string | null;
  removedAt?: string | null;
  note?: string;
  plays?: number;
}

const Artists: FC<{ track: TrackView; ctx: PageContext }> = ({ track, ctx }) => (
  <>
    {track.artists.map((a, i) => (
      <>
        {i > 0 ? ', ' : ''}
        <a href={artistHref(a.id, ctx)}>{a.name}</a>
        {a.detailsSynced ? null : <span class="badge syncing">details syncing</span>}
      </>
    ))}
  </>
);

/** A column header; a link that sorts by it where the page can (`sortHref`), marked when it is the order shown. */
export interface SortableHeader {
  href: string;
  current: 'ascending' | 'descending' | undefined;
}

const Header: FC<{ label: string; sort?: SortableHeader; cls?: string }> = ({ label, sort, cls }) => (
  <th class={cls} aria-sort={sort?.current}>
    {sort ? (
      <a class="sort" href={sort.href} aria-sort={sort.current} data-testid={`sort-${label.toLowerCase()}`}>
        {label}
        {sort.current === 'ascending' ? ' ▲' : sort.current === 'descending' ? ' ▼' : ''}
      </a>
    ) : (
      label
    )}
  </th>
);

export interface TrackTableProps {
  rows: TrackRowData[];
  ctx: PageContext;
  leadLabel?: string;
  /** The date column's header; empty: no date column. */
  dateLabel?: string;
  /** False on an album's own page: every row would repeat it. */
  showAlbum?: boolean;
  /** The plays column (artist and album pages). */
  showPlays?: boolean;
  sorts?: Partial<Record<'title' | 'album' | 'date' | 'time', SortableHeader>>;
}

/** Tracks as a table on a desktop, stacked rows on a phone; every name links to its page. */
export const TrackTable: FC<TrackTableProps> = ({ rows, ctx, leadLabel, dateLabel, showAlbum = true, showPlays = false, sorts = {} }) => {
  const showDate = dateLabel !== '';
  return (
    <table class={leadLabel && !showAlbum ? 'tracks numbered' : 'tracks'} data-testid="track-table">
      <thead>
        <tr>
          {leadLabel ? <th class="num">{leadLabel}</th> : null}
          <Header label="Title" sort={sorts.title} />
          {showAlbum ? <Header label="Album" sort={sorts.album} /> : null}
          {showDate ? <Header label={dateLabel ?? 'Added'} sort={sorts.date} /> : null}
          {showPlays ? <th class="num">Plays</th> : null}
          <Header label="Time" sort={sorts.time} cls="num" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-testid="track-row" data-track-id={r.track.id}>
            {leadLabel ? <td class={`num lead${showAlbum ? ' hide-phone' : ''}`}>{r.lead ?? ''}</td> : null}
            <td class="title">
              <div class="with-cover">
                {showAlbum ? <Cover url={r.track.album.imageUrl} size="s" /> : null}
                <div>
                  <a class="track-name" href={trackHref(r.track.id, ctx)} data-testid="track-name">
                    {r.track.name}
                  </a>
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
                </div>
              </div>
            </td>
            {showAlbum ? (
              <td class="secondary">
                <a href={albumHref(r.track.album.id, ctx)}>{r.track.album.name}</a>
                {r.track.album.detailsSynced ? null : <span class="badge syncing">details syncing</span>}
                {r.track.album.releaseDate ? <span class="muted"> · {r.track.album.releaseDate.slice(0, 4)}</span> : null}
              </td>
            ) : null}
            {showDate ? (
              <td class="hide-phone">
                {day(r.addedAt ?? null)}
                {r.note ? <div class="muted">{r.note}</div> : null}
              </td>
            ) : null}
            {showPlays ? (
              <td class="num plays" data-testid="track-plays">
                {count(r.plays ?? 0)}
              </td>
            ) : null}
            <td class="num">{duration(r.track.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
