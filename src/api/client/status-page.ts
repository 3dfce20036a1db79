import type { AccountStatus, AccountSummary } from '../schemas.js';
import {
  accountChoiceText,
  accountName,
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
} from './status-text.js';

/**
 * The status page in the browser (bundled to /assets/status-page.js): polls /api/sync/status every
 * 5 s, re-renders what the server rendered first, and drives pause, resume and reset. Text goes in
 * with textContent, never as HTML.
 */

type Action = 'pause' | 'resume' | 'reset';
interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  body: T | null;
}
interface ApiErrorBody {
  error?: { code?: string; message?: string };
}
type StatusAnswer = AccountStatus | { accounts: AccountSummary[] };

const tokenKey = 'spotify-sync-api-token';
const refreshMs = 5000;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the status page has no #${id}`);
  return el as T;
}
const show = (id: string, visible: boolean) => {
  byId(id).hidden = !visible;
};
const setText = (id: string, text: string) => {
  byId(id).textContent = text;
};

let accountId: string | null = new URLSearchParams(location.search).get('accountId');
let current: AccountStatus | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

async function readJson<T>(res: Response): Promise<T | null> {
  try {
    return (await res.json()) as T;
  } catch {
    return null;
  }
}

async function getJson<T>(url: string): Promise<ApiAnswer<T & ApiErrorBody>> {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  return { status: res.status, ok: res.ok, body: await readJson<T & ApiErrorBody>(res) };
}

const statusUrl = (id: string | null) => `/api/sync/status${id ? `?accountId=${encodeURIComponent(id)}` : ''}`;
const errorMessage = (r: ApiAnswer<ApiErrorBody>) => r.body?.error?.message ?? `The API answered ${r.status}`;
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function renderPicker(accounts: AccountSummary[] | null): void {
  if (!accounts) {
    show('account-picker-wrap', false);
    return;
  }
  const picker = byId<HTMLSelectElement>('account-picker');
  const ids = accounts.map((a) => a.accountId);
  if (!accountId || !ids.includes(accountId)) accountId = ids[0] ?? null;
  if (picker.dataset.ids !== ids.join('\n')) {
    picker.replaceChildren(
      ...accounts.map((a) => {
        const option = document.createElement('option');
        option.value = a.accountId;
        option.textContent = accountChoiceText(a);
        return option;
      }),
    );
    picker.dataset.ids = ids.join('\n');
  }
  if (accountId) picker.value = accountId;
  show('account-picker-wrap', true);
}

function render(s: AccountStatus): void {
  const now = new Date();
  current = s;
  show('status', true);
  show('no-accounts-banner', false);
  setText('account-name', accountName(s));
  const state = byId('state');
  state.textContent = stateText(s.state);
  state.dataset.state = s.state;
  setText('phase', s.phase);
  const overall = byId('overall-percent');
  overall.textContent = percentText(s.overallPercent);
  overall.dataset.percent = String(s.overallPercent);
  setText('eta', etaText(s, now));
  for (const p of s.phases) {
    const el = document.getElementById(`phase-${p.entity}`);
    if (!el) continue;
    el.dataset.synced = String(p.synced);
    el.dataset.total = p.total === null ? '' : String(p.total);
    el.dataset.percent = String(p.percent);
    el.dataset.complete = String(p.complete);
    el.querySelector('.phase-count')!.textContent = phaseCountText(p);
    // Set through the CSSOM, which the CSP allows (an inline style attribute it would refuse).
    el.querySelector<HTMLElement>('.fill')!.style.width = percentText(p.percent);
    el.querySelector('.bar')!.setAttribute('aria-valuenow', String(p.percent));
  }

  const rateLimit = rateLimitText(s, now);
  const rateLimitBanner = byId('rate-limit-banner');
  if (rateLimit !== null) {
    rateLimitBanner.textContent = rateLimit;
    rateLimitBanner.dataset.resetAt = s.rateLimit.resetAt ?? '';
  }
  show('rate-limit-banner', rateLimit !== null);

  const loginProblem = loginProblemText(s);
  if (loginProblem !== null) setText('login-message', loginProblem);
  const loginBanner = byId('login-banner');
  loginBanner.dataset.loginState = s.login.state;
  loginBanner.dataset.expiresAt = s.login.expiresAt;
  show('login-banner', loginProblem !== null);

  setText('incremental', incrementalText(s, now));
  setText('playback', playbackText(s, now));

  setText('history-import', historyImportText(s) ?? 'None yet.');
  const importLink = byId<HTMLAnchorElement>('history-import-link');
  importLink.href = s.import ? historyImportHref(s.import.importId) : '/history/import';
  importLink.textContent = s.import ? 'Details' : 'Import your Spotify history';

  if (s.temporalUiUrl) byId<HTMLAnchorElement>('temporal-link').href = s.temporalUiUrl;
  show('temporal-link-wrap', Boolean(s.temporalUiUrl));

  byId<HTMLButtonElement>('pause').disabled = s.state === 'paused';
  byId<HTMLButtonElement>('resume').disabled = s.state !== 'paused';
  setText('updated-at', updatedAtText(now));
}

async function refresh(): Promise<void> {
  try {
    const overview = await getJson<StatusAnswer>(statusUrl(null));
    if (overview.status === 404 && overview.body?.error?.code === 'no_accounts') {
      show('status', false);
      show('account-picker-wrap', false);
      show('no-accounts-banner', true);
      show('error-banner', false);
      return;
    }
    if (!overview.ok || !overview.body) throw new Error(errorMessage(overview));
    let result = overview;
    if ('accounts' in overview.body) {
      renderPicker(overview.body.accounts);
      result = await getJson<StatusAnswer>(statusUrl(accountId));
    } else {
      renderPicker(null);
      if (accountId && accountId !== overview.body.accountId) result = await getJson<StatusAnswer>(statusUrl(accountId));
    }
    if (!result.ok || !result.body || 'accounts' in result.body) throw new Error(errorMessage(result));
    render(result.body);
    show('error-banner', false);
  } catch (error) {
    setText('error-banner', `Could not load the status: ${describe(error)} (retrying every 5 s)`);
    show('error-banner', true);
  } finally {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), refreshMs);
  }
}

function post(action: Action): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = sessionStorage.getItem(tokenKey);
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(`/api/sync/${action}`, { method: 'POST', headers, body: JSON.stringify(current ? { accountId: current.accountId } : {}) });
}

function outcomeText(action: Action, delivered: string[]): string {
  if (action === 'reset') return 'The initial sync starts over.';
  const n = delivered.length;
  return n ? `${action} sent to ${n} workflow${n === 1 ? '' : 's'}.` : `No running workflow got the ${action} signal.`;
}

async function control(action: Action): Promise<void> {
  if (action === 'reset' && !confirm('Start the initial sync over? Saved data and play history stay; progress starts from zero.')) return;
  const message = byId('action-message');
  const buttons = (['pause', 'resume', 'reset'] as const).map((id) => byId<HTMLButtonElement>(id));
  for (const b of buttons) {
    b.dataset.wasDisabled = String(b.disabled);
    b.disabled = true;
  }
  message.textContent = `${action.charAt(0).toUpperCase()}${action.slice(1)}…`;
  try {
    let res = await post(action);
    if (res.status === 401) {
      const token = prompt(`This server needs its API token (API_TOKEN) for ${action}:`);
      if (token) {
        sessionStorage.setItem(tokenKey, token.trim());
        res = await post(action);
      }
    }
    const body = await readJson<{ delivered?: string[] } & ApiErrorBody>(res);
    if (res.status === 202) {
      message.textContent = outcomeText(action, body?.delivered ?? []);
    } else {
      if (res.status === 401) sessionStorage.removeItem(tokenKey);
      message.textContent = body?.error?.message ?? `${action} failed (${res.status})`;
    }
  } catch (error) {
    message.textContent = `${action} failed: ${describe(error)}`;
  } finally {
    for (const b of buttons) b.disabled = b.dataset.wasDisabled === 'true';
    void refresh();
  }
}

for (const action of ['pause', 'resume', 'reset'] as const) byId(action).addEventListener('click', () => void control(action));
byId<HTMLSelectElement>('account-picker').addEventListener('change', (event) => {
  accountId = (event.target as HTMLSelectElement).value;
  const url = new URL(location.href);
  url.searchParams.set('accountId', accountId);
  history.replaceState(null, '', url);
  void refresh();
});
void refresh();
