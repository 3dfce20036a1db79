import type { FC } from 'hono/jsx';
import type { CollectionItem, CollectionName, EpisodeItem, SavedAlbumItem, ShowItem, AudiobookItem } from '../../library/collections.js';
import type { Page } from '../../library/cursor.js';
import { Cover as SmallCover } from './cover.js';
import { count, day } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';

/** The parts of the library, each a page of its own (the sub-navigation under "Library"). */
const parts: { href: string; label: string }[] = [
  { href: '/library', label: 'Saved tracks' },
  { href: '/library/albums', label: 'Albums' },
  { href: '/library/artists', label: 'Artists' },
  { href: '/library/podcasts', label: 'Podcasts' },
  { href: '/library/audiobooks', label: 'Audiobooks' },
];

export const LibraryTabs: FC<{ ctx: PageContext; current: string }> = ({ ctx, current }) => (
  <nav aria-label="Library" class="pager" data-testid="library-tabs">
    {parts.map((p) =>
      p.href === current ? (
        <strong>{p.label}</strong>
      ) : (
        <a href={withAccount(p.href, ctx)} data-testid={`library-tab-${p.label.toLowerCase().replace(/ /g, '-')}`}>
          {p.label}
        </a>
      ),
    )}
  </nav>
);

/** Which collection a page shows, its path and its title. */
export const collectionPages: Record<'albums' | 'artists' | 'podcasts' | 'audiobooks', { collection: CollectionName; title: string }> = {
  albums: { collection: 'saved-albums', title: 'Saved albums' },
  artists: { collection: 'followed-artists', title: 'Followed artists' },
  podcasts: { collection: 'shows', title: 'Podcasts' },
  audiobooks: { collection: 'audiobooks', title: 'Audiobooks' },
};

const Cover: FC<{ url: string | null; alt: string }> = ({ url, alt }) =>
  url ? <img src={url} alt={alt} width={160} height={160} loading="lazy" class="collection-cover" /> : null;

function AlbumCard({ item, ctx }: { item: SavedAlbumItem; ctx: PageContext }) {
  return (
    <li class="card" data-testid="collection-item" data-id={item.id}>
      <a href={withAccount(`/albums/${encodeURIComponent(item.id)}`, ctx)}>
        <Cover url={item.imageUrl} alt="" />
        <strong>{item.name}</strong>
      </a>
      <div class="muted">{item.artists.map((a) => a.name).join(', ')}</div>
      <div class="muted">
        {item.releaseDate?.slice(0, 4) ?? ''} · {count(item.tracks.length)} tracks
      </div>
    </li>
  );
}

function ShowCard({ item, episodes }: { item: ShowItem; episodes: EpisodeItem[] }) {
  const saved = [...item.savedEpisodes, ...episodes.filter((e) => e.showId === item.id && !item.savedEpisodes.some((s) => s.id === e.id))];
  return (
    <li class="card with-cover" data-testid="collection-item" data-id={item.id}>
      <SmallCover url={item.imageUrl} size="m" />
      <div>
        <strong>{item.name}</strong>
        <div class="muted">{item.publisher ?? ''}</div>
        {saved.length > 0 ? (
          <ul>
            {saved.map((e) => (
              <li data-testid="saved-episode">{e.name}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

function ListItem({ item }: { item: CollectionItem }) {
  const book = 'authors' in item ? (item as AudiobookItem) : null;
  return (
    <li class="card with-cover" data-testid="collection-item" data-id={item.id}>
      <SmallCover url={item.imageUrl} size="m" />
      <div>
        <strong>{item.name}</strong>
        {book ? <div class="muted">{book.authors.join(', ')}</div> : null}
        <div class="muted">{item.removedAt ? `removed ${day(item.removedAt)}` : `since ${day(item.addedAt)}`}</div>
      </div>
    </li>
  );
}

const exportLabels: Record<CollectionName, string> = {
  'saved-albums': 'albums',
  'followed-artists': 'artists',
  shows: 'shows',
  episodes: 'saved episodes',
  audiobooks: 'audiobooks',
};

/** "Export CSV" for the page's collection (the podcasts page: its shows and its saved episodes), keeping the page's filters. */
function ExportLinks({ ctx, collection, filter, filtered }: { ctx: PageContext; collection: CollectionName; filter: { q?: string; removed?: string }; filtered: boolean }) {
  const names: CollectionName[] = collection === 'shows' ? ['shows', 'episodes'] : [collection];
  const params = { q: filter.q, removed: filter.removed === 'false' ? undefined : filter.removed };
  return (
    <>
      {names.map((name, i) => (
        <>
          {i > 0 ? ' · ' : ''}
          <a href={withAccount(`/api/export/${name}.csv`, ctx, params)} data-testid={`export-${name}`}>
            Export {filtered ? 'these ' : ''}
            {exportLabels[name]} (CSV)
          </a>
        </>
      ))}
    </>
  );
}

/** `/library/albums` (a grid of covers), `/library/artists`, `/library/podcasts` (shows with their saved episodes), `/library/audiobooks`. */
export const CollectionPage: FC<{
  ctx: PageContext;
  path: string;
  title: string;
  collection: CollectionName;
  result: Page<CollectionItem>;
  episodes?: Page<CollectionItem>;
  /** The page's filters, which its export links keep. */
  filter?: { q?: string; removed?: string };
}> = ({ ctx, path, title, collection, result, episodes, filter = {} }) => {
  const loose = (episodes?.items ?? []) as EpisodeItem[];
  const showIds = new Set(result.items.map((s) => s.id));
  const unsavedShowEpisodes = loose.filter((e) => !e.showId || !showIds.has(e.showId));
  return (
    <Layout title={title} ctx={ctx} active="library">
      <h1>{title}</h1>
      <LibraryTabs ctx={ctx} current={path} />
      <p class="muted" data-testid="collection-total">
        {count(result.total)} in your library ·{' '}
        <ExportLinks ctx={ctx} collection={collection} filter={filter} filtered={Boolean(filter.q) || (filter.removed ?? 'false') !== 'false'} />
      </p>
      {result.items.length === 0 ? (
        <p class="card" data-testid="collection-empty">
          No {title.toLowerCase()} in your library yet: the sync stores them as it reaches them, and the incremental runs keep them up to date.
        </p>
      ) : null}
      <ul class={collection === 'saved-albums' || collection === 'followed-artists' ? 'collection-grid' : 'plain-list'} data-testid="collection-list">
        {result.items.map((item) => {
          if (collection === 'saved-albums') return <AlbumCard item={item as SavedAlbumItem} ctx={ctx} />;
          if (collection === 'followed-artists') {
            return (
              <li class="card" data-testid="collection-item" data-id={item.id}>
                <a href={withAccount(`/artists/${encodeURIComponent(item.id)}`, ctx)}>
                  <Cover url={item.imageUrl} alt="" />
                  <strong>{item.name}</strong>
                </a>
              </li>
            );
          }
          if (collection === 'shows') return <ShowCard item={item as ShowItem} episodes={loose} />;
          return <ListItem item={item} />;
        })}
      </ul>
      {collection === 'shows' && unsavedShowEpisodes.length > 0 ? (
        <>
          <h2>Saved episodes of other shows</h2>
          <ul class="plain-list">
            {unsavedShowEpisodes.map((e) => (
              <li class="card" data-testid="saved-episode">
                <strong>{e.name}</strong>
                <div class="muted">{e.showName ?? ''}</div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="pager">
        {result.nextCursor ? (
          <a href={withAccount(path, ctx, { cursor: result.nextCursor })} rel="next" data-testid="next-page">
            Next page »
          </a>
        ) : (
          <span />
        )}
      </div>
    </Layout>
  );
};
