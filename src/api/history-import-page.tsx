import type { Child, FC } from 'hono/jsx';
import type { HistoryImportSummary } from '../status/read-history-import.js';

/**
 * The import pages (Hono JSX, no script): a plain upload form, and a progress view that refreshes
 * itself every 3 s until the import ends. Element ids and data-testid attributes are stable.
 */

const css = `
:root{--fg:#1d1d1f;--muted:#6b6b70;--bg:#fff;--card:#f4f4f6;--accent:#1db954;--err-bg:#fde2e1;--err-fg:#7a1410;--bar:#e2e2e6}
@media (prefers-color-scheme:dark){:root{--fg:#ececf0;--muted:#a0a0a8;--bg:#121214;--card:#1e1e22;--err-bg:#3d1a19;--err-fg:#ffc9c6;--bar:#33333a}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.25rem 0}
h2{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--accent)}
.card{background:var(--card);border-radius:.75rem;padding:1rem;margin:.75rem 0}
.error{background:var(--err-bg);color:var(--err-fg);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.5rem 1rem}
.label{display:block;color:var(--muted);font-size:.85rem}
.count{font-variant-numeric:tabular-nums;font-size:1.2rem}
progress{width:100%;height:.75rem;accent-color:var(--accent)}
button{font:inherit;padding:.5rem 1.25rem;border-radius:.5rem;border:1px solid var(--muted);background:var(--bg);color:var(--fg);cursor:pointer}
.muted{color:var(--muted);font-size:.85rem}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--bar);font-size:.9rem}
`;

const numbers = new Intl.NumberFormat('en-US');
const fmt = (n: number) => numbers.format(n);

const Layout: FC<{ title: string; refreshSeconds?: number; children?: Child }> = ({ title, refreshSeconds, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      {refreshSeconds ? <meta http-equiv="refresh" content={String(refreshSeconds)} /> : null}
      <title>{title}</title>
      <style>{css}</style>
    </head>
    <body>
      <main>
        <p class="muted">
          <a href="/sync-status">Sync status</a> · <a href="/history">History</a> · <a href="/history/import">Import history</a>
        </p>
        {children}
      </main>
    </body>
  </html>
);

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

export const ImportFormPage: FC<{ demo: boolean; error?: string; recent: HistoryImportSummary[] }> = ({ demo, error, recent }) => (
  <Layout title="Import your Spotify history">
    <h1>Import your Spotify history</h1>
    <p>
      Spotify’s API shows only your last 50 plays. Everything before is in the data export you can request in Spotify’s privacy settings:
      the <em>Extended streaming history</em> (every stream since the account began) and the <em>Account data</em> (about the last year).
      Upload the zip Spotify sent, or its JSON files. Plays already stored (polled, or imported before) are not stored twice; the export’s IP
      addresses are never stored.
    </p>
    {error ? (
      <p class="error" id="import-error" data-testid="import-error">
        {error}
      </p>
    ) : null}
    <form class="card" method="post" action="/history/import" enctype="multipart/form-data" id="upload-form">
      <p>
        <label for="file">Zip or JSON files of the export</label>
        <br />
        <input type="file" id="file" name="file" accept=".zip,.json,application/zip,application/json" multiple required />
      </p>
      <button type="submit" id="upload">Import</button>
    </form>
    {demo ? (
      <form class="card" method="post" action="/history/import/demo" id="demo-form">
        <p>Demo mode: import the simulator’s export of the demo listener (podcasts, skips, offline and incognito plays, tracks the library lacks).</p>
        <button type="submit" id="demo-import">Import the demo export</button>
      </form>
    ) : null}
    {recent.length > 0 ? (
      <>
        <h2>Earlier imports</h2>
        <ul>
          {recent.map((r) => (
            <li>
              <a href={`/history/import/${r.importId}`}>{r.createdAt.slice(0, 16).replace('T', ' ')} UTC</a> · {stateLabels[r.state]} · {fmt(r.plays)} plays
            </li>
          ))}
        </ul>
      </>
    ) : null}
  </Layout>
);

export const ImportProgressPage: FC<{ summary: HistoryImportSummary }> = ({ summary: s }) => {
  const finished = s.state === 'complete' || s.state === 'failed';
  return (
    <Layout title={`History import · ${stateLabels[s.state]}`} refreshSeconds={finished ? undefined : 3}>
      <h1>
        History import: <span id="import-state" data-testid="import-state" data-state={s.state}>{stateLabels[s.state]}</span>
      </h1>
      <p class="muted" id="import-phase">
        {phaseLabels[s.phase]}
        {finished ? '' : ' · this page refreshes every 3 s'}
      </p>
      {s.error ? (
        <p class="error" id="import-error" data-testid="import-error">
          {s.error}
        </p>
      ) : null}
      <div class="card">
        <span class="label">Entries read</span>
        <progress id="entries" max={s.entries.total ?? 1} value={s.entries.total === null ? 0 : s.entries.done} />
        <span class="muted">
          {fmt(s.entries.done)} / {s.entries.total === null ? '?' : fmt(s.entries.total)} · files {fmt(s.files.done)} / {fmt(s.files.total)}
        </span>
      </div>
      <div class="card summary" data-testid="import-counts">
        {(
          [
            ['plays', 'Plays stored', s.plays],
            ['duplicates', 'Already stored', s.duplicates],
            ['resolved', 'Tracks resolved', s.resolved],
            ['unresolved', 'Unresolved (names kept)', s.unresolved],
            ['skipped', 'Not plays', s.skipped],
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
      <h2>Files</h2>
      <table>
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
          <h2>Ignored (no plays in them)</h2>
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
