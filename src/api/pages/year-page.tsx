import type { FC } from 'hono/jsx';
import type { YearRecap } from '../../library/year-recap.js';
import { BarChart, monthName } from './charts.js';
import { count, playCount } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { TopLists } from './listening-sections.js';

const Figure: FC<{ label: string; value: string; testid: string; note?: string }> = ({ label, value, testid, note }) => (
  <div>
    <span class="label">{label}</span>
    <span class="count" data-testid={testid}>
      {value}
    </span>
    {note ? <span class="label">{note}</span> : null}
  </div>
);

const ArtistLink: FC<{ ctx: PageContext; id: string | null; name: string | null }> = ({ ctx, id, name }) =>
  id ? <a href={withAccount(`/artists/${encodeURIComponent(id)}`, ctx)}>{name ?? 'Unknown artist'}</a> : <>{name ?? 'Unknown artist'}</>;

/** `/year/:year`: the yearly recap, one page that prints on its own (the print stylesheet drops the navigation). */
export const YearPage: FC<{ ctx: PageContext; recap: YearRecap }> = ({ ctx, recap }) => {
  const y = recap.year;
  const others = recap.years.filter((x) => x !== y);
  const previous = recap.years.filter((x) => x < y).at(-1);
  const next = recap.years.find((x) => x > y);
  return (
    <Layout title={`Your ${y}`} ctx={ctx} active="history">
      <div class="year-head">
        <h1 data-testid="year-title">Your {y} in music</h1>
        <p class="muted no-print">
          {previous !== undefined ? (
            <a href={withAccount(`/year/${previous}`, ctx)} rel="prev" data-testid="year-previous">
              « {previous}
            </a>
          ) : null}
          {previous !== undefined && next !== undefined ? ' · ' : ''}
          {next !== undefined ? (
            <a href={withAccount(`/year/${next}`, ctx)} rel="next" data-testid="year-next">
              {next} »
            </a>
          ) : null}
          {others.length === 0 && recap.plays === 0 ? 'No plays recorded in any year yet.' : ''}
        </p>
      </div>
      {recap.plays === 0 ? (
        <p class="card" data-testid="year-empty">
          No plays recorded in {y}.{' '}
          {recap.years.length > 0
            ? `Your history has plays from ${recap.years[0]} to ${recap.years.at(-1)}.`
            : 'Import your Spotify data export on the History page to see past years.'}
        </p>
      ) : (
        <>
          <section class="card" aria-label="The year in figures">
            <div class="counts year-figures">
              <Figure label="Minutes listened" value={count(Math.round(recap.minutes))} testid="year-minutes" note={`${count(Math.round(recap.minutes / 60))} hours`} />
              <Figure label="Plays" value={count(recap.plays)} testid="year-plays" />
              <Figure label="Days with music" value={`${count(recap.daysListened)}`} testid="year-days" />
              <Figure
                label="Longest streak"
                value={recap.longestStreak ? `${count(recap.longestStreak.days)} ${recap.longestStreak.days === 1 ? 'day' : 'days'}` : '—'}
                testid="year-streak"
                note={recap.longestStreak ? `${recap.longestStreak.from} to ${recap.longestStreak.to}` : undefined}
              />
              <Figure
                label="Your month"
                value={recap.topMonth ? monthName(recap.topMonth.month) : '—'}
                testid="year-top-month"
                note={recap.topMonth ? `${count(Math.round(recap.topMonth.minutes))} min` : undefined}
              />
              <Figure
                label="Your day"
                value={recap.topDay ? recap.topDay.day : '—'}
                testid="year-top-day"
                note={recap.topDay ? `${count(Math.round(recap.topDay.minutes))} min, ${playCount(recap.topDay.plays)}` : undefined}
              />
            </div>
            <p class="muted">Days and months are UTC. Plays under 30 seconds are left out, as Spotify leaves them out.</p>
          </section>
          <section class="card" aria-label="Minutes per month">
            <h2>Minutes per month</h2>
            <BarChart
              bars={recap.byMonth.map((m) => ({ name: monthName(m.month), value: Math.round(m.minutes), more: [m.plays], data: { 'data-month': m.month } }))}
              ticks={recap.byMonth.map((m, index) => ({ index, label: monthName(m.month).slice(0, 3) }))}
              unit="min"
              label={`Minutes listened per month of ${y}`}
              testid="year-months-chart"
              columns={['Month', 'Minutes', 'Plays']}
            />
          </section>
          <TopLists ctx={ctx} tracks={recap.topTracks} artists={recap.topArtists} albums={recap.topAlbums} prefix="year-" scope={`in ${y}`} />
          <div class="two">
            <section class="card" aria-label="Artists discovered">
              <h2>Artists you discovered</h2>
              <p data-testid="year-discovered">
                {recap.discovered.count === 0
                  ? `No artist was new to you in ${y}.`
                  : `${count(recap.discovered.count)} ${recap.discovered.count === 1 ? 'artist' : 'artists'} heard for the first time in ${y}${recap.discovered.count > recap.discovered.artists.length ? '; the ones you played most:' : ':'}`}
              </p>
              <ol class="top" data-testid="year-discovered-artists">
                {recap.discovered.artists.map((a) => (
                  <li>
                    <ArtistLink ctx={ctx} id={a.artistId} name={a.artistName} />
                    <span class="muted"> · {playCount(a.plays)}</span>
                  </li>
                ))}
              </ol>
              {recap.years[0] === y ? <p class="muted">Your history starts this year, so every artist in it is new here.</p> : null}
            </section>
            <section class="card" aria-label="Genres">
              <h2>Genres</h2>
              {recap.genres.length === 0 ? (
                <p class="muted" data-testid="year-no-genres">
                  Spotify gives no genres for the artists you played.
                </p>
              ) : (
                <ol class="top" data-testid="year-genres">
                  {recap.genres.map((g) => (
                    <li>
                      {g.genre}
                      <span class="muted"> · {playCount(g.plays)}</span>
                    </li>
                  ))}
                </ol>
              )}
              <p class="muted">By the plays of the artists Spotify tags with each genre.</p>
            </section>
          </div>
          <p class="muted no-print">
            <a href={withAccount('/history', ctx, { from: `${y}-01-01`, to: `${y}-12-31` })} data-testid="year-history-link">
              The history of {y}
            </a>{' '}
            · To share this page, print it or save it as a PDF: the navigation is left out.
          </p>
        </>
      )}
    </Layout>
  );
};
