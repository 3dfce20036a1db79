import type { FC } from 'hono/jsx';
import type { PlaylistItem } from '../../library/playlists.js';
import { day, duration } from './format.js';
import { Cover } from './cover.js';
import { type PageContext, withAccount } from './layout.js';
import { trackHref } from './links.js';

const kindLabels: Record<PlaylistItem['kind'], string> = { track: 'track', episode: 'episode', local: 'local file', unavailable: 'unavailable' };

/** What an entry that is no catalog track shows in the title and album cells. */
function otherEntry(item: PlaylistItem): { title: string; subtitle: string; album: string; durationMs: number | null } {
  if (item.episode) return { title: item.episode.name, subtitle: item.episode.showName ?? '', album: 'Podcast episode', durationMs: item.episode.durationMs };
  if (item.local) return { title: item.local.name ?? 'Local file', subtitle: item.local.artist ?? '', album: item.local.album ?? '', durationMs: item.local.durationMs };
  return { title: 'Unavailable on Spotify', subtitle: '', album: '', durationMs: null };
}

/** A playlist's entries in order, each marked by its kind: tracks, episodes, local files and unavailable ones. */
export const PlaylistEntryTable: FC<{ items: PlaylistItem[]; ctx: PageContext }> = ({ items, ctx }) => (
  <table class="tracks" data-testid="track-table">
    <thead>
      <tr>
        <th class="num">#</th>
        <th>Title</th>
        <th>Album</th>
        <th>Added</th>
        <th class="num">Time</th>
      </tr>
    </thead>
    <tbody>
      {items.map((item) => {
        const note = item.addedBy ? <div class="muted">by {item.addedBy}</div> : null;
        const added = (
          <td class="hide-phone">
            {day(item.addedAt)}
            {note}
          </td>
        );
        if (item.track) {
          const t = item.track;
          return (
            <tr data-testid="track-row" data-kind="track" data-track-id={t.id}>
              <td class="num hide-phone">{item.position + 1}</td>
              <td class="title">
                <div class="with-cover">
                  <Cover url={t.album.imageUrl} size="s" />
                  <div>
                    <a class="track-name" href={trackHref(t.id, ctx)} data-testid="track-name">
                      {t.name}
                    </a>
                    {t.explicit ? (
                      <span class="badge" title="Explicit">
                        E
                      </span>
                    ) : null}
                    <br />
                    <span class="muted">
                      {t.artists.map((a, i) => (
                        <>
                          {i > 0 ? ', ' : ''}
                          <a href={withAccount(`/artists/${encodeURIComponent(a.id)}`, ctx)}>{a.name}</a>
                        </>
                      ))}
                    </span>
                  </div>
                </div>
              </td>
              <td class="secondary">
                <a href={withAccount(`/albums/${encodeURIComponent(t.album.id)}`, ctx)}>{t.album.name}</a>
              </td>
              {added}
              <td class="num">{duration(t.durationMs)}</td>
            </tr>
          );
        }
        const other = otherEntry(item);
        return (
          <tr data-testid="entry-row" data-kind={item.kind}>
            <td class="num hide-phone">{item.position + 1}</td>
            <td class="title">
              <div class="with-cover">
                <Cover url={null} size="s" />
                <div>
                  <span class="track-name">{other.title}</span>
                  <span class="badge" data-testid="entry-kind">
                    {kindLabels[item.kind]}
                  </span>
                  {other.subtitle ? (
                    <>
                      <br />
                      <span class="muted">{other.subtitle}</span>
                    </>
                  ) : null}
                </div>
              </div>
            </td>
            <td class="secondary">{other.album}</td>
            {added}
            <td class="num">{duration(other.durationMs)}</td>
          </tr>
        );
      })}
    </tbody>
  </table>
);
