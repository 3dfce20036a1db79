import type { FC } from 'hono/jsx';
import { batchEntities } from '../../../workflows/contract.js';
import {
  accountChoiceText,
  accountName,
  entityLabel,
  etaText,
  historyImportHref,
  historyImportText,
  incrementalText,
  loginProblemText,
  percentText,
  phaseCountText,
  playbackText,
  rateLimitText,
  stateText,
  updatedAtText,
} from '../client/status-text.js';
import type { AccountStatus, AccountSummary, PhaseStatus } from '../schemas.js';
import { NavBar, PageHead } from './layout.js';

/**
 * The status page, rendered with the status of its first answer filled in (it reads without
 * JavaScript); `/assets/status-page.js` (src/api/client/status-page.ts) then refreshes it every 5 s and
 * drives the controls. Element ids and data-testid attributes are stable: browser tests and users'
 * scripts select by them.
 */

export type StatusView =
  | { kind: 'status'; status: AccountStatus; accounts: AccountSummary[] | null }
  | { kind: 'no-accounts' }
  | { kind: 'error'; message: string };

export interface StatusPageScript {
  src: string;
  integrity: string;
}

/** A bar's inline style: the page's CSP allows exactly the ones rendered (see statusPageCsp). */
export const barStyle = (percent: number) => ({ width: percentText(percent) });
/** The same style as the attribute text the browser hashes. */
export const barStyleText = (percent: number): string => `width:${percentText(percent)}`;

const unknownPhase = (entity: PhaseStatus['entity']): PhaseStatus => ({ entity, synced: 0, total: null, percent: 0, complete: false });

const Phase: FC<{ phase: PhaseStatus; rendered: boolean }> = ({ phase: p, rendered }) => {
  const label = entityLabel(p.entity);
  return (
    <div
      class="phase"
      id={`phase-${p.entity}`}
      data-testid={`phase-${p.entity}`}
      data-entity={p.entity}
      data-synced={String(p.synced)}
      data-total={p.total === null ? '' : String(p.total)}
      data-percent={String(p.percent)}
      data-complete={String(p.complete)}
    >
      <div class="phase-head">
        <span class="phase-name">{label}</span>
        <span class="phase-count" data-testid={`phase-${p.entity}-count`}>
          {rendered ? phaseCountText(p) : '0 / ?'}
        </span>
      </div>
      <div class="bar" role="progressbar" aria-label={label} aria-valuemin="0" aria-valuemax="100" aria-valuenow={String(p.percent)}>
        <div class="fill" style={p.percent > 0 ? barStyle(p.percent) : undefined}></div>
      </div>
    </div>
  );
};

/** The widths the page's bars are rendered with (their inline styles, allowed one by one by the CSP). */
export function renderedBarStyles(view: StatusView): string[] {
  if (view.kind !== 'status') return [];
  return [...new Set(view.status.phases.filter((p) => p.percent > 0).map((p) => barStyleText(p.percent)))];
}

export const StatusPage: FC<{ view: StatusView; now: Date; nonce: string; script: StatusPageScript }> = ({ view, now, nonce, script }) => {
  const s = view.kind === 'status' ? view.status : null;
  const accounts = view.kind === 'status' ? view.accounts : null;
  const phases = batchEntities.map((entity) => s?.phases.find((p) => p.entity === entity) ?? unknownPhase(entity));
  const rateLimit = s ? rateLimitText(s, now) : null;
  const loginProblem = s ? loginProblemText(s) : null;
  return (
    <html lang="en">
      <PageHead title="Spotify sync status">
        <link rel="stylesheet" href="/assets/status-page.css" />
        {/* Without JavaScript the page still refreshes every 5 s, by reloading. */}
        <noscript>
          <meta http-equiv="refresh" content="5" />
        </noscript>
      </PageHead>
      <body>
        <NavBar ctx={{ account: null, accounts: [], path: '/sync-status' }} active="status" />
        <main>
          <div class="page-head">
            <h1>Sync status</h1>
            {/* Without JavaScript the picker is a plain GET form. */}
            <form class="picker-form" method="get" action="/sync-status">
              <label id="account-picker-wrap" class="picker" hidden={!accounts}>
                Account
                <select
                  id="account-picker"
                  name="accountId"
                  data-testid="account-picker"
                  data-ids={accounts ? accounts.map((a) => a.accountId).join('\n') : undefined}
                >
                  {(accounts ?? []).map((a) => (
                    <option value={a.accountId} selected={a.accountId === s?.accountId}>
                      {accountChoiceText(a)}
                    </option>
                  ))}
                </select>
              </label>
              {accounts ? (
                <noscript>
                  <button type="submit">Show</button>
                </noscript>
              ) : null}
            </form>
          </div>
          <div id="error-banner" data-testid="error-banner" class="banner error" role="alert" hidden={view.kind !== 'error'}>
            {view.kind === 'error' ? `Could not load the status: ${view.message}` : ''}
          </div>
          <div id="no-accounts-banner" data-testid="no-accounts-banner" class="banner warn" hidden={view.kind !== 'no-accounts'}>
            No account connected yet: <a href="/auth/login">log in with Spotify</a> or run <code>npm run cli -- connect</code>.
          </div>
          <div
            id="login-banner"
            data-testid="login-banner"
            class="banner warn"
            role="alert"
            hidden={loginProblem === null}
            data-login-state={s?.login.state}
            data-expires-at={s?.login.expiresAt}
          >
            <span id="login-message" data-testid="login-message">
              {loginProblem ?? ''}
            </span>{' '}
            <a id="reauth-login" href="/auth/login">
              Log in with Spotify again
            </a>
          </div>
          <div id="rate-limit-banner" data-testid="rate-limit-banner" class="banner warn" role="status" hidden={rateLimit === null} data-reset-at={s?.rateLimit.resetAt ?? undefined}>
            {rateLimit ?? ''}
          </div>
          <div id="status" hidden={!s}>
            <section class="card summary" aria-label="Summary">
              <div class="summary-account">
                <span class="label">Account</span>
                <span id="account-name" data-testid="account-name">
                  {s ? accountName(s) : ''}
                </span>
              </div>
              <div>
                <span class="label">State</span>
                <strong id="state" data-testid="state" data-state={s?.state ?? ''}>
                  {s ? stateText(s.state) : ''}
                </strong>
              </div>
              <div>
                <span class="label">Phase</span>
                <span id="phase" data-testid="phase">
                  {s?.phase ?? ''}
                </span>
              </div>
              <div>
                <span class="label">Overall</span>
                <span id="overall-percent" data-testid="overall-percent" data-percent={s ? String(s.overallPercent) : undefined}>
                  {s ? percentText(s.overallPercent) : ''}
                </span>
              </div>
              <div>
                <span class="label">Estimated completion</span>
                <span id="eta" data-testid="eta">
                  {s ? etaText(s, now) : ''}
                </span>
              </div>
            </section>
            <section class="card" aria-label="Initial sync progress">
              <h2>Initial sync</h2>
              {phases.map((p) => (
                <Phase phase={p} rendered={s !== null} />
              ))}
            </section>
            <section class="card" aria-label="Controls">
              <div class="controls">
                <button type="button" id="pause" data-testid="pause" disabled={s?.state === 'paused'}>
                  Pause
                </button>
                <button type="button" id="resume" data-testid="resume" disabled={s?.state !== 'paused'}>
                  Resume
                </button>
                <button type="button" id="reset" data-testid="reset" class="danger">
                  Reset
                </button>
              </div>
              <p id="action-message" data-testid="action-message" class="muted" role="status"></p>
            </section>
            <section class="card details" aria-label="Details">
              <h2>Incremental sync</h2>
              <p id="incremental" data-testid="incremental">
                {s ? incrementalText(s, now) : ''}
              </p>
              <h2>Playback tracking</h2>
              <p id="playback" data-testid="playback">
                {s ? playbackText(s, now) : ''}
              </p>
              <h2>History import</h2>
              <p id="history-import-wrap">
                <span id="history-import" data-testid="history-import">
                  {(s && historyImportText(s)) ?? 'None yet.'}
                </span>{' '}
                <a id="history-import-link" data-testid="history-import-link" href={s?.import ? historyImportHref(s.import.importId) : '/history/import'}>
                  {s?.import ? 'Details' : 'Import your Spotify history'}
                </a>
              </p>
              <p id="temporal-link-wrap" hidden={!s?.temporalUiUrl}>
                <a id="temporal-link" data-testid="temporal-link" href={s?.temporalUiUrl ?? '#'} target="_blank" rel="noopener">
                  Open the workflow in the Temporal UI
                </a>
              </p>
              <p class="muted">
                Updated <span id="updated-at" data-testid="updated-at">{s ? updatedAtText(now) : '—'}</span> · refreshes every 5 s
              </p>
            </section>
          </div>
        </main>
        <script nonce={nonce} src={script.src} integrity={script.integrity}></script>
      </body>
    </html>
  );
};
