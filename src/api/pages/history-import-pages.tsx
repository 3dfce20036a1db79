import type { FC } from 'hono/jsx';
import type { HistoryImportSummary } from '../../status/read-history-import.js';
import { UPLOAD_RETENTION_MS } from '../../history-import/upload-retention.js';
import { playCount } from './format.js';
import { Layout, type PageContext, withAccount } from './layout.js';

/**
 * The import pages (Hono JSX, no script, the site's layout and stylesheet): a plain upload form, and a
 * progress view that refreshes itself every 3 s until the import ends. Element ids and data-testid
 * attributes are stable.
 */

const numbers = new Intl.NumberFormat('en-US');
const fmt = (n: number) => numbers.format(n);

const stateLabels: Record<HistoryImportSummary['state'], string> = {
  running: 'Running',
  paused: 'Paused',
  rate_limited: 'Waiting out Spotify’s rate limit',
  needs_reauth: 'Waiting for a new Spotify login',
  failed: 'Refused',
  complete: 'Complete',
};

const phaseLabels: Record<HistoryImportSummary['phase'], string> = {
  checking: 'checking every file (nothing is stored until all of them read well)',
  plays: 'storing the plays',
  resolving: 'looking up the tracks the plays name',
  enriching: 'fetching the details of those tracks’ artists and albums',
  complete: 'done',
};

/** An import's files by name (the last part of the path in the zip or folder), the first few of them. */
function fileNames(r: HistoryImportSummary): string {
  const names = r.files.list.map((f) => f.name.split('/').at(-1) ?? f.name);
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${fmt(names.length - 3)} more`;
}

export const ImportFormPage: FC<{ ctx: PageContext; demo: boolean; error?: string; recent: HistoryImportSummary[] }> = ({ ctx, demo, error, recent }) => (
  <Layout title="Import your Spotify history" ctx={ctx} active="history">
    <h1>Import your Spotify history</h1>
    <p>
      Spotify’s API shows only your last 50 plays. Everything before is in the data export you can request in Spotify’s privacy settings: the <em>Extended streaming history</em>{' '}
      (every stream since the account began) and the <em>Account data</em> (about the last year). Upload the zip Spotify sent, or its JSON files. Plays already stored (polled, or
      imported before) are not stored twice; the export’s IP addresses are never stored.
    </p>
    <p class="muted" id="upload-retention">
      The uploaded files (with everything else the export holds: account details, payments, searches) are deleted as soon as the import has read them, or when it is refused;
      whatever an interrupted upload leaves behind is deleted after {UPLOAD_RETENTION_MS / 3_600_000} hours.
    </p>
    {error ? (
      <p class="banner error" id="import-error" data-testid="import-error">
        {error}
      </p>
    ) : null}
    <form class="card upload" method="post" action={withAccount('/history/import', ctx)} enctype="multipart/form-data" id="upload-form">
      <label for="file">
        Zip or JSON files of the export
        <input type="file" id="file" name="file" accept=".zip,.json,application/zip,application/json" multiple required />
      </label>
      <button type="submit" id="upload">
        Import
      </button>
    </form>
    {demo ? (
      <form class="card upload" method="post" action={withAccount('/history/import/demo', ctx)} id="demo-form">
        <span>Demo mode: import the simulator’s export of the demo listener (podcasts, skips, offline and incognito plays, tracks the library lacks).</span>
        <button type="submit" id="demo-import">
          Import the demo export
        </button>
      </form>
    ) : null}
    {recent.length > 0 ? (
      <>
        <h2>Earlier imports</h2>
        <ul>
          {recent.map((r) => (
            <li data-testid="earlier-import">
              <a href={`/history/import/${r.importId}`}>{r.createdAt.slice(0, 16).replace('T', ' ')} UTC</a> · {stateLabels[r.state]} · {playCount(r.plays)}
              {r.duplicates > 0 ? ` (${fmt(r.duplicates)} already stored)` : ''} · <span class="files">{fileNames(r)}</span>
            </li>
          ))}
        </ul>
      </>
    ) : null}
  </Layout>
);

export const ImportProgressPage: FC<{ ctx: PageContext; summary: HistoryImportSummary }> = ({ ctx, summary: s }) => {
  const finished = s.state === 'complete' || s.state === 'failed';
  return (
    <Layout title={`History import · ${stateLabels[s.state]}`} ctx={ctx} active="history" head={finished ? null : <meta http-equiv="refresh" content="3" />}>
      <h1>
        History import:{' '}
        <span id="import-state" data-testid="import-state" data-state={s.state}>
          {stateLabels[s.state]}
        </span>
      </h1>
      <p class="muted" id="import-phase">
        {phaseLabels[s.phase]}
        {finished ? '' : ' · this page refreshes every 3 s'}
      </p>
      {s.error ? (
        <p class="banner error" id="import-error" data-testid="import-error">
          {s.error}
        </p>
      ) : null}
      {s.filesDeletedAt ? (
        <p class="muted" id="files-deleted" data-testid="files-deleted">
          The uploaded files were deleted on {s.filesDeletedAt.slice(0, 16).replace('T', ' ')} UTC, once read.
        </p>
      ) : null}
      <div class="card">
        <span class="muted">Entries read</span>
        <progress id="entries" max={s.entries.total ?? 1} value={s.entries.total === null ? 0 : s.entries.done} />
        <span class="muted">
          {fmt(s.entries.done)} / {s.entries.total === null ? '?' : fmt(s.entries.total)} · files {fmt(s.files.done)} / {fmt(s.files.total)}
        </span>
      </div>
      <div class="card counts" data-testid="import-counts">
        {(
          [
            ['plays', 'Plays stored', s.plays],
            ['duplicates', 'Already stored', s.duplicates],
            ['resolved', 'Tracks resolved', s.resolved],
            ['unresolved', 'Unresolved (names kept)', s.unresolved],
            ['skipped', 'Not plays', s.skipped],
            ['refused', 'Refused (unstorable values)', s.refused],
            ['api-calls', 'Spotify calls', s.apiCalls],
          ] as const
        ).map(([id, label, value]) => (
          <div>
            <span class="label">{label}</span>
            <span class="count" id={`count-${id}`}>
              {fmt(value)}
            </span>
          </div>
        ))}
      </div>
      {s.refusedReasons.length > 0 ? (
        <ul class="card refused" data-testid="refused-reasons">
          {s.refusedReasons.map((reason) => (
            <li>{reason}</li>
          ))}
        </ul>
      ) : null}
      <h2>Files</h2>
      <table class="files">
        <thead>
          <tr>
            <th>File</th>
            <th>Entries</th>
            <th>Plays stored</th>
          </tr>
        </thead>
        <tbody>
          {s.files.list.map((f) => (
            <tr>
              <td>{f.name}</td>
              <td>
                {fmt(f.done)} / {f.entries === null ? '?' : fmt(f.entries)}
                {f.complete ? ' ✓' : ''}
              </td>
              <td>{fmt(f.plays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.ignored.length > 0 ? (
        <>
          <h2>Ignored</h2>
          <p class="muted">Files with no plays in them, or with the reason they were not read.</p>
          <ul id="ignored">
            {s.ignored.map((name) => (
              <li>{name}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
};
