import type { FC } from 'hono/jsx';
import type { HistoryStats, Play } from '../../library/history.js';
import type { ListeningStats } from '../../library/listening-stats.js';
import { BarChart, monthName, timeTicks } from './charts.js';
import { count, dateTime, day, time } from './format.js';
import { Cover } from './cover.js';
import { HabitFigures, ListeningHeatmap, NewArtistsChart, TopLists } from './listening-sections.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { albumHref, artistHref, trackHref } from './links.js';

const bucketName = (bucket: HistoryStats['bucket'], start: string) => (bucket === 'month' ? monthName(start.slice(0, 7)) : bucket === 'week' ? `week of ${start}` : start);

/** Minutes per bucket as bars with a minutes axis, recorded gaps as red marks under the axis, and the values as a table. */
const MinutesChart: FC<{ stats: HistoryStats }> = ({ stats }) => {
  const buckets = stats.minutesByBucket;
  const indexOf = (iso: string) => {
    const d = iso.slice(0, 10);
    let i = 0;
    while (i + 1 < buckets.length && buckets[i + 1]!.start <= d) i++;
    return i;
  };
  return (
    <BarChart
      bars={buckets.map((b) => ({
        name: bucketName(stats.bucket, b.start),
        value: b.minutes,
        more: [b.plays],
        data: { 'data-start': b.start, 'data-minutes': String(b.minutes), 'data-plays': String(b.plays) },
      }))}
      ticks={timeTicks(buckets.map((b) => b.start))}
      unit="min"
      label={`Minutes listened per ${stats.bucket}`}
      testid="minutes-chart"
      columns={[stats.bucket[0]!.toUpperCase() + stats.bucket.slice(1), 'Minutes', 'Plays']}
      marks={stats.gaps.map((g) => ({
        first: indexOf(g.start),
        last: indexOf(g.end),
        title: `plays between ${dateTime(g.start)} and ${time(g.end)} may be missing`,
        data: { 'data-gap-start': g.start },
      }))}
    />
  );
};

export interface HistoryPageProps {
  ctx: PageContext;
  form: Record<string, string | undefined>;
  stats: HistoryStats;
  listening: ListeningStats;
  plays: { items: Play[]; nextCursor: string | null; total: number };
  /** The first and last day with a play. */
  span: { first: string | null; last: string | null };
  /** The bars asked for; none: the ones that fit the range. */
  askedBucket?: HistoryStats['bucket'];
}

export const HistoryPage: FC<HistoryPageProps> = ({ ctx, form, stats, listening, plays, span, askedBucket }) => {
  const keep = Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'cursor' && k !== 'accountId' && k !== 'trail'));
  // The cursors of the pages before this one, oldest first (`~` for the first), kept in the URL so that paging goes back too.
  const trail = form.trail ? form.trail.split('.') : [];
  const pageNumber = trail.length + 1;
  const pageSize = Number(form.limit ?? 50) || 50;
  const pages = Math.max(1, Math.ceil(plays.total / pageSize));
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
          {span.last !== null ? (
            <>
              {' '}
              ·{' '}
              <a href={withAccount(`/year/${span.last.slice(0, 4)}`, ctx)} data-testid="year-link">
                Your {span.last.slice(0, 4)} in music
              </a>
            </>
          ) : null}
        </p>
      </section>
      <TopLists ctx={ctx} tracks={stats.topTracks} artists={stats.topArtists} albums={listening.topAlbums} scope="in this range" />
      <section class="card" aria-label="Habits">
        <h2>Streaks and the library</h2>
        <HabitFigures stats={listening} />
        <p class="muted">A streak is a run of days (UTC) with at least one play in this range.</p>
      </section>
      <section class="card" aria-label="When you listen">
        <h2>When you listen</h2>
        <ListeningHeatmap stats={listening} />
      </section>
      <section class="card" aria-label="New artists">
        <h2>Artists heard for the first time</h2>
        <NewArtistsChart stats={listening} />
      </section>
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
      <nav class="pager" aria-label="Pages">
        {form.cursor ? (
          <a
            href={withAccount('/history', ctx, { ...keep, cursor: trail.at(-1) === '~' ? undefined : trail.at(-1), trail: trail.slice(0, -1).join('.') || undefined })}
            rel="prev"
            data-testid="previous-page"
          >
            « Newer plays
          </a>
        ) : (
          <span />
        )}
        <span class="muted" data-testid="page-number">
          Page {count(pageNumber)} of {count(pages)}
        </span>
        {plays.nextCursor ? (
          <a href={withAccount('/history', ctx, { ...keep, cursor: plays.nextCursor, trail: [...trail, form.cursor ?? '~'].join('.') })} rel="next" data-testid="next-page">
            Older plays »
          </a>
        ) : (
          <span />
        )}
      </nav>
    </Layout>
  );
};
