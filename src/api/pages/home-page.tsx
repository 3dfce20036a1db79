import type { FC } from 'hono/jsx';
import type { HistoryStats, Play } from '../../library/history.js';
import type { LibraryOverview } from '../../library/overview.js';
import type { SavedTrack } from '../../library/saved-tracks.js';
import type { AccountStatus } from '../../status/read-status.js';
import { BarChart } from './charts.js';
import { Cover } from './cover.js';
import { count, dateTime, day, playCount } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { albumHref, artistHref, trackHref } from './links.js';
import { etaText, percentText, rateLimitText, stateText } from './status-text.js';

export interface HomePageProps {
  ctx: PageContext;
  status: AccountStatus;
  overview: LibraryOverview;
  /** The last seven days, a bar per day (the history's own stats). */
  week: HistoryStats;
  recentPlays: Play[];
  recentlySaved: SavedTrack[];
  now: Date;
}

const Figure: FC<{ label: string; value: string; href: string; testid: string }> = ({ label, value, href, testid }) => (
  <a class="figure" href={href} data-testid={testid}>
    <span class="count">{value}</span>
    <span class="label">{label}</span>
  </a>
);

/** "First sync running · 41.7% done · about 2 hours · 14:02 UTC today", or while Spotify holds it back, until when: no bare dashes. */
function firstSyncText(status: AccountStatus, now: Date): string {
  const done = `${percentText(status.overallPercent)} done`;
  const limited = rateLimitText(status, now);
  if (limited) return `First sync ${done}. ${limited}`;
  const eta = etaText(status, now);
  return `First sync ${stateText(status.state)} · ${done}${eta === '—' ? '' : ` · ${eta}`}.`;
}

/** The sync in one line: its state, where it is and when it should end. */
const SyncLine: FC<{ status: AccountStatus; ctx: PageContext; now: Date }> = ({ status, ctx, now }) => (
  <p class={`banner ${status.state === 'complete' ? 'ok' : 'warn'}`} data-testid="home-sync">
    {status.state === 'complete' ? <>Library in sync.</> : <>{firstSyncText(status, now)}</>} <a href={withAccount('/sync-status', ctx)}>Sync status »</a>
  </p>
);

/** This week's listening: the history's bar chart, a bar per day with its minutes written on it and the values as a table. */
const WeekChart: FC<{ week: HistoryStats }> = ({ week }) => {
  const total = week.minutesByBucket.reduce((n, b) => n + b.minutes, 0);
  return (
    <>
      <p class="muted">
        {count(Math.round(total))} minutes from {week.from} to {week.to}
      </p>
      <BarChart
        bars={week.minutesByBucket.map((b) => ({
          name: `${weekday(b.start)} ${b.start}`,
          value: Math.round(b.minutes),
          more: [b.plays],
          data: { 'data-start': b.start, 'data-minutes': String(b.minutes) },
        }))}
        ticks={week.minutesByBucket.map((b, index) => ({ index, label: weekday(b.start) }))}
        unit="min"
        label="Minutes listened per day this week"
        testid="home-week"
        columns={['Day', 'Minutes', 'Plays']}
      />
    </>
  );
};

const weekday = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' });

/** The year to recap from the home: this one in December, the one just ended in January; none otherwise. */
export function recapYear(now: Date): number | null {
  const month = now.getUTCMonth();
  return month === 11 ? now.getUTCFullYear() : month === 0 ? now.getUTCFullYear() - 1 : null;
}

const PlayItem: FC<{ play: Play; ctx: PageContext }> = ({ play, ctx }) => (
  <li class="media" data-testid="home-play">
    <Cover url={play.imageUrl} size="s" />
    <span class="media-text">
      {play.trackId ? <a href={trackHref(play.trackId, ctx)}>{play.trackName ?? 'Unknown'}</a> : <span>{play.trackName ?? 'Unknown'}</span>}
      <span class="muted">{play.artistId ? <a href={artistHref(play.artistId, ctx)}>{play.artistName}</a> : play.artistName}</span>
      {/* On a line of its own: the end of a long line is cut, and the time must not be. */}
      <span class="muted when" data-testid="home-play-time">
        {dateTime(play.playedAt)}
      </span>
    </span>
  </li>
);

const SavedItem: FC<{ track: SavedTrack; ctx: PageContext }> = ({ track, ctx }) => (
  <li class="media" data-testid="home-saved">
    <Cover url={track.album.imageUrl} size="s" />
    <span class="media-text">
      <a href={trackHref(track.id, ctx)}>{track.name}</a>
      <span class="muted">
        {track.artists[0] ? <a href={artistHref(track.artists[0].id, ctx)}>{track.artists[0].name}</a> : null}
        {' · '}
        <a href={albumHref(track.album.id, ctx)}>{track.album.name}</a>
      </span>
      <span class="muted when" data-testid="home-saved-day">
        saved {day(track.addedAt)}
      </span>
    </span>
  </li>
);

/** `/`: the instance at a glance, and the way on to every page. */
export const HomePage: FC<HomePageProps> = ({ ctx, status, overview, week, recentPlays, recentlySaved, now }) => {
  const plays = status.playback.bySource;
  const imported = plays.extended_export + plays.account_export;
  const playsTotal = plays.poll + imported;
  const year = recapYear(now);
  return (
    <Layout title="Home" ctx={ctx} active="home">
      <h1>{status.displayName ? `${status.displayName}’s library` : 'Your library'}</h1>
      <SyncLine status={status} ctx={ctx} now={now} />
      {year !== null ? (
        <p class="banner ok" data-testid="home-year">
          Your {year} in music is ready: minutes, top tracks, artists and albums, your busiest month and day.{' '}
          <a href={withAccount(`/year/${year}`, ctx)} data-testid="home-year-link">
            See your {year} »
          </a>
        </p>
      ) : null}
      <div class="figures">
        <Figure label="saved tracks" value={count(overview.savedTracks)} href={withAccount('/library', ctx)} testid="home-saved-count" />
        <Figure label="playlists" value={count(overview.playlists)} href={withAccount('/playlists', ctx)} testid="home-playlists-count" />
        <Figure label={imported > 0 ? `plays (${count(imported)} imported)` : 'plays'} value={count(playsTotal)} href={withAccount('/history', ctx)} testid="home-plays-count" />
      </div>
      <div class="two">
        {/* This week's listening: the slot the history's charts fill in. */}
        <section class="card" aria-label="This week" data-testid="home-week-slot">
          <h2>This week’s listening</h2>
          <WeekChart week={week} />
          {week.topArtists.length > 0 ? (
            <p class="muted">
              Most played:{' '}
              {week.topArtists.slice(0, 3).map((a, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  {a.artistId ? <a href={artistHref(a.artistId, ctx)}>{a.artistName}</a> : a.artistName} ({playCount(a.plays)})
                </>
              ))}
            </p>
          ) : null}
          <p>
            <a href={withAccount('/history', ctx)}>All your history »</a>
          </p>
        </section>
        <section class="card" aria-label="Recent plays">
          <h2>Recently played</h2>
          {recentPlays.length ? (
            <ul class="media-list">
              {recentPlays.map((p) => (
                <PlayItem play={p} ctx={ctx} />
              ))}
            </ul>
          ) : (
            <p class="muted">No plays yet: playback tracking records what you play every 30 minutes, or import your earlier plays on the history page.</p>
          )}
        </section>
      </div>
      <section class="card" aria-label="Recently saved">
        <h2>Recently saved</h2>
        {recentlySaved.length ? (
          <ul class="media-list grid">
            {recentlySaved.map((t) => (
              <SavedItem track={t} ctx={ctx} />
            ))}
          </ul>
        ) : (
          <p class="muted">Nothing saved yet: tracks appear as the first sync stores them.</p>
        )}
        <p>
          <a href={withAccount('/library', ctx)}>All saved tracks »</a>
        </p>
      </section>
    </Layout>
  );
};
