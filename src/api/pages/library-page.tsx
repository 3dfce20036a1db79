import type { FC } from 'hono/jsx';
import type { SavedTrack, SavedTracksQuery } from '../../library/saved-tracks.js';
import { count } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { TrackTable } from './track-table.js';
import { LibraryTabs } from './collection-pages.js';

export interface LibraryPageProps {
  ctx: PageContext;
  /** The query as the person typed it, to fill the form again. */
  form: Record<string, string | undefined>;
  query: SavedTracksQuery;
  result: { items: SavedTrack[]; nextCursor: string | null; total: number; totalExact: boolean };
  playlists: { id: string; name: string }[];
}

const Select: FC<{ name: string; label: string; value: string | undefined; options: [string, string][] }> = ({ name, label, value, options }) => (
  <label>
    {label}
    <select name={name} data-testid={`filter-${name}`}>
      {options.map(([v, text]) => (
        <option value={v} selected={(value ?? '') === v}>
          {text}
        </option>
      ))}
    </select>
  </label>
);

export const LibraryPage: FC<LibraryPageProps> = ({ ctx, form, query, result, playlists }) => {
  const filtersWithoutCursor = Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'cursor' && k !== 'accountId'));
  return (
    <Layout title="Library" ctx={ctx} active="library">
      <h1>Saved tracks</h1>
      <LibraryTabs ctx={ctx} current="/library" />
      <form class="filters card" method="get" action="/library" role="search">
        {ctx.accounts.length > 1 && ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
        <label class="wide">
          Search track, artist or album
          <input type="search" name="q" value={form.q ?? ''} placeholder="e.g. beyonce" data-testid="search-input" maxlength={200} />
        </label>
        <label>
          Added from
          <input type="date" name="addedFrom" value={form.addedFrom ?? ''} />
        </label>
        <label>
          Added to
          <input type="date" name="addedTo" value={form.addedTo ?? ''} />
        </label>
        <label>
          Released from
          <input type="number" name="releasedFrom" min={1000} max={9999} value={form.releasedFrom ?? ''} placeholder="year" />
        </label>
        <label>
          Released to
          <input type="number" name="releasedTo" min={1000} max={9999} value={form.releasedTo ?? ''} placeholder="year" />
        </label>
        <Select
          name="albumType"
          label="Album type"
          value={form.albumType}
          options={[
            ['', 'Any'],
            ['album', 'Album'],
            ['single', 'Single'],
            ['compilation', 'Compilation'],
          ]}
        />
        <Select
          name="explicit"
          label="Explicit"
          value={form.explicit}
          options={[
            ['', 'Any'],
            ['true', 'Explicit only'],
            ['false', 'Clean only'],
          ]}
        />
        <Select name="playlistId" label="In playlist" value={form.playlistId} options={[['', 'Any'], ...playlists.map((p): [string, string] => [p.id, p.name])]} />
        <Select
          name="removed"
          label="Removed from library"
          value={form.removed}
          options={[
            ['', 'In my library'],
            ['true', 'Removed only'],
            ['any', 'Both'],
          ]}
        />
        <Select
          name="sort"
          label="Sort by"
          value={form.sort}
          options={[
            ['', 'Date added'],
            ['name', 'Title'],
            ['artist', 'Artist'],
            ['released', 'Release date'],
            ['duration', 'Duration'],
          ]}
        />
        <Select
          name="order"
          label="Order"
          value={form.order}
          options={[
            ['', 'Default'],
            ['asc', 'Ascending'],
            ['desc', 'Descending'],
          ]}
        />
        <div class="actions">
          <button type="submit" data-testid="search-submit">
            Show
          </button>
          <a href={withAccount('/library', ctx)}>Clear</a>
        </div>
      </form>
      <p class="muted" data-testid="result-count" data-total={String(result.total)} data-total-exact={String(result.totalExact)}>
        {count(result.total)}
        {result.totalExact ? '' : '+'} {result.total === 1 && result.totalExact ? 'track' : 'tracks'}
        {query.q ? ` matching “${query.q}”` : ''} ·{' '}
        <a href={withAccount('/api/export/saved.csv', ctx)} data-testid="export-saved">
          Export saved tracks (CSV)
        </a>{' '}
        · <a href={withAccount('/api/export/backup.json', ctx)}>Backup (JSON)</a>
      </p>
      {result.items.length === 0 ? (
        <p class="card" data-testid="empty">
          Nothing here{query.q || Object.keys(filtersWithoutCursor).length ? ' for these filters' : ' yet: saved tracks appear as the first sync stores them'}.
        </p>
      ) : (
        <TrackTable ctx={ctx} rows={result.items.map((t) => ({ track: t, addedAt: t.addedAt, removedAt: t.removedAt }))} />
      )}
      <div class="pager">
        {form.cursor ? <a href={withAccount('/library', ctx, filtersWithoutCursor)}>« First page</a> : <span />}
        {result.nextCursor ? (
          <a href={withAccount('/library', ctx, { ...filtersWithoutCursor, cursor: result.nextCursor })} data-testid="next-page" rel="next">
            Next page »
          </a>
        ) : null}
      </div>
    </Layout>
  );
};
