import type { FC } from 'hono/jsx';
import type { EntityListening, ListeningStats, Streak, TopAlbum } from '../../library/listening-stats.js';
import { BarChart, Heatmap, monthName } from './charts.js';
import { count, playCount } from './format.js';
import { type PageContext, withAccount } from './layout.js';
import { artistHref, trackHref } from './links.js';

/** Pieces of the listening stats, each placeable on any page: /history, /year/:year, artist and album pages. */

const days = (n: number) => `${count(n)} ${n === 1 ? 'day' : 'days'}`;
const streakText = (s: Streak) => (s.from === s.to ? `${days(s.days)} (${s.from})` : `${days(s.days)} (${s.from} to ${s.to})`);
const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`);

export const AlbumLink: FC<{ ctx: PageContext; id: string | null; name: string | null }> = ({ ctx, id, name }) =>
  id ? <a href={withAccount(`/albums/${encodeURIComponent(id)}`, ctx)}>{name ?? 'Unknown album'}</a> : <>{name ?? 'Unknown album'}</>;

export const TopAlbumsList: FC<{ ctx: PageContext; albums: TopAlbum[]; testid?: string; scope?: string }> = ({ ctx, albums, testid = 'top-albums', scope = 'in this range' }) =>
  albums.length === 0 ? (
    <p class="muted">No album plays {scope}.</p>
  ) : (
    <ol class="top" data-testid={testid}>
      {albums.map((a) => (
        <li>
          <AlbumLink ctx={ctx} id={a.albumId} name={a.albumName} /> <span class="muted">{a.artistName ?? ''}</span>
          <span class="muted"> · {playCount(a.plays)}</span>
        </li>
      ))}
    </ol>
  );

export interface TopListsProps {
  ctx: PageContext;
  tracks: { trackId: string | null; trackName: string | null; artistName: string | null; plays: number }[];
  artists: { artistId: string | null; artistName: string | null; plays: number }[];
  albums: TopAlbum[];
  /** The lists' test ids: `${prefix}top-tracks` and so on ('' on /history, 'year-' on the year page). */
  prefix?: string;
  /** What an empty list says, e.g. "in this range". */
  scope: string;
}

/** Top tracks, artists and albums side by side (stacked on a phone), every name a link to its page. /history and /year/:year. */
export const TopLists: FC<TopListsProps> = ({ ctx, tracks, artists, albums, prefix = '', scope }) => (
  <div class="two three">
    <section class="card" aria-label="Top tracks">
      <h2>Top tracks</h2>
      {tracks.length === 0 ? (
        <p class="muted">No plays {scope}.</p>
      ) : (
        <ol class="top" data-testid={`${prefix}top-tracks`}>
          {tracks.map((t) => (
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
      )}
    </section>
    <section class="card" aria-label="Top artists">
      <h2>Top artists</h2>
      {artists.length === 0 ? (
        <p class="muted">No plays {scope}.</p>
      ) : (
        <ol class="top" data-testid={`${prefix}top-artists`}>
          {artists.map((a) => (
            <li>
              {a.artistId ? <a href={artistHref(a.artistId, ctx)}>{a.artistName ?? 'Unknown artist'}</a> : (a.artistName ?? 'Unknown artist')}
              <span class="muted"> · {playCount(a.plays)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
    <section class="card" aria-label="Top albums">
      <h2>Top albums</h2>
      <TopAlbumsList ctx={ctx} albums={albums} testid={`${prefix}top-albums`} scope={scope} />
    </section>
  </div>
);

/** Streaks and the never-played share, as figures. */
export const HabitFigures: FC<{ stats: ListeningStats }> = ({ stats }) => (
  <div class="counts" data-testid="habit-figures">
    <div>
      <span class="label">Longest streak</span>
      <span class="count" data-testid="longest-streak">
        {stats.streaks.longest ? streakText(stats.streaks.longest) : 'none yet'}
      </span>
    </div>
    <div>
      <span class="label">Latest streak</span>
      <span class="count" data-testid="latest-streak">
        {stats.streaks.latest ? streakText(stats.streaks.latest) : 'none yet'}
      </span>
    </div>
    <div>
      <span class="label">Saved tracks never played</span>
      <span class="count" data-testid="never-played">
        {count(stats.library.neverPlayed)} of {count(stats.library.saved)} ({percent(stats.library.neverPlayed, stats.library.saved)})
      </span>
    </div>
  </div>
);

export const NewArtistsChart: FC<{ stats: ListeningStats }> = ({ stats }) => (
  <BarChart
    bars={stats.newArtistsByMonth.map((m) => ({ name: monthName(m.month), value: m.artists, data: { 'data-month': m.month } }))}
    ticks={stats.newArtistsByMonth.length > 16 ? yearTicks(stats.newArtistsByMonth.map((m) => m.month)) : undefined}
    unit="artists"
    label="Artists heard for the first time, per month"
    testid="new-artists-chart"
    columns={['Month', 'New artists']}
  />
);

/** A label per year (or per month when the months are few). */
function yearTicks(months: string[]): { index: number; label: string }[] {
  if (months.length <= 36) return months.map((m, index) => ({ index, label: monthName(m) })).filter((_, i) => i % 3 === 0);
  return months.map((m, index) => ({ index, label: m.slice(0, 4) })).filter((t, i) => i === 0 || months[i - 1]!.slice(0, 4) !== months[i]!.slice(0, 4));
}

export const ListeningHeatmap: FC<{ stats: ListeningStats }> = ({ stats }) => <Heatmap cells={stats.heatmap} zone="UTC" testid="heatmap" />;

/** Your plays of one artist or album: figures and plays per year. For the artist and album pages. */
export const EntityListeningCard: FC<{ listening: EntityListening; what: 'artist' | 'album' }> = ({ listening, what }) => (
  <section class="card" aria-label="Your listening" data-testid="entity-listening">
    <h2>Your listening</h2>
    {listening.plays === 0 ? (
      <p class="muted">No plays of this {what} yet (plays under 30 s are left out).</p>
    ) : (
      <>
        <div class="counts">
          <div>
            <span class="label">Plays</span>
            <span class="count" data-testid="listening-plays">
              {count(listening.plays)}
            </span>
          </div>
          <div>
            <span class="label">Minutes</span>
            <span class="count">{count(Math.round(listening.minutes))}</span>
          </div>
          <div>
            <span class="label">First played</span>
            <span class="count" data-testid="entity-first">
              {listening.firstDay}
            </span>
          </div>
          <div>
            <span class="label">Last played</span>
            <span class="count">{listening.lastDay}</span>
          </div>
        </div>
        {listening.byYear.length > 1 ? (
          <BarChart
            bars={listening.byYear.map((y) => ({ name: String(y.year), value: y.plays, more: [Math.round(y.minutes)] }))}
            unit="plays"
            label={`Plays of this ${what} per year`}
            testid="entity-years-chart"
            columns={['Year', 'Plays', 'Minutes']}
          />
        ) : null}
      </>
    )}
  </section>
);
