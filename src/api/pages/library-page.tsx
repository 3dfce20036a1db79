import type { FC } from 'hono/jsx';
import { defaultOrder, type SavedTrack, type SavedTrackSort, type SavedTracksQuery } from '../../library/saved-tracks.js';
import { count } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { type SortableHeader, TrackTable } from './track-table.js';
import { LibraryTabs } from './collection-pages.js';

/** The cursors of the pages before this one, oldest first (`~` for the first page), kept in the URL so that paging goes back too. */
const firstPage = '~';
const trailOf = (form: Record<string, string | undefined>): string[] => (form.trail ? form.trail.split('.') : []);

/** The filters a search was made with, without its place in the pages. */
const filtersOf = (form: Record<string, string | undefined>) => Object.fromEntries(Object.entries(form).filter(([k]) => k !== 'cursor' && k !== 'accountId' && k !== 'trail'));

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

/** The form's choices, in order: the query parameter, its label, and its options (value, text; '' is the default). */
const selectFilters: { name: string; label: string; options: [string, string][] | 'playlists' }[] = [
  {
    name: 'albumType',
    label: 'Album type',
    options: [
      ['', 'Any'],
      ['album', 'Album'],
      ['single', 'Single'],
      ['compilation', 'Compilation'],
    ],
  },
  {
    name: 'explicit',
    label: 'Explicit',
    options: [
      ['', 'Any'],
      ['true', 'Explicit only'],
      ['false', 'Clean only'],
    ],
  },
  { name: 'playlistId', label: 'In playlist', options: 'playlists' },
  {
    name: 'removed',
    label: 'Removed from library',
    options: [
      ['', 'In my library'],
      ['true', 'Removed only'],
      ['any', 'Both'],
    ],
  },
  {
    name: 'sort',
    label: 'Sort by',
    options: [
      ['', 'Date added'],
      ['name', 'Title'],
      ['artist', 'Artist'],
      ['released', 'Release date'],
      ['duration', 'Duration'],
    ],
  },
  {
    name: 'order',
    label: 'Order',
    options: [
      ['', 'Default'],
      ['asc', 'Ascending'],
      ['desc', 'Descending'],
    ],
  },
];

const FilterSelects: FC<{ form: Record<string, string | undefined>; playlists: { id: string; name: string }[] }> = ({ form, playlists }) => (
  <>
    {selectFilters.map((f) => (
      <Select
        name={f.name}
        label={f.label}
        value={form[f.name]}
        options={f.options === 'playlists' ? [['', 'Any'], ...playlists.map((p): [string, string] => [p.id, p.name])] : f.options}
      />
    ))}
  </>
);

export const LibraryPage: FC<LibraryPageProps> = ({ ctx, form, query, result, playlists }) => {
  const filtersWithoutCursor = filtersOf(form);
  const trail = trailOf(form);
  const pageNumber = trail.length + 1;
  const limit = query.limit;
  const firstShown = (pageNumber - 1) * limit + 1;
  const pages = result.totalExact ? Math.max(1, Math.ceil(result.total / limit)) : null;
  const filtersOn = Object.keys(filtersWithoutCursor).some((k) => k !== 'q' && k !== 'sort' && k !== 'order');
  // The search's example: an artist this library holds, so that trying it finds something.
  const example = result.items[0]?.artists[0]?.name;
  const sortBy = (key: SavedTrackSort): SortableHeader => {
    const shown = query.sort === key ? (query.order ?? defaultOrder(key)) : undefined;
    const next = shown === undefined ? defaultOrder(key) : shown === 'asc' ? 'desc' : 'asc';
    return {
      href: withAccount('/library', ctx, { ...filtersWithoutCursor, sort: key, order: next }),
      current: shown === 'asc' ? 'ascending' : shown === 'desc' ? 'descending' : undefined,
    };
  };
  const exportParams = Object.fromEntries(Object.entries(filtersWithoutCursor).filter(([k]) => k !== 'sort' && k !== 'order'));
  const filtered = Object.keys(exportParams).length > 0;
  return (
    <Layout title="Library" ctx={ctx} active="library">
      <h1>Saved tracks</h1>
      <LibraryTabs ctx={ctx} current="/library" />
      <form class="filters card" method="get" action="/library" role="search">
        {ctx.accounts.length > 1 && ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
        <label class="wide">
          Search track, artist or album
          <input
            type="search"
            name="q"
            value={form.q ?? ''}
            placeholder={example ? `e.g. ${example}` : 'a title, an artist or an album'}
            data-testid="search-input"
            maxlength={200}
          />
        </label>
        {/* On a phone the filters fold away behind this switch (no script: a checkbox and its label); on a desktop they always show. */}
        <input type="checkbox" id="more-filters" class="filters-switch" checked={filtersOn} />
        <label for="more-filters" class="filters-label wide" data-testid="filters-toggle">
          Filters and sort{filtersOn ? ' (some set)' : ''}
        </label>
        <div class="more">
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
          <FilterSelects form={form} playlists={playlists} />
        </div>
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
        {query.q ? ` matching “${query.q}”` : ''}
        {result.items.length > 0 ? ` · showing ${count(firstShown)}–${count(firstShown + result.items.length - 1)}` : ''} ·{' '}
        <a href={withAccount('/api/export/saved.csv', ctx, exportParams)} data-testid="export-saved">
          {filtered ? 'Export these tracks (CSV)' : 'Export saved tracks (CSV)'}
        </a>{' '}
        · <a href={withAccount('/api/export/backup.json', ctx)}>Backup (JSON)</a>
      </p>
      {result.items.length === 0 ? (
        <p class="card" data-testid="empty">
          Nothing here{query.q || Object.keys(filtersWithoutCursor).length ? ' for these filters' : ' yet: saved tracks appear as the first sync stores them'}.
        </p>
      ) : (
        <TrackTable
          ctx={ctx}
          rows={result.items.map((t) => ({ track: t, addedAt: t.addedAt, removedAt: t.removedAt }))}
          sorts={{ title: sortBy('name'), date: sortBy('added'), time: sortBy('duration') }}
        />
      )}
      <nav class="pager" aria-label="Pages">
        {form.cursor ? (
          <a
            href={withAccount('/library', ctx, {
              ...filtersWithoutCursor,
              cursor: trail.at(-1) === firstPage ? undefined : trail.at(-1),
              trail: trail.slice(0, -1).join('.') || undefined,
            })}
            data-testid="previous-page"
            rel="prev"
          >
            « Previous page
          </a>
        ) : (
          <span />
        )}
        <span class="muted" data-testid="page-number">
          Page {count(pageNumber)}
          {pages !== null ? ` of ${count(pages)}` : ''}
        </span>
        {result.nextCursor ? (
          <a
            href={withAccount('/library', ctx, { ...filtersWithoutCursor, cursor: result.nextCursor, trail: [...trail, form.cursor ?? firstPage].join('.') })}
            data-testid="next-page"
            rel="next"
          >
            Next page »
          </a>
        ) : (
          <span />
        )}
      </nav>
    </Layout>
  );
};
