import type { FC } from 'hono/jsx';
import type { HistoryStats, Play } from '../../library/history.js';
import { count, dateTime, day, playCount, time } from './format.js';
import { Cover } from './cover.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { albumHref, artistHref, trackHref } from './links.js';

const chartWidth = 1000;
const chartHeight = 160;

/** Minutes per bucket as SVG bars (no script): one `rect.bar` per bucket, recorded gaps as red marks below. */
const MinutesChart: FC<{ stats: HistoryStats }> = ({ stats }) => {
  const buckets = stats.minutesByBucket;
  const max = Math.max(1, ...buckets.map((b) => b.minutes));
  const width = chartWidth;
  const barWidth = chartWidth / Math.max(1, buckets.length);
  const indexOf = (iso: string) => {
    const d = iso.slice(0, 10);
    let i = 0;
    while (i + 1 < buckets.length && buckets[i + 1]!.start <= d) i++;
    return i;
  };
  // Axis labels: month starts for day and week bars, years for month bars.
  const months = buckets
    .map((b, i) => ({ b, i }))
    .filter(({ b, i }) => (stats.bucket === 'month' ? b.start.endsWith('-01-01') : b.start.endsWith('-01') || (stats.bucket === 'week' && i === 0)) || i === 0);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${chartHeight + 26}`} role="img" aria-label={`Minutes listened per ${stats.bucket}`} data-testid="minutes-chart">
      {buckets.map((b, i) => {
        const h = b.minutes === 0 ? 0 : Math.max(1, (b.minutes / max) * chartHeight);
        return (
          <rect
            class="bar"
            x={i * barWidth}
            y={chartHeight - h}
            width={Math.max(0.5, barWidth * 0.8)}
            height={h}
            data-start={b.start}
            data-minutes={String(b.minutes)}
            data-plays={String(b.plays)}
          >
            <title>{`${b.start}: ${b.minutes} min, ${playCount(b.plays)}`}</title>
          </rect>
        );
      })}
      {stats.gaps.map((g) => (
        <rect
          class="gap"
          x={indexOf(g.start) * barWidth}
          y={chartHeight + 2}
          width={Math.max(barWidth, (indexOf(g.end) - indexOf(g.start) + 1) * barWidth)}
          height={6}
          data-gap-start={g.start}
        >
          <title>{`plays between ${dateTime(g.start)} and ${time(g.end)} may be missing`}</title>
        </rect>
      ))}
      {months.map(({ b, i }) => (
        <text class="axis" x={i * barWidth} y={chartHeight + 20}>
          {b.start.slice(0, 7)}
        </text>
      ))}
    </svg>
  );
};

export interface HistoryPageProps {
  ctx: PageContext;
  form: Record<string, string | undefined>;
  stats: HistoryStats;
  plays: { items: Play[]; nextCursor: string | null; total: number };
  /** The first and last day with a play. */
  span: { first: string | null; last: string | null };
  /** The bars asked for; none: the ones that fit the range. */
  askedBucket?: HistoryStats['bucket'];
}

export const HistoryPage: FC<HistoryPageProps> = ({ ctx, form, stats, plays, span, askedBucket }) => {
  const keep = Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'cursor' && k !== 'accountId'));
  const totalMinutes = stats.minutesByBucket.reduce((n, b) => n + b.minutes, 0);
  return (
    <Layout title="History" ctx={ctx} active="history">
      <h1>Listening history</h1>
      <form class="filters card" method="get" action="/history">
        {ctx.accounts.length > 1 && ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
        <label>
          From
          <input type="date" name="from" value={stats.from} data-testid="history-from" />
        </label>
        <label>
          To
          <input type="date" name="to" value={stats.to} data-testid="history-to" />
        </label>
        <label>
          Bars per
          <select name="bucket" data-testid="history-bucket">
            <option value="" selected={askedBucket === undefined}>
              fitting the range
            </option>
            {(['day', 'week', 'month'] as const).map((b) => (
              <option value={b} selected={askedBucket === b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Short plays (&lt; 30 s)
          <select name="includeShort">
            <option value="false">Leave out</option>
            <option value="true" selected={form.includeShort === 'true'}>
              Include
            </option>
          </select>
        </label>
        <div class="actions">
          <button type="submit">Show</button>
        </div>
      </form>
      <section class="card" aria-label="Minutes listened">
        <h2>
          {count(Math.round(totalMinutes))} minutes from {stats.from} to {stats.to}
        </h2>
        <p class="muted" data-testid="history-span">
          Bars per {stats.bucket}
          {askedBucket !== undefined && askedBucket !== stats.bucket ? ` (${askedBucket}s would be too many bars for this range)` : ''}.
          {span.first !== null && span.last !== null ? (
            <>
              {' '}
              Your history runs from {span.first} to {span.last}
              {stats.from > span.first || stats.to < span.last ? (
                <>
                  {': '}
                  <a href={withAccount('/history', ctx, { from: span.first, to: span.last })} data-testid="history-all">
                    show all of it
                  </a>
                </>
              ) : null}
              .
            </>
          ) : null}
        </p>
        <MinutesChart stats={stats} />
        {stats.gaps.length > 0 ? (
          <ul data-testid="gaps">
            {stats.gaps.map((g) => (
              <li class="muted" data-testid="gap">
                Plays between {dateTime(g.start)} and {day(g.end) === day(g.start) ? time(g.end) : dateTime(g.end)} may be missing (more than 50 were played between two polls).
              </li>
            ))}
          </ul>
        ) : null}
        <p class="muted">
          <a href={withAccount('/api/export/history.csv', ctx)}>Export the whole history (CSV)</a> ·{' '}
          <a href={withAccount('/history/import', ctx)} data-testid="history-import-link">
            Import your earlier plays from Spotify’s data export
          </a>
        </p>
      </section>
      <div class="two">
        <section class="card" aria-label="Top tracks">
          <h2>Top tracks</h2>
          <ol class="top" data-testid="top-tracks">
            {stats.topTracks.map((t) => (
              <li>
                {t.trackId ? (
                  <a class="track-name" href={trackHref(t.trackId, ctx)}>
                    {t.trackName ?? 'Unknown'}
                  </a>
                ) : (
                  <span class="track-name">{t.trackName ?? 'Unknown'}</span>
                )}{' '}
                <span class="muted">{t.artistName ?? ''}</span>
                <span class="muted"> · {playCount(t.plays)}</span>
              </li>
            ))}
          </ol>
        </section>
        <section class="card" aria-label="Top artists">
          <h2>Top artists</h2>
          <ol class="top" data-testid="top-artists">
            {stats.topArtists.map((a) => (
              <li>
                {a.artistId ? <a href={withAccount(`/artists/${encodeURIComponent(a.artistId)}`, ctx)}>{a.artistName}</a> : a.artistName}
                <span class="muted"> · {playCount(a.plays)}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <h2>Plays ({count(plays.total)})</h2>
      <table class="tracks" data-testid="plays-table">
        <thead>
          <tr>
            <th>Played</th>
            <th>Title</th>
            <th>Album</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {plays.items.map((p) => (
            <tr data-testid="play-row" data-played-at={p.playedAt}>
              <td class="played" data-testid="play-time">
                {dateTime(p.playedAt)}
              </td>
              <td>
                <div class="with-cover">
                  <Cover url={p.imageUrl} size="s" />
                  <div>
                    {p.trackId ? (
                      <a class="track-name" href={trackHref(p.trackId, ctx)}>
                        {p.trackName ?? 'Unknown'}
                      </a>
                    ) : (
                      <span class="track-name">{p.trackName ?? 'Unknown'}</span>
                    )}
                    {p.isShort ? <span class="badge">short</span> : null}
                    <br />
                    <span class="muted">{p.artistId ? <a href={artistHref(p.artistId, ctx)}>{p.artistName}</a> : (p.artistName ?? '')}</span>
                  </div>
                </div>
              </td>
              <td class="secondary">{p.albumId ? <a href={albumHref(p.albumId, ctx)}>{p.albumName}</a> : (p.albumName ?? '')}</td>
              <td class="hide-phone muted">{p.source.replace('_', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="pager">
        {form.cursor ? <a href={withAccount('/history', ctx, keep)}>« Newest</a> : <span />}
        {plays.nextCursor ? (
          <a href={withAccount('/history', ctx, { ...keep, cursor: plays.nextCursor })} rel="next" data-testid="next-page">
            Older plays »
          </a>
        ) : null}
      </div>
    </Layout>
  );
};
