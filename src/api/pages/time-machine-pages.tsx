import type { FC } from 'hono/jsx';
import type { LibraryChange, VersionDiff, VersionPage, VersionSummary } from '../../library/time-machine.js';
import type { RestorePlan } from '../../versions/restore-plan.js';
import { count, dateTime } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';
import { RestoreForm } from './restore-pages.js';

/** The time machine's pages: a playlist's history (timeline, diff, a version as it was, the restore plan) and the change log. */

const historyHref = (ctx: PageContext, id: string, query: Record<string, string> = {}) => withAccount(`/playlists/${encodeURIComponent(id)}/history`, ctx, query);

/** What the diff names an entry by: its title and artists as the versions stored them, else its uri. */
export type EntryNames = Map<string, { name: string | null; artists: string | null }>;

const EntryName: FC<{ uri: string | null; names: EntryNames }> = ({ uri, names }) => {
  if (uri === null) return <span class="muted">an unavailable entry</span>;
  const known = names.get(uri);
  if (!known?.name) return <code>{uri}</code>;
  return (
    <>
      {known.name}
      {known.artists ? <span class="muted"> {known.artists}</span> : null}
    </>
  );
};

const DiffView: FC<{ diff: VersionDiff; names: EntryNames }> = ({ diff, names }) => (
  <section class="card" data-testid="diff">
    <h2>
      Version {diff.from} → {diff.to}
    </h2>
    <p>
      <span class="badge">+{count(diff.added.length)} added</span> <span class="badge removed">−{count(diff.removed.length)} removed</span>{' '}
      <span class="badge">{count(diff.moved.length)} moved</span>
    </p>
    {Object.entries(diff.details).map(([key, change]) => (
      <p class="muted">
        {key}: {String(change.from ?? '—')} → {String(change.to ?? '—')}
      </p>
    ))}
    {diff.added.length + diff.removed.length + diff.moved.length === 0 ? <p class="muted">The same entries in the same order.</p> : null}
    <ul class="changes">
      {diff.added.slice(0, 100).map((a) => (
        <li data-testid="diff-added">
          <span class="badge">+ #{a.position + 1}</span> <EntryName uri={a.uri} names={names} />
        </li>
      ))}
      {diff.removed.slice(0, 100).map((r) => (
        <li data-testid="diff-removed">
          <span class="badge removed">− #{r.position + 1}</span> <EntryName uri={r.uri} names={names} />
        </li>
      ))}
      {diff.moved.slice(0, 100).map((m) => (
        <li data-testid="diff-moved">
          <span class="badge">
            ↕ #{m.from + 1} → #{m.to + 1}
          </span>{' '}
          <EntryName uri={m.uri} names={names} />
        </li>
      ))}
    </ul>
  </section>
);

const PlanView: FC<{ ctx: PageContext; plan: RestorePlan; command: string; playlistId: string; version: number }> = ({ ctx, plan, command, playlistId, version }) => (
  <section class="card" data-testid="restore-plan">
    <h2>Restore this version: the plan</h2>
    <p>
      Action: <strong>{plan.action}</strong> · {count(plan.add.length)} to add · {count(plan.remove.length)} to remove · {count(plan.move.length)} moved · about {count(plan.calls)}{' '}
      Spotify calls
    </p>
    {plan.notRestorable.length > 0 ? (
      <ul class="changes">
        {plan.notRestorable.map((n) => (
          <li>
            not restorable: {n.uri ?? '(unavailable entry)'}: {n.reason}
          </li>
        ))}
      </ul>
    ) : null}
    {plan.action === 'none' ? null : <RestoreForm ctx={ctx} target={{ kind: 'playlist', playlistId, version }} />}
    <p class="muted">
      Or run it with <code>{command}</code> or <code>POST /api/restores</code>; it needs the write scopes, granted at <a href="/auth/login?scopes=restore">log in for restores</a>.
    </p>
  </section>
);

export const PlaylistHistoryPage: FC<{
  ctx: PageContext;
  playlistId: string;
  versions: VersionSummary[];
  diff: VersionDiff | null;
  /** The titles of the diff's entries, by uri. */
  diffNames?: EntryNames;
  version: VersionPage | null;
  plan: RestorePlan | null;
}> = ({ ctx, playlistId, versions, diff, diffNames = new Map(), version, plan }) => {
  const name = versions[0]?.name ?? playlistId;
  const options = versions.map((v) => String(v.version));
  return (
    <Layout title={`${name}: history`} ctx={ctx} active="playlists">
      <p class="muted">
        <a href={withAccount(`/playlists/${encodeURIComponent(playlistId)}`, ctx)}>Playlist</a> · history
      </p>
      <h1 data-testid="entity-name">{name}</h1>
      {versions.length === 0 ? <p class="card">No versions recorded yet: the next sync records the first.</p> : null}
      <form method="get" class="filters" action={`/playlists/${encodeURIComponent(playlistId)}/history`}>
        {ctx.accounts.length > 1 && ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
        <label>
          Compare version{' '}
          <select name="from">
            {options.map((o) => (
              <option value={o} selected={diff ? String(diff.from) === o : o === options[1]}>
                {o}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          with{' '}
          <select name="to">
            {options.map((o) => (
              <option value={o} selected={diff ? String(diff.to) === o : o === options[0]}>
                {o}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">Compare</button>
      </form>
      {diff ? <DiffView diff={diff} names={diffNames} /> : null}
      <ol class="timeline" data-testid="timeline">
        {versions.map((v) => (
          <li data-testid="version" data-version={v.version}>
            <a href={historyHref(ctx, playlistId, { version: String(v.version) })}>
              <strong>Version {v.version}</strong>
            </a>{' '}
            <span class="muted">{dateTime(v.observedAt)}</span>{' '}
            {v.event === 'deleted' ? (
              <span class="badge removed">deleted</span>
            ) : (
              <span>
                {v.name} · {count(v.totalItems)} items · +{v.added} −{v.removed} ↕{v.moved}
              </span>
            )}
          </li>
        ))}
      </ol>
      {version ? (
        <section data-testid="version-entries">
          <h2>
            As it was at version {version.version} ({dateTime(version.observedAt)})
          </h2>
          <p class="muted">
            {version.name}
            {version.description ? ` · ${version.description}` : ''} · {count(version.total)} entries
          </p>
          {plan ? (
            <PlanView
              ctx={ctx}
              plan={plan}
              playlistId={playlistId}
              version={version.version}
              command={`npm run cli -- restore playlist ${playlistId} --version ${version.version}`}
            />
          ) : null}
          <ol class="entries">
            {version.entries.map((e) => (
              <li value={e.position + 1}>
                {e.name ?? e.uri ?? '(unavailable)'} <span class="muted">{e.artists ?? ''}</span>
              </li>
            ))}
          </ol>
          {version.nextCursor ? <p class="muted">The first {count(version.entries.length)} entries are shown; the API pages through all of them.</p> : null}
        </section>
      ) : null}
    </Layout>
  );
};

export const ChangesPage: FC<{ ctx: PageContext; changes: LibraryChange[]; nextCursor: string | null; filters: Record<string, string> }> = ({
  ctx,
  changes,
  nextCursor,
  filters,
}) => (
  <Layout title="Library changes" ctx={ctx} active="library">
    <h1>Library changes</h1>
    <form method="get" class="filters" action="/restores/saved" data-testid="restore-saved-form">
      {ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
      <label>
        Save again what was removed since <input type="date" name="since" required />
      </label>{' '}
      <button type="submit">Show the plan</button>
    </form>
    <form method="get" class="filters" action="/library/changes">
      {ctx.accounts.length > 1 && ctx.account ? <input type="hidden" name="accountId" value={ctx.account.accountId} /> : null}
      <label>
        What{' '}
        <select name="kind">
          {['', 'track', 'album', 'artist', 'show', 'episode', 'audiobook', 'playlist'].map((k) => (
            <option value={k} selected={filters.kind === k}>
              {k || 'everything'}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Change{' '}
        <select name="change">
          {['', 'added', 'removed', 'edited', 'deleted'].map((k) => (
            <option value={k} selected={filters.change === k}>
              {k || 'any'}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        From <input type="date" name="from" value={filters.from ?? ''} />
      </label>{' '}
      <label>
        To <input type="date" name="to" value={filters.to ?? ''} />
      </label>{' '}
      <button type="submit">Filter</button>
    </form>
    {changes.length === 0 ? <p class="card">No changes recorded for these filters.</p> : null}
    <ul class="changes" data-testid="changes">
      {changes.map((ch) => (
        <li data-testid="change">
          <span class="muted">{dateTime(ch.at)}</span> <span class={`badge${ch.change === 'removed' || ch.change === 'deleted' ? ' removed' : ''}`}>{ch.change}</span> {ch.kind}{' '}
          {ch.kind === 'playlist' ? <a href={historyHref(ctx, ch.itemId)}>{ch.name ?? ch.itemId}</a> : (ch.name ?? ch.uri)}
        </li>
      ))}
    </ul>
    {nextCursor ? (
      <div class="pager">
        <span />
        <a href={withAccount('/library/changes', ctx, { ...filters, cursor: nextCursor })} rel="next">
          Older changes »
        </a>
      </div>
    ) : null}
  </Layout>
);
