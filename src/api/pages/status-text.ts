import type { AccountStatus, AccountSummary, PhaseStatus } from '../schemas.js';
import type { ControlAction, ControlTarget } from '../sync-controls.js';

/**
 * The words and numbers of the status page, one rule each (the server renders all of them: the page,
 * and the panel its script swaps in every 5 s). Pure functions.
 */

const numbers = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => numbers.format(n);
/** "1 play", "1,234 plays". */
export const formatCounted = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

const dayNumber = (d: Date): number => Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 86_400_000);

/** "14:05 UTC today", "… tomorrow", "… yesterday", or "… on 2026-01-09". */
export function whenUtc(iso: string, now: Date): string {
  const d = new Date(iso);
  const time = `${d.toISOString().slice(11, 16)} UTC`;
  const days = dayNumber(d) - dayNumber(now);
  if (days === 0) return `${time} today`;
  if (days === 1) return `${time} tomorrow`;
  if (days === -1) return `${time} yesterday`;
  return `${time} on ${d.toISOString().slice(0, 10)}`;
}

/** "2 d 3 h", "1 h 20 min", "less than a minute". */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m && !d ? `${m} min` : ''].filter(Boolean).join(' ');
}

export const stateText = (state: AccountStatus['state'] | NonNullable<AccountStatus['import']>['state']): string => state.replace('_', ' ');

export const accountName = (s: Pick<AccountStatus, 'accountId' | 'displayName'>): string => (s.displayName ? `${s.displayName} (${s.accountId})` : s.accountId);

/** "savedAlbums" → "Saved albums": the phase's name as a person writes it. */
export const entityLabel = (entity: PhaseStatus['entity']): string => {
  const words = entity.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** "350 / 700 · 50%" ("?" while the total is unknown). */
export function phaseCountText(p: PhaseStatus): string {
  // After a reset, a phase with nothing missing completes at once with nothing fetched: say so, not "0 / 0".
  if (p.complete && p.synced === 0) return 'nothing to fetch: all stored · 100%';
  if (!p.complete && p.synced === 0 && p.total === null) return 'not started yet';
  return `${formatCount(p.synced)} / ${p.total === null ? '?' : formatCount(p.total)} · ${p.percent}%`;
}

/** What a run of the initial sync rebuilds (a first one, or one after a reset): nothing stored is thrown away. */
export const rebuildText =
  'This run reads your saved tracks and playlists from Spotify again and fetches only the artist and album details still missing; everything already stored stays readable meanwhile.';

export const percentText = (percent: number): string => `${percent}%`;

/** "about 3 days", "about 5 hours", "about 20 minutes", "less than a minute". */
export function aboutDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const plural = (n: number, unit: string) => `about ${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 90) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 36) return plural(hours, 'hour');
  return plural(Math.round(hours / 24), 'day');
}

/** How long the initial sync has left, in words: "about 3 days (2 more quota windows)". Null without an ETA. */
export function etaWords(s: Pick<AccountStatus, 'eta' | 'etaDetail'>, now: Date): string | null {
  if (!s.eta) return null;
  const about = aboutDuration(new Date(s.eta).getTime() - now.getTime());
  const windows = s.etaDetail?.basis === 'quota' ? s.etaDetail.windowsLeft : 0;
  return windows > 0 ? `${about} (${formatCounted(windows, 'more quota window', 'more quota windows')})` : about;
}

export function etaText(s: AccountStatus, now: Date): string {
  const words = etaWords(s, now);
  if (s.eta && words) return `${words} · ${whenUtc(s.eta, now)}`;
  return s.state === 'complete' ? 'done' : '—';
}

/** The rate-limit banner, or null when Spotify is not holding the sync back. */
export function rateLimitText(s: AccountStatus, now: Date): string | null {
  const rl = s.rateLimit;
  if (!rl.limited) return null;
  const entity = s.phase === 'complete' ? 'tracks' : s.phase;
  const p = s.phases.find((x) => x.entity === entity);
  const saved = p ? `${p.total === null ? formatCount(p.synced) : `${formatCount(p.synced)} of ${formatCount(p.total)}`} ${entity} saved` : '';
  const until = rl.resetAt ? `Paused by Spotify until ${whenUtc(rl.resetAt, now)}` : 'Paused by Spotify (rate limit)';
  return `${until}${saved ? ` — ${saved}` : ''}. The sync resumes by itself.`;
}

/** The login banner's message, or null when the login is fine. */
export function loginProblemText(s: AccountStatus): string | null {
  return s.needsLogin || s.login.state !== 'ok' ? (s.login.message ?? '') : null;
}

export function incrementalText(s: AccountStatus, now: Date): string {
  const inc = s.incremental;
  const next = inc.nextRunAt ? whenUtc(inc.nextRunAt, now) : null;
  return inc.lastRunAt
    ? `Last run ${whenUtc(inc.lastRunAt, now)}${inc.lastResult ? ` (${inc.lastResult.outcome})` : ''}; next ${next ?? '—'}`
    : `Not run yet; first run ${next ?? 'after the initial sync'}`;
}

export function playbackText(s: AccountStatus, now: Date): string {
  const pb = s.playback;
  const imported = pb.bySource.extended_export + pb.bySource.account_export;
  return (
    `${pb.paused ? 'Paused · ' : ''}${formatCounted(pb.bySource.poll, 'play')} recorded by polling` +
    (imported > 0 ? ` (and ${formatCount(imported)} imported from your data export)` : '') +
    ` · ${formatCounted(pb.gaps, 'gap')} · last poll ${pb.lastPolledAt ? whenUtc(pb.lastPolledAt, now) : 'not yet'}`
  );
}

/** The latest history import in a line, or null when the account has none. */
export function historyImportText(s: AccountStatus): string | null {
  const imp = s.import;
  if (!imp) return null;
  const state = imp.state === 'running' ? `${imp.phase === 'complete' ? 'finishing' : imp.phase} phase` : stateText(imp.state);
  const parts = [
    `${formatCount(imp.files.done)} of ${formatCounted(imp.files.total, 'file')}`,
    `${formatCounted(imp.plays, 'play')} stored`,
    `${formatCount(imp.duplicates)} already known`,
  ];
  // Plays are marked unresolved only once Spotify or the catalog had no track for them: nothing is left to look up.
  if (imp.unresolved > 0) parts.push(`${formatCounted(imp.unresolved, 'play')} kept by name only (no catalog track)`);
  if (imp.skipped > 0) parts.push(`${formatCounted(imp.skipped, 'entry', 'entries')} skipped`);
  return `Latest import: ${state} · ${parts.join(' · ')}`;
}

/** Where the latest import's own page is. */
export const historyImportHref = (importId: string): string => `/history/import/${encodeURIComponent(importId)}`;

/** One entry of the account picker: "Name — running (42%)". */
export const accountChoiceText = (a: AccountSummary): string => `${a.displayName || a.accountId} — ${stateText(a.state)} (${a.overallPercent}%)`;

const targetText: Record<ControlTarget, string> = { all: 'the sync and playback tracking', sync: 'the sync', playback: 'playback tracking' };

/** What a control did, as the page says after it. */
export function outcomeText(action: ControlAction, delivered: number, target: ControlTarget = 'all'): string {
  if (action === 'reset') return 'The initial sync starts over.';
  return delivered
    ? `${action} sent to ${delivered} workflow${delivered === 1 ? '' : 's'} (${targetText[target]}).`
    : `Nothing to ${action}: no workflow of ${targetText[target]} is running.`;
}

/** The question Reset asks first (a dialog with JavaScript, the controls card without). */
export const resetQuestion = 'Start the initial sync over? Saved data and play history stay; progress starts from zero.';

/** The time of the last refresh, as the footer shows it. */
export const updatedAtText = (at: Date): string => `${at.toISOString().slice(11, 19)} UTC`;
