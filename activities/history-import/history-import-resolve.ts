import { log } from '@temporalio/activity';
import type { HistoryImportCounts } from '../../workflows/contract.js';
import type { RateLimitWait } from '../../workflows/batch-result.js';
import { SpotifyForbiddenError, SpotifyNotFoundError } from '../../src/spotify/errors.js';
import { rememberAppMode, resolveAppMode } from '../store/app-mode.js';
import { writeCatalog } from '../store/catalog-writer.js';
import {
  linkByNames,
  linkCatalogTracks,
  linkFetchedTracks,
  markRememberedUnknownTracks,
  markUnknownTracks,
  unknownTrackIds,
  UNKNOWN_TRACK_MEMORY_MS,
} from '../store/import-track-links.js';
import { CatalogRows, type TrackLike } from '../store/normalize.js';
import { loadSyncState } from '../store/sync-state-store.js';
import { BatchRun, isRateLimit } from '../shared/batch-run.js';
import { countsOf, loadImport, recountResolution } from '../store/history-imports-store.js';
import { nowOf, type ActivityDeps } from '../shared/deps.js';

/** Unknown tracks looked up per resolution batch (one call each in development mode, 50 a call otherwise). */
export const RESOLVE_BATCH_TRACKS = 50;

/** `rate_limited` carries the wait the rate-limit policy decided (activities/shared/rate-limit-policy.ts). */
export type ResolveResult = { counts: HistoryImportCounts } & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

/**
 * One step of resolution, after every play is stored: plays naming a track already in the catalog are
 * linked without a call; unknown track URIs are looked up (50 a call where the app may, else one by
 * one), stored with their albums and artists, and linked; ids Spotify does not know are marked
 * unresolved. When no URI is left, plays with names only (account data) are matched by track name and
 * first artist, and whatever matched nothing is marked unresolved, with its names kept.
 */
export async function resolveHistoryImportBatch(deps: ActivityDeps, input: { importId: string; batchSize?: number }): Promise<ResolveResult> {
  const { importId } = input;
  const row = await loadImport(deps.db, importId);
  const accountId = row.account_id;

  await linkCatalogTracks(deps.db, importId);
  await markRememberedUnknownTracks(deps.db, importId, new Date(nowOf(deps).getTime() - UNKNOWN_TRACK_MEMORY_MS));
  const ids = await unknownTrackIds(deps.db, importId, input.batchSize ?? RESOLVE_BATCH_TRACKS);

  if (ids.length === 0) {
    await linkByNames(deps.db, importId);
    return { outcome: 'done', counts: await recountResolution(deps.db, importId, 0) };
  }

  const key = { accountId, entity: 'tracks', kind: 'history_import' } as const;
  const state = await loadSyncState(deps.db, key);
  const run = new BatchRun<{ found: unknown; unknown: string[] }>(deps, key, `history-import:${importId}@${ids[0]}`);
  const rows = new CatalogRows();
  const found = new Set<string>();
  const unknown = new Set<string>(run.resumed?.unknown ?? []);
  for (const track of (run.resumed?.found as TrackLike[] | undefined) ?? []) if (rows.addTrack(track) && track.id) found.add(track.id);
  const fetched: TrackLike[] = [...((run.resumed?.found as TrackLike[] | undefined) ?? [])];
  const appMode = await resolveAppMode(deps.db, deps.config, accountId);
  let mode: 'batch' | 'single' = appMode === 'development' ? 'single' : 'batch';
  const now = run.now();
  const store = (id: string, track: TrackLike | null) => {
    if (track && rows.addTrack(track)) {
      found.add(id);
      fetched.push(track);
    } else unknown.add(id);
  };

  const commit = (rateLimited: boolean) =>
    run.commit({ now, items: found.size + unknown.size, rateLimited, state: { synced_count: state.synced_count + found.size, cursor: ids.at(-1) ?? null } }, async (trx) => {
      await writeCatalog(trx, rows, now);
      if (found.size > 0) await linkFetchedTracks(trx, importId, found);
      if (unknown.size > 0) await markUnknownTracks(trx, importId, unknown, now);
      await recountResolution(trx, importId, run.apiCalls);
    });

  try {
    const todo = () => ids.filter((id) => !found.has(id) && !unknown.has(id));
    while (todo().length > 0) {
      if (mode === 'batch') {
        const chunk = todo().slice(0, 50);
        try {
          const tracks = await run.client.getTracks(chunk);
          chunk.forEach((id, i) => store(id, (tracks[i] as TrackLike | null) ?? null));
          if (appMode === 'unknown') await rememberAppMode(deps.db, accountId, 'extended');
        } catch (error) {
          if (!(error instanceof SpotifyForbiddenError || error instanceof SpotifyNotFoundError)) throw error;
          log.info('several-tracks endpoint refused: switching this account to single-entity calls', { endpoint: error.endpoint });
          await rememberAppMode(deps.db, accountId, 'development');
          mode = 'single';
        }
      } else {
        const id = todo()[0] as string;
        try {
          store(id, (await run.client.getTrack(id)) as TrackLike);
        } catch (error) {
          if (!(error instanceof SpotifyNotFoundError)) throw error;
          store(id, null);
        }
      }
      run.heartbeat(() => ({ found: fetched, unknown: [...unknown] }));
    }
  } catch (error) {
    if (found.size + unknown.size > 0) await commit(isRateLimit(error));
    const settled = await run.settleFailure(error, () => ({ synced: state.synced_count + found.size, total: null }));
    const counts = await recountResolution(deps.db, importId, found.size + unknown.size > 0 ? 0 : run.apiCalls);
    if (settled.outcome === 'rate_limited') {
      const { retryAfterMs, resetAt, retryAfterSource, rateLimitKind, probe } = settled;
      return { outcome: 'rate_limited', counts, retryAfterMs, resetAt, retryAfterSource, ...(rateLimitKind ? { rateLimitKind } : {}), ...(probe ? { probe } : {}) };
    }
    return { outcome: settled.outcome === 'needs_reauth' ? 'needs_reauth' : 'progress', counts };
  }
  await commit(false);
  return { outcome: 'progress', counts: countsOf(await loadImport(deps.db, importId)) };
}
