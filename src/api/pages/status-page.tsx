import type { FC } from 'hono/jsx';
import type { AccountStatus, AccountSummary, PhaseStatus } from '../schemas.js';
import { NavBar, PageHead } from './layout.js';
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
  rebuildText,
  rateLimitText,
  resetQuestion,
  stateText,
  updatedAtText,
} from './status-text.js';

/**
 * The status page, rendered by the server alone: the page, and its panel (everything that changes
 * as the sync runs) which /sync-status/panel renders again for the page's script to swap in every
 * 5 s. The controls are plain forms, so the page works without JavaScript (it then reloads itself
 * every 5 s). Element ids and data-testid attributes are stable: browser tests and users' scripts
 * select by them.
 */

export type StatusView = { kind: 'status'; status: AccountStatus; accounts: AccountSummary[] | null } | { kind: 'no-accounts' } | { kind: 'error'; message: string };

export interface StatusPageScript {
  src: string;
  integrity: string;
}

/** What the panel shows besides the status: the question Reset asks, when it asks it without a dialog. */
export interface PanelOptions {
  confirmReset: boolean;
}

const Phase: FC<{ phase: PhaseStatus }> = ({ phase: p }) => {
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
          {phaseCountText(p)}
        </span>
      </div>
      <progress class="bar" aria-label={label} max="100" value={String(p.percent)}>
        {percentText(p.percent)}
      </progress>
    </div>
  );
};

/**
 * The controls, the sync's and playback tracking's apart: what a button pauses is what the card next to
 * it shows. The sync's buttons reach the initial sync and a running incremental run; playback tracking's
 * reach the playback workflow alone. Each button posts to its own route with the form's `target`.
 */
const Controls: FC<{ s: AccountStatus; confirmReset: boolean }> = ({ s, confirmReset }) => {
  const syncDone = s.state === 'complete';
  return (
    <section class="card" aria-label="Controls">
      <h2>Sync</h2>
      <form class="controls" method="post" action="/sync-status/pause">
        <input type="hidden" name="accountId" value={s.accountId} />
        <input type="hidden" name="target" value="sync" />
        <button type="submit" id="pause" data-testid="pause" formaction="/sync-status/pause" disabled={s.state === 'paused' || syncDone}>
          Pause sync
        </button>
        <button type="submit" id="resume" data-testid="resume" formaction="/sync-status/resume" disabled={s.state !== 'paused'}>
          Resume sync
        </button>
        {/* With JavaScript it asks in a dialog (the script sends confirm=yes); without, the card asks below. */}
        <button type="submit" id="reset" data-testid="reset" class="danger" formaction="/sync-status/reset" name="confirm" value="ask" data-confirm={resetQuestion}>
          Reset
        </button>
      </form>
      {syncDone ? (
        <p class="muted" id="sync-controls-note" data-testid="sync-controls-note">
          The initial sync is complete: there is nothing of it to pause. Incremental runs keep the mirror fresh on their schedule.
        </p>
      ) : null}
      <h2>Playback tracking</h2>
      <form class="controls" method="post" action="/sync-status/pause">
        <input type="hidden" name="accountId" value={s.accountId} />
        <input type="hidden" name="target" value="playback" />
        <button type="submit" id="pause-playback" data-testid="pause-playback" formaction="/sync-status/pause" disabled={s.playback.paused}>
          Pause tracking
        </button>
        <button type="submit" id="resume-playback" data-testid="resume-playback" formaction="/sync-status/resume" disabled={!s.playback.paused}>
          Resume tracking
        </button>
      </form>
      <p class="muted" id="playback-state" data-testid="playback-state" data-paused={String(s.playback.paused)}>
        {s.playback.paused ? 'Paused: no plays are recorded until you resume it (Spotify keeps only your last 50 plays).' : 'Running: recent plays are recorded every poll.'}
      </p>
      {confirmReset ? (
        <form class="confirm-reset" method="post" action="/sync-status/reset" data-testid="reset-confirm">
          <input type="hidden" name="accountId" value={s.accountId} />
          <p>{resetQuestion}</p>
          <div class="controls">
            <button type="submit" id="reset-yes" class="danger" name="confirm" value="yes">
              Start over
            </button>
            <a class="button" id="reset-cancel" href={`/sync-status?${new URLSearchParams({ accountId: s.accountId })}`}>
              Cancel
            </a>
          </div>
        </form>
      ) : null}
    </section>
  );
};

const StatusDetails: FC<{ s: AccountStatus; now: Date; options: PanelOptions }> = ({ s, now, options }) => (
  <div id="status">
    <section class="card summary" aria-label="Summary">
      <div class="summary-account">
        <span class="label">Account</span>
        <span id="account-name" data-testid="account-name">
          {accountName(s)}
        </span>
      </div>
      <div>
        <span class="label">State</span>
        <strong id="state" data-testid="state" data-state={s.state}>
          {stateText(s.state)}
        </strong>
      </div>
      <div>
        <span class="label">Phase</span>
        <span id="phase" data-testid="phase">
          {s.phase}
        </span>
      </div>
      <div>
        <span class="label">Overall</span>
        <span id="overall-percent" data-testid="overall-percent" data-percent={String(s.overallPercent)}>
          {percentText(s.overallPercent)}
        </span>
      </div>
      <div class="summary-eta">
        <span class="label">Estimated completion</span>
        <span id="eta" data-testid="eta">
          {etaText(s, now)}
        </span>
      </div>
    </section>
    <section class="card" aria-label="Initial sync progress">
      <h2>Initial sync</h2>
      {s.state !== 'complete' ? (
        <p class="muted" id="rebuild-note" data-testid="rebuild-note">
          {rebuildText}
        </p>
      ) : null}
      {s.phases.map((p) => (
        <Phase phase={p} />
      ))}
    </section>
    <Controls s={s} confirmReset={options.confirmReset} />
    <section class="card details" aria-label="Details">
      <h2>Incremental sync</h2>
      <p id="incremental" data-testid="incremental">
        {incrementalText(s, now)}
      </p>
      <h2>Playback tracking</h2>
      <p id="playback" data-testid="playback">
        {playbackText(s, now)}
      </p>
      <h2>History import</h2>
      <p id="history-import-wrap">
        <span id="history-import" data-testid="history-import">
          {historyImportText(s) ?? 'None yet.'}
        </span>{' '}
        <a id="history-import-link" data-testid="history-import-link" href={s.import ? historyImportHref(s.import.importId) : '/history/import'}>
          {s.import ? 'Details' : 'Import your Spotify history'}
        </a>
      </p>
      {s.temporalUiUrl ? (
        <p id="temporal-link-wrap">
          <a id="temporal-link" data-testid="temporal-link" href={s.temporalUiUrl} target="_blank" rel="noopener">
            Open the workflow in the Temporal UI
          </a>
        </p>
      ) : null}
      <p class="muted">
        Updated{' '}
        <span id="updated-at" data-testid="updated-at">
          {updatedAtText(now)}
        </span>{' '}
        · refreshes every 5 s
      </p>
    </section>
  </div>
);

/** The panel: the banners and the status; the page holds it, /sync-status/panel answers it alone. */
export const StatusPanel: FC<{ view: StatusView; now: Date; options: PanelOptions }> = ({ view, now, options }) => {
  const s = view.kind === 'status' ? view.status : null;
  const rateLimit = s ? rateLimitText(s, now) : null;
  const loginProblem = s ? loginProblemText(s) : null;
  return (
    <>
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
      {s?.missingScopes ? (
        <div id="scope-banner" data-testid="scope-banner" class="banner warn" role="status" data-missing-scopes={s.missingScopes.scopes.join(' ')}>
          {s.missingScopes.message} <a href={s.missingScopes.loginUrl}>Log in with Spotify again</a>
        </div>
      ) : null}
      <div id="rate-limit-banner" data-testid="rate-limit-banner" class="banner warn" role="status" hidden={rateLimit === null} data-reset-at={s?.rateLimit.resetAt ?? undefined}>
        {rateLimit ?? ''}
      </div>
      {s ? <StatusDetails s={s} now={now} options={options} /> : <div id="status" hidden></div>}
    </>
  );
};

export interface StatusPageProps {
  view: StatusView;
  now: Date;
  options: PanelOptions;
  /** Where the script fetches the panel from every 5 s. */
  panelSrc: string;
  /** What the last control did, or why it failed. */
  actionMessage: { text: string; failed: boolean } | null;
  /** Without JavaScript the page reloads itself every 5 s (not while Reset asks, nor on a failed control's answer). */
  reload: boolean;
  nonce: string;
  script: StatusPageScript;
}

export const StatusPage: FC<StatusPageProps> = ({ view, now, options, panelSrc, actionMessage, reload, nonce, script }) => {
  const s = view.kind === 'status' ? view.status : null;
  const accounts = view.kind === 'status' ? view.accounts : null;
  return (
    <html lang="en">
      <PageHead title="Spotify sync status">
        <link rel="stylesheet" href="/assets/status-page.css" />
        {reload ? (
          <noscript>
            <meta http-equiv="refresh" content="5" />
          </noscript>
        ) : null}
      </PageHead>
      <body>
        <NavBar ctx={{ account: null, accounts: [], path: '/sync-status' }} active="status" />
        <main>
          <div class="page-head">
            <h1>Sync status</h1>
            {/* A plain GET form: the script submits it on change, without JavaScript its button does. */}
            <form class="picker-form" method="get" action="/sync-status">
              <label id="account-picker-wrap" class="picker" hidden={!accounts}>
                Account
                <select id="account-picker" name="accountId" data-testid="account-picker">
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
          <p id="action-message" data-testid="action-message" class={actionMessage?.failed ? 'banner error' : 'banner done'} role="status">
            {actionMessage?.text ?? ''}
          </p>
          <div id="refresh-error" data-testid="refresh-error" class="banner error" role="alert" hidden>
            Could not reach the server to refresh the status; trying again every 5 s.
          </div>
          <div id="status-panel" data-src={panelSrc}>
            <StatusPanel view={view} now={now} options={options} />
          </div>
        </main>
        <script nonce={nonce} src={script.src} integrity={script.integrity}></script>
      </body>
    </html>
  );
};
