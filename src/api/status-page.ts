import { batchEntities } from '../../workflows/contract.js';
import { escapeHtml } from './message-page.js';
import { statusNavHtml } from './pages/status-nav.js';

/**
 * The status page: one self-contained HTML document (inline CSS and JS under a per-response nonce, no
 * build step). It polls /api/sync/status every 5 s and drives the controls. Element ids and
 * data-testid attributes are stable: browser tests and users' scripts select by them.
 */

const entities = batchEntities.map((id) => ({ id, label: id.charAt(0).toUpperCase() + id.slice(1) }));

const css = `
:root{--fg:#1d1d1f;--muted:#6b6b70;--bg:#fff;--card:#f4f4f6;--accent:#1db954;--warn-bg:#fff4d6;--warn-fg:#5c4400;--err-bg:#fde2e1;--err-fg:#7a1410;--bar:#e2e2e6}
@media (prefers-color-scheme:dark){:root{--fg:#ececf0;--muted:#a0a0a8;--bg:#121214;--card:#1e1e22;--warn-bg:#3b3114;--warn-fg:#ffe3a3;--err-bg:#3d1a19;--err-fg:#ffc9c6;--bar:#33333a}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:48rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
h1{font-size:1.4rem;margin:.25rem 0}
h2{font-size:1rem;margin:1rem 0 .25rem}
a{color:var(--accent)}
select,button{font:inherit}
.banner{border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.warn{background:var(--warn-bg);color:var(--warn-fg)}
.error{background:var(--err-bg);color:var(--err-fg)}
.card{background:var(--card);border-radius:.75rem;padding:1rem;margin:.75rem 0}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem 1rem}
.label{display:block;color:var(--muted);font-size:.85rem}
.phase{margin:.75rem 0}
.phase-head{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}
.phase-count{font-variant-numeric:tabular-nums}
.bar{height:.75rem;border-radius:.375rem;background:var(--bar);overflow:hidden;margin-top:.25rem}
.fill{height:100%;width:0;background:var(--accent);transition:width .4s}
.phase[data-complete="true"] .phase-name::after{content:" ✓";color:var(--accent)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem}
.controls button{padding:.5rem 1.25rem;border-radius:.5rem;border:1px solid var(--muted);background:var(--bg);color:var(--fg);cursor:pointer;min-width:6rem}
.controls button:disabled{opacity:.45;cursor:default}
#reset{border-color:#c0392b}
.muted{color:var(--muted);font-size:.85rem}
[hidden]{display:none!important}
`;

// Plain browser JavaScript (it is sent as it is). Text goes in with textContent, never as HTML.
const script = `
'use strict';
const ENTITIES = ${JSON.stringify(batchEntities)};
const TOKEN_KEY = 'spotify-sync-api-token';
const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);
const numbers = new Intl.NumberFormat('en-US');
let accountId = new URLSearchParams(location.search).get('accountId') || null;
let current = null;
let timer = null;

const show = (id, visible) => { $(id).hidden = !visible; };
const fmt = (n) => numbers.format(n);

function dayNumber(d) { return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 86400000); }
function whenUtc(iso) {
  const d = new Date(iso);
  const time = d.toISOString().slice(11, 16) + ' UTC';
  const days = dayNumber(d) - dayNumber(new Date());
  if (days === 0) return time + ' today';
  if (days === 1) return time + ' tomorrow';
  if (days === -1) return time + ' yesterday';
  return time + ' on ' + d.toISOString().slice(0, 10);
}
function duration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 1) return 'less than a minute';
  const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
  return [d ? d + ' d' : '', h ? h + ' h' : '', m && !d ? m + ' min' : ''].filter(Boolean).join(' ');
}
function countText(p) { return fmt(p.synced) + ' / ' + (p.total === null ? '?' : fmt(p.total)); }

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  return { status: res.status, ok: res.ok, body };
}
const statusUrl = (id) => '/api/sync/status' + (id ? '?accountId=' + encodeURIComponent(id) : '');
const errorMessage = (r) => (r.body && r.body.error && r.body.error.message) || 'The API answered ' + r.status;

function renderPicker(accounts) {
  const picker = $('account-picker');
  if (!accounts) { show('account-picker-wrap', false); return; }
  const ids = accounts.map((a) => a.accountId);
  if (!accountId || !ids.includes(accountId)) accountId = ids[0];
  if (picker.dataset.ids !== ids.join('\\n')) {
    picker.replaceChildren(...accounts.map((a) => {
      const option = document.createElement('option');
      option.value = a.accountId;
      option.textContent = (a.displayName || a.accountId) + ' — ' + a.state.replace('_', ' ') + ' (' + a.overallPercent + '%)';
      return option;
    }));
    picker.dataset.ids = ids.join('\\n');
  }
  picker.value = accountId;
  show('account-picker-wrap', true);
}

function render(s) {
  current = s;
  show('status', true);
  show('no-accounts-banner', false);
  $('account-name').textContent = s.displayName ? s.displayName + ' (' + s.accountId + ')' : s.accountId;
  $('state').textContent = s.state.replace('_', ' ');
  $('state').dataset.state = s.state;
  $('phase').textContent = s.phase;
  $('overall-percent').textContent = s.overallPercent + '%';
  $('overall-percent').dataset.percent = String(s.overallPercent);
  $('eta').textContent = s.eta ? whenUtc(s.eta) + ' (in ' + duration(new Date(s.eta) - Date.now()) + ')' : (s.state === 'complete' ? 'done' : '—');
  for (const p of s.phases) {
    const el = $('phase-' + p.entity);
    if (!el) continue;
    el.dataset.synced = String(p.synced);
    el.dataset.total = p.total === null ? '' : String(p.total);
    el.dataset.percent = String(p.percent);
    el.dataset.complete = String(p.complete);
    el.querySelector('.phase-count').textContent = countText(p) + ' · ' + p.percent + '%';
    el.querySelector('.fill').style.width = p.percent + '%';
    el.querySelector('.bar').setAttribute('aria-valuenow', String(p.percent));
  }

  const rl = s.rateLimit;
  if (rl.limited) {
    const entity = s.phase === 'complete' ? 'tracks' : s.phase;
    const p = s.phases.find((x) => x.entity === entity);
    const saved = p ? (p.total === null ? fmt(p.synced) : fmt(p.synced) + ' of ' + fmt(p.total)) + ' ' + entity + ' saved' : '';
    const until = rl.resetAt ? 'Paused by Spotify until ' + whenUtc(rl.resetAt) : 'Paused by Spotify (rate limit)';
    $('rate-limit-banner').textContent = until + (saved ? ' — ' + saved : '') + '. The sync resumes by itself.';
    $('rate-limit-banner').dataset.resetAt = rl.resetAt || '';
  }
  show('rate-limit-banner', rl.limited);
  const login = s.login;
  const loginProblem = s.needsLogin || login.state !== 'ok';
  if (loginProblem) $('login-message').textContent = login.message || '';
  $('login-banner').dataset.loginState = login.state;
  $('login-banner').dataset.expiresAt = login.expiresAt;
  show('login-banner', loginProblem);

  const inc = s.incremental;
  $('incremental').textContent = inc.lastRunAt
    ? 'Last run ' + whenUtc(inc.lastRunAt) + (inc.lastResult ? ' (' + inc.lastResult.outcome + ')' : '') + '; next ' + (inc.nextRunAt ? whenUtc(inc.nextRunAt) : '—')
    : 'Not run yet; first run ' + (inc.nextRunAt ? whenUtc(inc.nextRunAt) : 'after the initial sync');
  const pb = s.playback;
  $('playback').textContent = fmt(pb.plays) + ' plays recorded · ' + fmt(pb.gaps) + ' gaps · last poll ' + (pb.lastPolledAt ? whenUtc(pb.lastPolledAt) : 'not yet');

  const link = $('temporal-link');
  if (s.temporalUiUrl) link.href = s.temporalUiUrl;
  show('temporal-link-wrap', Boolean(s.temporalUiUrl));

  $('pause').disabled = s.state === 'paused';
  $('resume').disabled = s.state !== 'paused';
  $('updated-at').textContent = new Date().toLocaleTimeString();
}

async function refresh() {
  try {
    const overview = await getJson(statusUrl(null));
    if (overview.status === 404 && overview.body && overview.body.error && overview.body.error.code === 'no_accounts') {
      show('status', false);
      show('account-picker-wrap', false);
      show('no-accounts-banner', true);
      show('error-banner', false);
      return;
    }
    if (!overview.ok) throw new Error(errorMessage(overview));
    let result = overview;
    if (overview.body.accounts) {
      renderPicker(overview.body.accounts);
      result = await getJson(statusUrl(accountId));
    } else {
      renderPicker(null);
      if (accountId && accountId !== overview.body.accountId) result = await getJson(statusUrl(accountId));
    }
    if (!result.ok) throw new Error(errorMessage(result));
    render(result.body);
    show('error-banner', false);
  } catch (e) {
    $('error-banner').textContent = 'Could not load the status: ' + (e && e.message ? e.message : e) + ' (retrying every 5 s)';
    show('error-banner', true);
  } finally {
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }
}

function post(action) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  return fetch('/api/sync/' + action, { method: 'POST', headers, body: JSON.stringify(current ? { accountId: current.accountId } : {}) });
}

async function control(action) {
  if (action === 'reset' && !confirm('Start the initial sync over? Saved data and play history stay; progress starts from zero.')) return;
  const message = $('action-message');
  const buttons = ['pause', 'resume', 'reset'].map($);
  buttons.forEach((b) => { b.dataset.wasDisabled = String(b.disabled); b.disabled = true; });
  message.textContent = action.charAt(0).toUpperCase() + action.slice(1) + '…';
  try {
    let res = await post(action);
    if (res.status === 401) {
      const token = prompt('This server needs its API token (API_TOKEN) for ' + action + ':');
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token.trim());
        res = await post(action);
      }
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 202) {
      const n = body.delivered.length;
      message.textContent = action === 'reset'
        ? 'The initial sync starts over.'
        : (n ? action + ' sent to ' + n + ' workflow' + (n === 1 ? '' : 's') + '.' : 'No running workflow got the ' + action + ' signal.');
    } else {
      if (res.status === 401) sessionStorage.removeItem(TOKEN_KEY);
      message.textContent = (body && body.error && body.error.message) || action + ' failed (' + res.status + ')';
    }
  } catch (e) {
    message.textContent = action + ' failed: ' + (e && e.message ? e.message : e);
  } finally {
    buttons.forEach((b) => { b.disabled = b.dataset.wasDisabled === 'true'; });
    refresh();
  }
}

$('pause').addEventListener('click', () => control('pause'));
$('resume').addEventListener('click', () => control('resume'));
$('reset').addEventListener('click', () => control('reset'));
$('account-picker').addEventListener('change', (event) => {
  accountId = event.target.value;
  const url = new URL(location.href);
  url.searchParams.set('accountId', accountId);
  history.replaceState(null, '', url);
  refresh();
});
refresh();
`;

function phaseMarkup(entity: (typeof entities)[number]): string {
  return `<div class="phase" id="phase-${entity.id}" data-testid="phase-${entity.id}" data-entity="${entity.id}" data-synced="0" data-total="" data-percent="0" data-complete="false">
  <div class="phase-head"><span class="phase-name">${entity.label}</span><span class="phase-count" data-testid="phase-${entity.id}-count">0 / ?</span></div>
  <div class="bar" role="progressbar" aria-label="${entity.label}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="fill"></div></div>
</div>`;
}

export function renderStatusPage(options: { nonce: string }): string {
  const nonce = escapeHtml(options.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spotify sync status</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/library.css">
<style nonce="${nonce}">${css}</style>
</head>
<body>
${statusNavHtml()}
<main>
<header>
  <h1>Spotify sync</h1>
  <label id="account-picker-wrap" hidden>Account <select id="account-picker" data-testid="account-picker"></select></label>
</header>
<div id="error-banner" data-testid="error-banner" class="banner error" role="alert" hidden></div>
<div id="no-accounts-banner" data-testid="no-accounts-banner" class="banner warn" hidden>No account connected yet: <a href="/auth/login">log in with Spotify</a> or run <code>npm run cli -- connect</code>.</div>
<div id="login-banner" data-testid="login-banner" class="banner warn" role="alert" hidden><span id="login-message" data-testid="login-message"></span> <a id="reauth-login" href="/auth/login">Log in with Spotify again</a></div>
<div id="rate-limit-banner" data-testid="rate-limit-banner" class="banner warn" role="status" hidden></div>
<div id="status" hidden>
<section class="card summary" aria-label="Summary">
  <div><span class="label">Account</span><span id="account-name" data-testid="account-name"></span></div>
  <div><span class="label">State</span><strong id="state" data-testid="state" data-state=""></strong></div>
  <div><span class="label">Phase</span><span id="phase" data-testid="phase"></span></div>
  <div><span class="label">Overall</span><span id="overall-percent" data-testid="overall-percent"></span></div>
  <div><span class="label">Estimated completion</span><span id="eta" data-testid="eta"></span></div>
</section>
<section class="card" aria-label="Initial sync progress">
  <h2>Initial sync</h2>
${entities.map(phaseMarkup).join('\n')}
</section>
<section class="card" aria-label="Controls">
  <div class="controls">
    <button type="button" id="pause" data-testid="pause">Pause</button>
    <button type="button" id="resume" data-testid="resume">Resume</button>
    <button type="button" id="reset" data-testid="reset">Reset</button>
  </div>
  <p id="action-message" data-testid="action-message" class="muted" role="status"></p>
</section>
<section class="card" aria-label="Details">
  <h2>Incremental sync</h2>
  <p id="incremental" data-testid="incremental"></p>
  <h2>Playback tracking</h2>
  <p id="playback" data-testid="playback"></p>
  <p id="temporal-link-wrap" hidden><a id="temporal-link" data-testid="temporal-link" href="#" target="_blank" rel="noopener">Open the workflow in the Temporal UI</a></p>
  <p class="muted">Updated <span id="updated-at" data-testid="updated-at">—</span> · refreshes every 5 s</p>
</section>
</div>
</main>
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}

/** Inline code runs only with this response's nonce; the page talks to its own origin only. */
export function statusPageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
