import type { FC } from 'hono/jsx';
import { Cover } from './cover.js';
import type { PlaylistItem, PlaylistSummary } from '../../library/playlists.js';
import { count, day } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { PlaylistEntryTable } from './playlist-entry-table.js';

const relation = (p: PlaylistSummary) => (p.owned ? 'yours' : p.collaborative ? 'collaborative' : 'followed');

const Badges: FC<{ p: PlaylistSummary }> = ({ p }) => (
  <>
    <span class="badge" data-testid="playlist-relation">
      {relation(p)}
    </span>
    {p.collaborative && p.owned ? <span class="badge">collaborative</span> : null}
    {p.removedAt ? (
      <span class="badge removed" data-testid="playlist-removed">
        deleted {day(p.removedAt)}
      </span>
    ) : null}
    {!p.itemsReadable ? <span class="badge syncing">items not readable</span> : !p.itemsSynced && !p.removedAt ? <span class="badge syncing">items syncing</span> : null}
  </>
);

export const PlaylistsPage: FC<{ ctx: PageContext; playlists: PlaylistSummary[]; removed: string; nextCursor: string | null }> = ({ ctx, playlists, removed, nextCursor }) => (
  <Layout title="Playlists" ctx={ctx} active="playlists">
    <h1>Playlists</h1>
    <p class="muted">
      {removed === 'any' ? (
        <a href={withAccount('/playlists', ctx)}>Hide playlists deleted on Spotify</a>
      ) : (
        <a href={withAccount('/playlists', ctx, { removed: 'any' })} data-testid="show-deleted">
          Also show playlists deleted on Spotify
        </a>
      )}
    </p>
    {playlists.length === 0 ? <p class="card">No playlists yet: they arrive in the last phase of the first sync.</p> : null}
    <div class="cards">
      {playlists.map((p) => (
        <div class="card with-cover" data-testid="playlist-card" data-playlist-id={p.id}>
          <Cover url={p.imageUrl} size="m" />
          <div>
            <a class="track-name" href={withAccount(`/playlists/${encodeURIComponent(p.id)}`, ctx)} data-testid="playlist-link">
              {p.name}
            </a>
            <div>
              <Badges p={p} />
            </div>
            <div class="muted">
              {count(p.totalItems)} items{p.ownerName && !p.owned ? ` · by ${p.ownerName}` : ''}
            </div>
          </div>
        </div>
      ))}
    </div>
    {nextCursor ? (
      <div class="pager">
        <span />
        <a href={withAccount('/playlists', ctx, { removed, cursor: nextCursor })} rel="next">
          More playlists »
        </a>
      </div>
    ) : null}
  </Layout>
);

export interface PlaylistPaging {
  nextCursor: string | null;
  /** Set past the first page: the cursor of the page before (undefined for the first). */
  previous?: { cursor: string | undefined };
  /** The entries stored. */
  total: number;
  /** The page size asked for, kept in the links. */
  limit?: string;
}

export const PlaylistPage: FC<{ ctx: PageContext; playlist: PlaylistSummary; items: PlaylistItem[]; paging: PlaylistPaging }> = ({ ctx, playlist: p, items, paging }) => (
  <Layout title={p.name} ctx={ctx} active="playlists">
    <div class="entity-head">
      <Cover url={p.imageUrl} size="l" />
      <div>
        <p class="muted">Playlist</p>
        <h1 data-testid="entity-name">{p.name}</h1>
        <p>
          <Badges p={p} />
          <span class="muted">
            {' '}
            · {count(p.totalItems)} items{p.ownerName ? ` · by ${p.ownerName}` : ''}
          </span>
        </p>
      </div>
    </div>
    {p.description ? <p class="muted">{p.description}</p> : null}
    {p.removedAt ? (
      <p class="banner warn" data-testid="deleted-notice">
        Deleted on Spotify (noticed {day(p.removedAt)}); these are its last known items.
      </p>
    ) : null}
    {!p.itemsReadable ? (
      <p class="banner warn" data-testid="unreadable-notice">
        Spotify does not let a development-mode app read the items of a playlist you follow but neither own nor collaborate on, so only its details are kept.
      </p>
    ) : null}
    <p class="muted">
      <a href={withAccount(`/playlists/${encodeURIComponent(p.id)}/history`, ctx)} data-testid="playlist-history-link">
        Its history: every version the sync saw, what changed, and how to restore one
      </a>
      {p.itemsReadable ? (
        <>
          {' · '}
          <a href={withAccount(`/api/export/playlists/${encodeURIComponent(p.id)}.csv`, ctx)} data-testid="export-playlist">
            Export this playlist (CSV)
          </a>
        </>
      ) : null}
    </p>
    {items.length > 0 ? <PlaylistEntryTable ctx={ctx} items={items} /> : p.itemsReadable ? <p class="card">No items stored{p.itemsSynced ? '' : ' yet'}.</p> : null}
    <PlaylistPager ctx={ctx} playlist={p} items={items} paging={paging} />
  </Layout>
);

/** Back and forth through a long playlist, with where this page is: "entries 101–200 of 1,234". */
const PlaylistPager: FC<{ ctx: PageContext; playlist: PlaylistSummary; items: PlaylistItem[]; paging: PlaylistPaging }> = ({ ctx, playlist: p, items, paging }) => {
  const href = (cursor: string | undefined) => withAccount(`/playlists/${encodeURIComponent(p.id)}`, ctx, { cursor, limit: paging.limit });
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last || (!paging.previous && !paging.nextCursor)) {
    return items.length > 0 ? (
      <p class="muted" data-testid="page-range">
        {items.length === 1 ? '1 entry' : `${count(items.length)} entries`}
      </p>
    ) : null;
  }
  return (
    <nav class="pager" aria-label="Pages">
      {paging.previous ? (
        <a href={href(paging.previous.cursor)} rel="prev" data-testid="previous-page">
          « Previous page
        </a>
      ) : (
        <span />
      )}
      <span class="muted" data-testid="page-range">
        entries {count(first.position + 1)}–{count(last.position + 1)} of {count(Math.max(paging.total, last.position + 1))}
      </span>
      {paging.nextCursor ? (
        <a href={href(paging.nextCursor)} rel="next" data-testid="next-page">
          Next page »
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
};
