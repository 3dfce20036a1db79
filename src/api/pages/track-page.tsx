import type { FC } from 'hono/jsx';
import type { TrackDetails } from '../../library/track-details.js';
import { Cover } from './cover.js';
import { count, dateTime, day, duration, playCount } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { albumHref, artistHref, playlistHref } from './links.js';

/** Plays per month as labelled rows: the month, a bar, the count written out (readable on a phone, no hover). */
const PlaysByMonth: FC<{ months: TrackDetails['plays']['byMonth'] }> = ({ months }) => {
  const max = Math.max(1, ...months.map((m) => m.plays));
  return (
    <ol class="week months" data-testid="track-plays-by-month">
      {months.map((m) => (
        <li>
          <span class="week-day">{m.month}</span>
          <meter min={0} max={max} value={m.plays} />
          <span class="week-min">{playCount(m.plays)}</span>
        </li>
      ))}
    </ol>
  );
};

/** `/tracks/:id`: a track, when it was saved, where it sits, and how it was played over time. */
export const TrackPage: FC<{ ctx: PageContext; details: TrackDetails }> = ({ ctx, details }) => {
  const { track, saved, playlists, plays } = details;
  return (
    <Layout title={track.name} ctx={ctx} active="library">
      <div class="entity-head">
        <Cover url={track.album.imageUrl} size="l" />
        <div>
          <p class="muted">Track{track.explicit ? ' · explicit' : ''}</p>
          <h1 data-testid="entity-name">{track.name}</h1>
          <p>
            {track.artists.map((a, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a href={artistHref(a.id, ctx)}>{a.name}</a>
              </>
            ))}
            {' · '}
            <a href={albumHref(track.album.id, ctx)} data-testid="track-album">
              {track.album.name}
            </a>
            {track.album.releaseDate ? <span class="muted"> · {track.album.releaseDate.slice(0, 4)}</span> : null}
          </p>
        </div>
      </div>
      <dl class="facts" data-testid="track-facts">
        <dt>Length</dt>
        <dd>{duration(track.durationMs)}</dd>
        {track.trackNumber !== null ? (
          <>
            <dt>Track</dt>
            <dd>
              {track.discNumber && track.discNumber > 1 ? `disc ${track.discNumber}, ` : ''}
              {track.trackNumber}
            </dd>
          </>
        ) : null}
        <dt>Saved</dt>
        <dd data-testid="track-saved">{saved ? (saved.removedAt ? `${day(saved.addedAt)}, removed ${day(saved.removedAt)}` : day(saved.addedAt)) : 'not in your saved tracks'}</dd>
        <dt>Plays</dt>
        <dd data-testid="track-play-count">{playCount(plays.total)}</dd>
        <dt>First played</dt>
        <dd data-testid="track-first-play">{plays.first ? dateTime(plays.first) : 'never'}</dd>
        <dt>Last played</dt>
        <dd data-testid="track-last-play">{plays.last ? dateTime(plays.last) : 'never'}</dd>
      </dl>
      <div class="two">
        <section class="card" aria-label="Plays over time">
          <h2>Plays over time</h2>
          {plays.byMonth.length ? <PlaysByMonth months={plays.byMonth} /> : <p class="muted">No plays of this track recorded yet.</p>}
          <p>
            <a href={withAccount('/history', ctx)}>Your listening history »</a>
          </p>
        </section>
        <section class="card" aria-label="In playlists">
          <h2>In {playlists.length === 1 ? '1 playlist' : `${count(playlists.length)} playlists`}</h2>
          {playlists.length ? (
            <ul class="media-list" data-testid="track-playlists">
              {playlists.map((p) => (
                <li class="media">
                  <Cover url={p.imageUrl} size="s" />
                  <span class="media-text">
                    <a href={playlistHref(p.id, ctx)}>{p.name}</a>
                    <span class="muted">
                      position {p.position + 1}
                      {p.addedAt ? ` · added ${day(p.addedAt)}` : ''}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">In none of your playlists.</p>
          )}
        </section>
      </div>
    </Layout>
  );
};
