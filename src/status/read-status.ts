import { latestHistoryImport } from './read-history-import.js';
import type { Db } from '../db/connect.js';
import type { AccountRow, IncrementalRunRow, SyncHistoryRow, SyncStateRow } from '../db/rows.js';
import { initialSyncWorkflowId } from '../ids.js';
import { loginStatus } from '../accounts/login-status.js';
import { batchEntities, catalogEntities, type BatchEntity, type SyncStateName } from '../../workflows/contract.js';
import type { AccountStatus, AccountSummary, EtaDetail, IncrementalStatus, MissingScopes, PhaseStatus, PlaybackSummary, RateLimitStatus } from './account-status.js';
import { batchesLeft, callsEstimated, callsLeft, entitiesPerCall } from './calls-left.js';
import { etaInCalls } from './eta-in-calls.js';
import { readWorkLeft, uncommittedWindowCalls } from './work-left.js';
import { quotaWindowOf, windowOver } from '../quota/quota-window.js';

export type { AccountStatus, AccountSummary } from './account-status.js';

export interface ReadStatusOptions {
  now: Date;
  incrementalIntervalHours: number;
  /** Where the Temporal UI is; without it `temporalUiUrl` is null. `config.temporal` fits. */
  temporalUi?: { uiUrl: string; namespace: string };
  /** The Spotify app whose quota the ETA counts with (`config.spotify.clientId`, else the demo app); unset: the app seen last. */
  spotifyClientId?: string;
  /** How long a quota window lasts until one is learned (RATE_LIMIT_FALLBACK_HOURS; default 24). */
  rateLimitFallbackHours?: number;
  /** Calls a worker runs at once (SPOTIFY_MAX_CONCURRENCY; default 8): a quota window's start-up. */
  maxConcurrency?: number;
}

/** How many recent batches the pace (and so the ETA) is measured over. */
const paceWindowBatches = 50;
/** How long after the last call counted its data may still be uncommitted. */
const uncommittedHorizonMs = 5_000;
/** A gap between two batches longer than this is a wait (pause, rate limit, worker down), not work. */
const maxWorkGapMs = 10 * 60_000;

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
// ':' is valid in a path segment and keeps workflow ids readable (initial-sync:<accountId>).
const pathSegment = (s: string): string => encodeURIComponent(s).replace(/%3A/gi, ':');
const round1 = (n: number): number => Math.round(n * 10) / 10;

function phaseStatus(entity: BatchEntity, row: SyncStateRow | undefined): PhaseStatus {
  if (!row) return { entity, synced: 0, total: null, percent: 0, complete: false };
  const complete = row.is_complete;
  const synced = row.synced_count;
  const total = row.total_estimated ?? (complete ? synced : null);
  let percent = 0;
  if (complete) percent = 100;
  else if (total && total > 0) percent = Math.min(99.9, round1((synced / total) * 100));
  return { entity, synced, total, percent, complete };
}

/**
 * The phases as the overall figure weighs them: the catalog's four, and the collections as one (the
 * `collections` sync phase: its five listings are small next to the catalog, and counting each as a
 * phase of its own would make a library without podcasts look five ninths unfinished).
 */
function overallParts(phases: PhaseStatus[]): PhaseStatus[] {
  const catalog = phases.filter((p) => (catalogEntities as readonly string[]).includes(p.entity));
  const collections = phases.filter((p) => !(catalogEntities as readonly string[]).includes(p.entity));
  if (collections.length === 0) return catalog;
  const known = collections.every((p) => p.complete || p.total !== null);
  const synced = collections.reduce((n, p) => n + p.synced, 0);
  const total = known ? collections.reduce((n, p) => n + (p.complete ? Math.max(p.total ?? 0, p.synced) : (p.total ?? 0)), 0) : null;
  const complete = collections.every((p) => p.complete);
  const percent = complete ? 100 : round1(collections.reduce((n, p) => n + p.percent, 0) / collections.length);
  return [...catalog, { entity: 'savedAlbums', synced, total, percent, complete }];
}

function overallPercent(state: SyncStateName, phases: PhaseStatus[]): number {
  if (state === 'complete') return 100;
  const parts = overallParts(phases);
  // A phase still ahead whose size is unknown cannot be weighed by items: weighing only the known ones
  // read 99.9% with three phases at 0. Until every size is known, each phase weighs the same.
  if (parts.some((p) => !p.complete && p.total === null)) return round1(parts.reduce((n, p) => n + p.percent, 0) / parts.length);
  let done = 0;
  let total = 0;
  for (const p of parts) {
    const phaseTotal = p.complete ? Math.max(p.total ?? 0, p.synced) : (p.total ?? 0);
    total += phaseTotal;
    done += Math.min(p.synced, phaseTotal);
  }
  if (total === 0) return 0;
  // 100 means the sync says it is complete; until then the estimate stops just short of it.
  return Math.min(99.9, round1((done / total) * 100));
}

function phasesOf(rows: SyncStateRow[]): PhaseStatus[] {
  return batchEntities.map((entity) => {
    const phase = phaseStatus(
      entity,
      rows.find((r) => r.phase === 'initial' && r.entity_type === entity),
    );
    const missing = missingScopeOf(rows, entity);
    return missing ? { ...phase, missingScope: missing } : phase;
  });
}

/**
 * The scope an entity's latest read lacked: the current incremental run's row once it has one (a new
 * login that granted the scope clears it there), else the initial sync's.
 */
function missingScopeOf(rows: SyncStateRow[], entity: BatchEntity): string | null {
  const latest = rows.find((r) => r.phase === 'incremental' && r.entity_type === entity) ?? rows.find((r) => r.phase === 'initial' && r.entity_type === entity);
  return latest?.missing_scope ?? null;
}

/** The status's request for a new login when collections were skipped for want of a scope (absent when none was). */
export function missingScopesOf(phases: PhaseStatus[]): MissingScopes | undefined {
  const skipped = phases.filter((p) => p.missingScope);
  if (skipped.length === 0) return undefined;
  const scopes = [...new Set(skipped.map((p) => p.missingScope!))].sort();
  const names = skipped.map((p) => collectionLabels[p.entity] ?? p.entity);
  return {
    scopes,
    entities: skipped.map((p) => p.entity),
    message: `This login does not grant ${scopes.join(' and ')}, so ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not synced (everything else is). Log in again to grant ${scopes.length === 1 ? 'it' : 'them'}; the next sync reads the rest.`,
    loginUrl: '/auth/login',
  };
}

const collectionLabels: Partial<Record<BatchEntity, string>> = {
  savedAlbums: 'saved albums',
  followedArtists: 'followed artists',
  savedShows: 'saved shows',
  savedEpisodes: 'saved episodes',
  savedAudiobooks: 'saved audiobooks',
};

function rateLimitOf(state: SyncStateName, rows: SyncStateRow[], now: Date): RateLimitStatus {
  const withReset = rows.filter((r) => r.rate_limit_reset_at !== null).sort((a, b) => new Date(b.rate_limit_reset_at!).getTime() - new Date(a.rate_limit_reset_at!).getTime());
  // A quota or headerless 429 with its reset time ahead is a wait (durable, or retried in place for a
  // few minutes); a short one is over in seconds and shows only while the state says so.
  const futureQuota = withReset.find((r) => r.rate_limit_kind !== 'short' && new Date(r.rate_limit_reset_at!).getTime() > now.getTime());
  const limited = state === 'rate_limited' || futureQuota !== undefined;
  if (!limited) return { limited: false, kind: null, hitAt: null, resetAt: null };
  const row = futureQuota ?? withReset[0] ?? rows.filter((r) => r.rate_limit_hit_at !== null)[0];
  return {
    limited: true,
    kind: row?.rate_limit_kind ?? null,
    hitAt: iso(row?.rate_limit_hit_at),
    resetAt: iso(row?.rate_limit_reset_at),
  };
}

/**
 * Items per second over the recent batches of the current initial sync: batch durations plus the
 * wall-clock between batches (which includes Spotify's latency and the worker's own overhead), but not
 * the waits (rate limits, pauses, a stopped worker). Null until there is something to measure.
 */
export function measurePace(history: SyncHistoryRow[], per: 'items' | 'api_calls' = 'items'): number | null {
  const batches = [...history].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  let items = 0;
  let ms = 0;
  batches.forEach((batch, i) => {
    items += batch[per];
    const previous = batches[i - 1];
    if (!previous) {
      ms += batch.duration_ms;
      return;
    }
    const gap = new Date(batch.created_at).getTime() - new Date(previous.created_at).getTime();
    const waited = previous.rate_limited || gap > Math.max(maxWorkGapMs, 5 * batch.duration_ms);
    ms += waited ? batch.duration_ms : Math.max(gap, batch.duration_ms);
  });
  if (items <= 0 || ms <= 0) return null;
  return items / (ms / 1000);
}

/**
 * What the ETA in calls counts work with: the time of a call inside the batches (their durations over
 * their calls: the calls run several at once) and the time between two batches beyond the later one's
 * duration (the workflow starting the next activity), which a phase of one-call pages pays per call.
 * Waits (a rate limit before a batch, a gap of a pause) count in neither. Null until measured.
 */
export function measureCallWork(history: SyncHistoryRow[]): { callPace: number; batchOverheadMs: number } | null {
  const batches = [...history].filter((b) => b.entity_type !== 'playback').sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  let calls = 0;
  let ms = 0;
  let overheadMs = 0;
  let pairs = 0;
  batches.forEach((batch, i) => {
    calls += batch.api_calls;
    ms += batch.duration_ms;
    const previous = batches[i - 1];
    if (!previous) return;
    const gap = new Date(batch.created_at).getTime() - new Date(previous.created_at).getTime();
    if (previous.rate_limited || gap > Math.max(maxWorkGapMs, 5 * batch.duration_ms)) return;
    overheadMs += Math.max(0, gap - batch.duration_ms);
    pairs += 1;
  });
  if (calls <= 0 || ms <= 0) return null;
  return { callPace: calls / (ms / 1000), batchOverheadMs: pairs > 0 ? overheadMs / pairs : 0 };
}

/**
 * The ETA in calls (eta-in-calls.ts): the calls the phases still need, the app's quota as learned,
 * the wait ahead and the measured pace. Null while the sync waits for a person, is done, or has no pace yet.
 */
async function etaOfAccount(
  db: Db,
  a: {
    accountId: string;
    state: SyncStateName;
    phases: PhaseStatus[];
    history: SyncHistoryRow[];
    rateLimit: RateLimitStatus;
    appMode: string | null;
    now: Date;
    options: ReadStatusOptions;
  },
): Promise<{ eta: string | null; etaDetail: EtaDetail | null }> {
  if (a.state === 'complete' || a.state === 'paused' || a.state === 'needs_reauth' || a.state === 'failed' || a.state === 'not_started') return { eta: null, etaDetail: null };
  const appMode = a.appMode === 'extended' || a.appMode === 'development' ? a.appMode : 'unknown';
  const [work, quotaRow] = await Promise.all([
    readWorkLeft(db, a.accountId, { phases: a.phases, history: a.history, appMode }),
    a.options.spotifyClientId ? db('spotify_app_quota').where({ client_id: a.options.spotifyClientId }).first() : db('spotify_app_quota').orderBy('updated_at', 'desc').first(),
  ]);
  const waitUntil = a.rateLimit.limited && a.rateLimit.resetAt ? new Date(a.rateLimit.resetAt).getTime() : null;
  const quota = quotaWindowOf(quotaRow);
  const fallbackMs = (a.options.rateLimitFallbackHours ?? 24) * 3_600_000;
  const now = a.now.getTime();
  const inWindow = quota.callsPerWindow !== null && quota.windowMs !== null && quota.windowStartedAt !== null && !windowOver(quota, now, fallbackMs);
  // Only calls made a moment ago can be uncommitted: an enrichment commits what it fetched every second
  // (and the clocks compared below may differ: the worker's for the details, Spotify's for the window).
  const callsUnderWay = quota.lastCallAt !== null && now - quota.lastCallAt < uncommittedHorizonMs;
  const uncommittedCalls =
    inWindow && callsUnderWay
      ? await uncommittedWindowCalls(db, {
          windowStartedAt: quota.windowStartedAt as number,
          windowMs: quota.windowMs as number,
          windowCalls: quota.windowCalls,
          history: a.history,
          perCall: { artists: entitiesPerCall(work, 'artists'), albums: entitiesPerCall(work, 'albums') },
        })
      : 0;
  const result = etaInCalls({
    callsLeft: callsLeft(work),
    callsEstimated: callsEstimated(work),
    uncommittedCalls,
    ...(measureCallWork(a.history) ?? { callPace: null }),
    batchesLeft: batchesLeft(work),
    maxConcurrency: a.options.maxConcurrency ?? 8,
    quota,
    fallbackMs,
    waitUntil,
    now,
  });
  return result ? { eta: new Date(result.eta).toISOString(), etaDetail: result.detail } : { eta: null, etaDetail: null };
}

function incrementalOf(account: AccountRow, latest: IncrementalRunRow | undefined, intervalHours: number): IncrementalStatus {
  const intervalMs = intervalHours * 3_600_000;
  if (!latest) {
    return { lastRunAt: null, nextRunAt: iso(new Date(new Date(account.connected_at).getTime() + intervalMs)), lastResult: null };
  }
  const lastRunAt = new Date(latest.started_at);
  const { outcome: _stored, ...result } = latest.result ?? {};
  return {
    lastRunAt: lastRunAt.toISOString(),
    nextRunAt: new Date(lastRunAt.getTime() + intervalMs).toISOString(),
    lastResult: { outcome: latest.outcome, ...result },
  };
}

/** Plays recorded per source, from the daily rollup (a few rows a day, not the plays themselves). */
async function playsBySource(db: Db, accountId: string): Promise<PlaybackSummary['bySource']> {
  const rows = (await db('play_rollup_days').where({ account_id: accountId }).groupBy('source').select('source').sum({ plays: 'plays' })) as { source: string; plays: string }[];
  const count = (source: string) => Number(rows.find((r) => r.source === source)?.plays ?? 0);
  return { poll: count('poll'), extended_export: count('extended_export'), account_export: count('account_export') };
}

async function countRows(db: Db, table: string, accountId: string): Promise<number> {
  const row = (await db(table).where({ account_id: accountId }).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * The status of one account, read from Postgres only (it answers while Temporal is down). Null when
 * the account is unknown. Used by the HTTP API and the CLI.
 */
export async function readAccountStatus(db: Db, accountId: string, options: ReadStatusOptions): Promise<AccountStatus | null> {
  const account = await db('accounts').where({ id: accountId }).first();
  if (!account) return null;
  const { now } = options;

  const [stateRows, latestRun, gaps, bySource] = await Promise.all([
    db('sync_state').where({ account_id: accountId }),
    db('incremental_runs')
      .where({ account_id: accountId })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first(),
    countRows(db, 'playback_gaps', accountId),
    playsBySource(db, accountId),
  ]);

  // Only batches of the current initial sync count towards its pace: a reset recreates its rows.
  const initialRows = stateRows.filter((r) => r.phase === 'initial');
  const runStartedAt = initialRows.length ? new Date(Math.min(...initialRows.map((r) => new Date(r.started_at).getTime()))) : null;
  const history = runStartedAt
    ? await db('sync_history')
        .where({ account_id: accountId, phase: 'initial' })
        .andWhere('created_at', '>=', runStartedAt)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(paceWindowBatches)
    : [];

  // Every play is in the daily rollup once (by source and short-or-not): summing it spares counting the plays.
  const plays = bySource.poll + bySource.extended_export + bySource.account_export;
  const state = account.sync_state;
  const phases = phasesOf(stateRows);
  const rateLimit = rateLimitOf(state, stateRows, now);
  const playbackRow = stateRows.find((r) => r.phase === 'playback' && r.entity_type === 'playback');
  const ui = options.temporalUi;
  const latestImport = await latestHistoryImport(db, accountId);

  return {
    accountId: account.id,
    displayName: account.display_name,
    state,
    phase: account.sync_phase,
    stateChangedAt: new Date(account.sync_state_changed_at).toISOString(),
    needsLogin: account.needs_reauth || state === 'needs_reauth',
    login: loginStatus(account, now),
    phases,
    overallPercent: overallPercent(state, phases),
    rateLimit,
    ...(await etaOfAccount(db, { accountId, state, phases, history, rateLimit, appMode: account.app_mode, now, options })),
    incremental: incrementalOf(account, latestRun, options.incrementalIntervalHours),
    playback: {
      lastPolledAt: playbackRow && playbackRow.batches > 0 ? iso(playbackRow.last_updated_at) : null,
      plays,
      gaps,
      bySource,
      paused: account.playback_paused_at !== null,
      pausedAt: iso(account.playback_paused_at),
    },
    temporalUiUrl: ui ? `${ui.uiUrl}/namespaces/${pathSegment(ui.namespace)}/workflows/${pathSegment(initialSyncWorkflowId(account.id))}` : null,
    ...(missingScopesOf(phases) ? { missingScopes: missingScopesOf(phases) } : {}),
    ...(latestImport
      ? {
          import: {
            importId: latestImport.importId,
            state: latestImport.state,
            phase: latestImport.phase,
            files: { done: latestImport.files.done, total: latestImport.files.total },
            plays: latestImport.plays,
            duplicates: latestImport.duplicates,
            unresolved: latestImport.unresolved,
            skipped: latestImport.skipped,
          },
        }
      : {}),
  };
}

/** Every connected account with a one-line summary, oldest connection first. */
export async function listAccounts(db: Db): Promise<AccountSummary[]> {
  const [accounts, stateRows] = await Promise.all([
    db('accounts')
      .select('id', 'display_name', 'sync_state', 'sync_phase')
      .orderBy([
        { column: 'connected_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]),
    db('sync_state').where({ phase: 'initial' }),
  ]);
  return accounts.map((account) => {
    const phases = phasesOf(stateRows.filter((r) => r.account_id === account.id));
    return {
      accountId: account.id,
      displayName: account.display_name,
      state: account.sync_state,
      phase: account.sync_phase,
      overallPercent: overallPercent(account.sync_state, phases),
    };
  });
}
