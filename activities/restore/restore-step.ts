import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { loginProblemOf, recordLoginProblem } from '../../src/accounts/login-status.js';
import type { SpotifyClient } from '../../src/spotify/client.js';
import { SpotifyForbiddenError, SpotifyNotFoundError, SpotifyRateLimitError, SpotifyRequestError } from '../../src/spotify/errors.js';
import { LIBRARY_WRITE_SIZE, PLAYLIST_WRITE_SIZE, READ_PAGE_SIZE, WRITES_PER_STEP } from '../../src/versions/restore-plan.js';
import type { RateLimitWait } from '../../workflows/batch-result.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';
import { decideRateLimit, rateLimitRetryFailure } from '../shared/rate-limit-policy.js';
import { openSpotifySession } from '../shared/spotify-session.js';
import { checkpointRestore, finishRestore, loadRestore, type RestoreRow } from '../store/restores-store.js';
import { recordCalls } from '../store/sync-state-store.js';

/** What one step of a restore tells its workflow. */
export type RestoreStepResult = { done: number; total: number; apiCalls: number; verified: boolean | null } & (
  { outcome: 'progress' | 'done' | 'needs_reauth' | 'needs_scope' | 'failed' } | RateLimitWait
);

/** Writes per activity: the workflow sees progress (and a pause) between steps. */

class Progress {
  writes = 0;
  constructor(
    readonly row: RestoreRow,
    readonly client: SpotifyClient,
    readonly calls: { length: number },
  ) {}
  get apiCalls(): number {
    return this.row.api_calls + this.calls.length;
  }
  beat(): void {
    try {
      Context.current().heartbeat({ done: this.row.done });
    } catch {
      // outside an activity (the benchmark's plain loop)
    }
  }
}

function attemptOf(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/**
 * One step of a restore (restoreWorkflow): up to WRITES_PER_STEP writes, each checkpointed at once
 * (restores.done and the snapshot Spotify answered), then, once everything is written, the result read
 * back and compared with the target (`verified`). A step that starts where a write may have happened
 * without its checkpoint (a snapshot other than the one checkpointed) reads the playlist back first and
 * carries on from what it holds, so no entry is ever added twice.
 */
export async function restoreStep(deps: ActivityDeps, input: { restoreId: string }): Promise<RestoreStepResult> {
  const row = await loadRestore(deps.db, input.restoreId);
  const session = openSpotifySession(deps, row.account_id);
  const step = new Progress(row, session.client, session.calls);
  const base = () => ({ done: row.done, total: row.total, apiCalls: step.apiCalls, verified: null });
  try {
    let verified: boolean;
    if (row.target.kind === 'saved') verified = await savedStep(deps, step);
    else if (row.plan.action === 'follow') verified = await followStep(deps, step);
    else {
      const finished = await playlistStep(deps, step);
      if (!finished) {
        await recordCalls(deps.db, row.account_id, session.calls);
        return { ...base(), outcome: 'progress' };
      }
      verified = await verifyPlaylist(step);
    }
    await finishRestore(
      deps.db,
      row.id,
      {
        state: 'complete',
        apiCalls: step.apiCalls,
        result: {
          playlistId: row.playlist_id,
          created: row.created,
          added: row.plan.add.length,
          removed: row.plan.remove.length,
          notRestorable: row.plan.notRestorable.length,
          verified,
        },
      },
      nowOf(deps),
    );
    await recordCalls(deps.db, row.account_id, session.calls);
    log.info('restore finished', { restoreId: row.id, verified });
    return { ...base(), outcome: 'done', verified };
  } catch (error) {
    await recordCalls(deps.db, row.account_id, session.calls);
    return settle(deps, step, error, base);
  }
}

/** A 429 through the sync's rate-limit rules; a lost login or a missing scope stops the restore; a refused write fails it. */
async function settle(deps: ActivityDeps, step: Progress, error: unknown, base: () => Omit<RestoreStepResult, 'outcome'>): Promise<RestoreStepResult> {
  const { row } = step;
  const now = nowOf(deps);
  if (error instanceof SpotifyRateLimitError) {
    const decision = decideRateLimit(error, row.rate_limit_streak, deps.config.sync.rateLimitFallbackHours);
    const waitMs = decision.action === 'retry' ? decision.delaySeconds * 1000 : decision.waitMs;
    await checkpointRestore(deps.db, row.id, { rate_limit_streak: decision.streak, api_calls: step.apiCalls, rate_limited_until: new Date(now.getTime() + waitMs) }, now);
    if (decision.action === 'retry') throw rateLimitRetryFailure(`on ${error.endpoint}`, decision.kind, decision.delaySeconds);
    return {
      ...base(),
      outcome: 'rate_limited',
      retryAfterMs: waitMs,
      resetAt: new Date(now.getTime() + waitMs).toISOString(),
      retryAfterSource: decision.source,
      rateLimitKind: decision.kind,
      ...(decision.probe === undefined ? {} : { probe: decision.probe }),
    };
  }
  const loginProblem = loginProblemOf(error);
  if (loginProblem) {
    await recordLoginProblem(deps.db, row.account_id, loginProblem, now);
    await checkpointRestore(deps.db, row.id, { state: 'needs_reauth', api_calls: step.apiCalls }, now);
    return { ...base(), outcome: 'needs_reauth' };
  }
  if (error instanceof SpotifyForbiddenError && error.message.includes('Insufficient client scope')) {
    await checkpointRestore(deps.db, row.id, { state: 'needs_scope', api_calls: step.apiCalls }, now);
    return { ...base(), outcome: 'needs_scope' };
  }
  if (error instanceof SpotifyForbiddenError || error instanceof SpotifyNotFoundError || error instanceof SpotifyRequestError) {
    log.warn('Spotify refused a restore write', { restoreId: row.id, endpoint: error.endpoint });
    await checkpointRestore(deps.db, row.id, { state: 'failed', api_calls: step.apiCalls }, now);
    return { ...base(), outcome: 'failed' };
  }
  throw ApplicationFailure.create({ type: 'RestoreStepError', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

async function readUris(client: SpotifyClient, playlistId: string, step: Progress): Promise<string[]> {
  const uris: string[] = [];
  for (let offset = 0; ; offset += READ_PAGE_SIZE) {
    const page = await client.getPlaylistItems(playlistId, { limit: READ_PAGE_SIZE, offset });
    step.beat();
    for (const entry of page.items) {
      const item = (entry?.item ?? entry?.track ?? null) as { uri?: string | null } | null;
      uris.push(item?.uri ?? '');
    }
    if (page.items.length < READ_PAGE_SIZE || offset + page.items.length >= page.total) return uris;
  }
}

const isPrefix = (current: readonly string[], target: readonly string[]) => current.length <= target.length && current.every((u, i) => u === target[i]);

/** The writes of a playlist restore; true once every entry is written. */
async function playlistStep(deps: ActivityDeps, step: Progress): Promise<boolean> {
  const { row, client } = step;
  const target = row.target_uris;
  const now = () => nowOf(deps);
  if (row.playlist_id === null) {
    // Recreate. A create whose answer was lost shows as the newest playlist of that name, empty.
    let created: { id: string; snapshot_id: string } | undefined;
    if (attemptOf() > 1) {
      const first = await client.getMyPlaylists({ limit: READ_PAGE_SIZE, offset: 0 });
      const found = first.items.find((p) => p && p.name === row.details?.name);
      if (found) created = { id: found.id, snapshot_id: found.snapshot_id };
    }
    created ??= await client.createPlaylist({
      name: row.details?.name ?? 'Restored playlist',
      ...(row.details?.description ? { description: row.details.description } : {}),
      ...(row.details?.public === null || row.details?.public === undefined ? {} : { public: row.details.public }),
    });
    step.beat();
    Object.assign(row, { playlist_id: created.id, created: true, written_snapshot_id: created.snapshot_id, replaced: true, done: 0 });
    await checkpointRestore(
      deps.db,
      row.id,
      { playlist_id: created.id, created: true, written_snapshot_id: created.snapshot_id, replaced: true, done: 0, api_calls: step.apiCalls },
      now(),
    );
  }
  const playlistId = row.playlist_id!;
  // Before writing again: has the playlist changed since the last checkpoint (a write whose checkpoint was lost, or someone else)?
  const live = await client.getPlaylist(playlistId);
  step.beat();
  if (live.snapshot_id !== row.written_snapshot_id) {
    const current = await readUris(client, playlistId, step);
    // What it holds is the start of the target: carry on after it; otherwise the next write replaces it all.
    const keep = isPrefix(current, target);
    Object.assign(row, { done: keep ? current.length : 0, replaced: keep, written_snapshot_id: live.snapshot_id });
    await checkpointRestore(deps.db, row.id, { done: row.done, replaced: row.replaced, written_snapshot_id: live.snapshot_id, api_calls: step.apiCalls }, now());
    log.info('restore: playlist read back before writing again', { restoreId: row.id, done: row.done });
  }
  while (row.done < target.length || !row.replaced) {
    if (step.writes >= WRITES_PER_STEP) return false;
    const chunk = target.slice(row.done, row.done + PLAYLIST_WRITE_SIZE);
    const snapshot = row.replaced ? await client.addPlaylistItems(playlistId, chunk) : await client.replacePlaylistItems(playlistId, chunk);
    step.writes += 1;
    step.beat();
    Object.assign(row, { done: row.done + chunk.length, replaced: true, written_snapshot_id: snapshot });
    await checkpointRestore(deps.db, row.id, { done: row.done, replaced: true, written_snapshot_id: snapshot, api_calls: step.apiCalls, rate_limit_streak: 0 }, now());
  }
  const details = row.details;
  if (details && (live.name !== details.name || (details.description ?? '') !== (live.description ?? ''))) {
    await client.updatePlaylist(playlistId, { name: details.name, description: details.description ?? '' });
    step.beat();
  }
  return true;
}

/** The result read back and compared with the target, entries and name. */
async function verifyPlaylist(step: Progress): Promise<boolean> {
  const { row, client } = step;
  const playlistId = row.playlist_id!;
  const live = await client.getPlaylist(playlistId);
  const current = await readUris(client, playlistId, step);
  return current.length === row.target_uris.length && isPrefix(current, row.target_uris) && (row.details === null || live.name === row.details.name);
}

/** Follows a followed playlist again (saving its uri); verified by asking whether the library holds it. */
async function followStep(deps: ActivityDeps, step: Progress): Promise<boolean> {
  const { row, client } = step;
  const uri = row.target_uris[0]!;
  await client.saveToLibrary([uri]);
  step.beat();
  await checkpointRestore(deps.db, row.id, { done: 1, api_calls: step.apiCalls }, nowOf(deps));
  row.done = 1;
  const [contains] = await client.libraryContains([uri]);
  return contains === true;
}

/** Saves removed items again, 40 a call (saving is idempotent, so a repeated call adds nothing twice); verified by asking the library. */
async function savedStep(deps: ActivityDeps, step: Progress): Promise<boolean> {
  const { row, client } = step;
  const uris = row.target_uris;
  while (row.done < uris.length) {
    const chunk = uris.slice(row.done, row.done + LIBRARY_WRITE_SIZE);
    await client.saveToLibrary(chunk);
    step.beat();
    row.done += chunk.length;
    await checkpointRestore(deps.db, row.id, { done: row.done, api_calls: step.apiCalls, rate_limit_streak: 0 }, nowOf(deps));
  }
  let verified = true;
  for (let i = 0; i < uris.length; i += LIBRARY_WRITE_SIZE) {
    const answers = await client.libraryContains(uris.slice(i, i + LIBRARY_WRITE_SIZE));
    step.beat();
    if (answers.some((a) => !a)) verified = false;
  }
  return verified;
}

/** The restore's state as the API shows it (paused, rate_limited, running, ...). */
export async function recordRestoreState(deps: ActivityDeps, input: { restoreId: string; state: RestoreRow['state'] }): Promise<void> {
  await checkpointRestore(deps.db, input.restoreId, { state: input.state, ...(input.state === 'running' ? { rate_limited_until: null } : {}) }, nowOf(deps));
}
