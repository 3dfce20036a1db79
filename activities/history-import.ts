import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { HistoryImportFileRow, HistoryImportRow } from '../src/db/rows.js';
import type { HistoryImportCounts, HistoryImportPhase, HistoryImportState } from '../workflows/contract.js';
import type { RateLimitWait } from '../workflows/batch-result.js';
import { ExportInputError } from '../src/history-import/export-files.js';
import { entryUsername, exportEntryToPlay } from './export-entry.js';
import { readExportEntries } from './read-export-entries.js';
import { insertPlaysOnce } from './store/plays-once.js';
import type { PlayInput } from './store/play-input.js';
import { SpotifyForbiddenError, SpotifyNotFoundError } from '../src/spotify/errors.js';
import { rememberAppMode, resolveAppMode } from './store/app-mode.js';
import { writeCatalog } from './store/catalog-writer.js';
import { CatalogRows, type TrackLike } from './store/normalize.js';
import { loadSyncState } from './store/sync-state-store.js';
import { BatchRun, HEARTBEAT_INTERVAL_MS, isRateLimit } from './batch-run.js';
import { nowOf, type ActivityDeps } from './deps.js';

/** Entries committed per transaction, with their file's checkpoint. */
export const IMPORT_CHUNK_ENTRIES = 1_000;
/** Unknown tracks looked up per resolution batch (one call each in development mode, 50 a call otherwise). */
export const RESOLVE_BATCH_TRACKS = 50;

export type CheckResult = { ok: true; files: number; entries: number } | { ok: false; files: number; message: string };

export interface FileResult {
  outcome: 'done' | 'paused';
  counts: HistoryImportCounts;
}

/** `rate_limited` carries the wait the rate-limit policy decided (activities/rate-limit-policy.ts). */
export type ResolveResult = { counts: HistoryImportCounts } & ({ outcome: 'progress' | 'done' | 'needs_reauth' } | RateLimitWait);

export async function loadImport(db: Knex, importId: string): Promise<HistoryImportRow> {
  const row = (await db('history_imports').where({ id: importId }).first()) as HistoryImportRow | undefined;
  if (!row) throw ApplicationFailure.nonRetryable(`no history import ${importId}`, 'HistoryImportMissing');
  return row;
}

export function countsOf(row: HistoryImportRow): HistoryImportCounts {
  return { plays: row.plays, duplicates: row.duplicates, skipped: row.skipped, unresolved: row.unresolved, resolved: row.resolved, apiCalls: row.api_calls };
}

export async function readHistoryImportCounts(deps: ActivityDeps, input: { importId: string }): Promise<HistoryImportCounts> {
  return countsOf(await loadImport(deps.db, input.importId));
}

/** The import's state as the status API and page show it (they read Postgres only). */
export async function recordHistoryImportState(
  deps: ActivityDeps,
  input: { importId: string; state: HistoryImportState; phase: HistoryImportPhase; error: string | null },
): Promise<void> {
  const now = nowOf(deps);
  await deps.db('history_imports')
    .where({ id: input.importId })
    .update({ state: input.state, phase: input.phase, error_message: input.error, updated_at: now, completed_at: input.state === 'complete' ? now : null });
}

/** Heartbeats at most every HEARTBEAT_INTERVAL_MS, with where the file read stands. */
function heartbeater() {
  let last = 0;
  return (details: unknown) => {
    const now = Date.now();
    if (now - last < HEARTBEAT_INTERVAL_MS) return;
    last = now;
    try {
      Context.current().heartbeat(details);
    } catch {
      // outside an activity (benchmark loop)
    }
  };
}

function cancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}

/**
 * Reads every file of the import once, writing no plays: damaged or truncated JSON, entries of the wrong
 * shape and another account's export are found before anything is stored, so bad input changes nothing.
 */
export async function checkHistoryImport(deps: ActivityDeps, input: { importId: string }): Promise<CheckResult> {
  const row = await loadImport(deps.db, input.importId);
  const account = await deps.db('accounts').where({ id: row.account_id }).first('spotify_user_id');
  const files = (await deps.db('history_import_files').where({ import_id: input.importId }).orderBy('position')) as HistoryImportFileRow[];
  const now = Date.now();
  const beat = heartbeater();
  let entries = 0;
  try {
    for (const file of files) {
      let count = 0;
      for await (const entry of readExportEntries({ path: file.path, zipEntry: file.zip_entry, name: file.name })) {
        const outcome = exportEntryToPlay(file.kind, entry.value, now);
        if ('invalid' in outcome) return { ok: false, files: files.length, message: `${file.name}, entry ${entry.index + 1}: ${outcome.invalid}; nothing was imported` };
        const username = entryUsername(entry.value);
        if (username !== null && account && username !== account.spotify_user_id) {
          return { ok: false, files: files.length, message: `${file.name} is the export of another Spotify account (its username is not this account's); nothing was imported` };
        }
        count++;
        beat({ checking: file.position, entries: count, bytes: entry.bytesRead });
      }
      entries += count;
      await deps.db('history_import_files').where({ import_id: input.importId, position: file.position }).update({ entries_total: count });
    }
  } catch (error) {
    if (error instanceof ExportInputError) return { ok: false, files: files.length, message: `${error.message}; nothing was imported` };
    throw error;
  }
  return { ok: true, files: files.length, entries };
}

/**
 * Reads one file from its checkpoint to the end, committing every IMPORT_CHUNK_ENTRIES entries with the
 * checkpoint in one transaction. A cancellation (pause) stops it after the chunk in hand is committed; a
 * crash loses at most that chunk's work, which the next attempt reads again from the checkpoint.
 */
export async function importHistoryFile(deps: ActivityDeps, input: { importId: string; position: number }): Promise<FileResult> {
  const key = { import_id: input.importId, position: input.position };
  const file = (await deps.db('history_import_files').where(key).first()) as HistoryImportFileRow;
  const row = await loadImport(deps.db, input.importId);
  if (file.is_complete) return { outcome: 'done', counts: countsOf(row) };
  const accountId = row.account_id;
  const now = Date.now();
  const beat = heartbeater();
  let from = file.entries_done;
  let plays: PlayInput[] = [];
  let skipped = 0;
  let next = from;

  const commit = async (complete: boolean): Promise<HistoryImportCounts> =>
    deps.db.transaction(async (trx) => {
      const { inserted, duplicates } = await insertPlaysOnce(trx, accountId, plays);
      const moved = await trx('history_import_files')
        .where({ ...key, entries_done: from })
        .update({
          entries_done: next,
          plays: trx.raw('plays + ?', [inserted]),
          duplicates: trx.raw('duplicates + ?', [duplicates]),
          skipped: trx.raw('skipped + ?', [skipped]),
          is_complete: complete,
        });
      // Another attempt (one Temporal gave up on, still running) moved the checkpoint: its work stands.
      if (moved !== 1) throw new Error(`the checkpoint of ${file.name} moved under this attempt; reading again from the stored checkpoint`);
      const [updated] = await trx('history_imports')
        .where({ id: input.importId })
        .update({
          plays: trx.raw('plays + ?', [inserted]),
          duplicates: trx.raw('duplicates + ?', [duplicates]),
          skipped: trx.raw('skipped + ?', [skipped]),
          updated_at: new Date(),
        })
        .returning('*');
      return countsOf(updated as HistoryImportRow);
    });

  let counts = countsOf(row);
  for await (const entry of readExportEntries({ path: file.path, zipEntry: file.zip_entry, name: file.name })) {
    if (entry.index < from) continue;
    const outcome = exportEntryToPlay(file.kind, entry.value, now);
    if ('invalid' in outcome) throw ApplicationFailure.nonRetryable(`${file.name}, entry ${entry.index + 1}: ${outcome.invalid}`, 'HistoryImportInvalidEntry');
    if ('skip' in outcome) skipped++;
    else plays.push({ ...outcome.play, importId: input.importId });
    next = entry.index + 1;
    if (next - from >= IMPORT_CHUNK_ENTRIES) {
      counts = await commit(false);
      from = next;
      plays = [];
      skipped = 0;
      beat({ position: input.position, entriesDone: next, bytes: entry.bytesRead });
      if (cancelled()) {
        log.info('history import file paused at its checkpoint', { importId: input.importId, file: file.name, entriesDone: next });
        return { outcome: 'paused', counts };
      }
    }
  }
  counts = await commit(true);
  return { outcome: 'done', counts };
}

const trackIdSql = `substring(spotify_uri from '^spotify:track:([A-Za-z0-9]+)$')`;
/** `<track id of the URI> in (?, ?, ...)` for `count` ids (at most a batch). */
const uriIn = (count: number) => `${trackIdSql} in (${Array.from({ length: count }, () => '?').join(', ')})`;

/** Recounts what the import's plays came to (resolved, unresolved) after a resolution step. */
async function recount(trx: Knex | Knex.Transaction, importId: string, apiCalls: number): Promise<HistoryImportCounts> {
  const totals = await trx('play_history')
    .where({ import_id: importId, content_type: 'track' })
    .select(
      trx.raw('count(*) filter (where unresolved_reason is not null)::int as unresolved'),
      trx.raw('count(*) filter (where track_id is not null)::int as resolved'),
    )
    .first();
  const [updated] = await trx('history_imports')
    .where({ id: importId })
    .update({ unresolved: totals.unresolved, resolved: totals.resolved, api_calls: trx.raw('api_calls + ?', [apiCalls]), updated_at: new Date() })
    .returning('*');
  return countsOf(updated as HistoryImportRow);
}

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
  const pending = () => deps.db('play_history').where({ import_id: importId, content_type: 'track' }).whereNull('track_id').whereNull('unresolved_reason');

  await deps.db.raw(
    `update play_history p set track_id = t.id from tracks t
     where p.import_id = ? and p.content_type = 'track' and p.track_id is null and t.id = substring(p.spotify_uri from '^spotify:track:([A-Za-z0-9]+)$')`,
    [importId],
  );
  const ids = (
    await pending()
      .whereNotNull('spotify_uri')
      .distinct(deps.db.raw(`${trackIdSql} as id`))
      .orderBy('id')
      .limit(input.batchSize ?? RESOLVE_BATCH_TRACKS)
  ).map((r: { id: string | null }) => r.id).filter((id): id is string => id !== null);

  if (ids.length === 0) {
    await deps.db.raw(
      `update play_history p set track_id = m.track_id
       from (
         select distinct on (lower(t.name), lower(a.name)) lower(t.name) as track_name, lower(a.name) as artist_name, t.id as track_id
         from tracks t join track_artists ta on ta.track_id = t.id and ta.position = 0 join artists a on a.id = ta.artist_id
         order by lower(t.name), lower(a.name), t.id
       ) m
       where p.import_id = ? and p.content_type = 'track' and p.track_id is null and p.unresolved_reason is null
         and lower(p.track_name) = m.track_name and lower(p.artist_name) = m.artist_name`,
      [importId],
    );
    await pending().update({ unresolved_reason: 'no catalog track has this name and artist' });
    return { outcome: 'done', counts: await recount(deps.db, importId, 0) };
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
    run.commit(
      { now, items: found.size + unknown.size, rateLimited, state: { synced_count: state.synced_count + found.size, cursor: ids.at(-1) ?? null } },
      async (trx) => {
        await writeCatalog(trx, rows, now);
        if (found.size > 0) {
          await trx('play_history')
            .where({ import_id: importId, content_type: 'track' })
            .whereNull('track_id')
            .whereRaw(uriIn(found.size), [...found])
            .update({ track_id: trx.raw(trackIdSql) });
        }
        if (unknown.size > 0) {
          await trx('play_history')
            .where({ import_id: importId, content_type: 'track' })
            .whereNull('track_id')
            .whereRaw(uriIn(unknown.size), [...unknown])
            .update({ unresolved_reason: 'Spotify does not know this track' });
        }
        await recount(trx, importId, run.apiCalls);
      },
    );

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
    const counts = await recount(deps.db, importId, found.size + unknown.size > 0 ? 0 : run.apiCalls);
    if (settled.outcome === 'rate_limited') {
      const { retryAfterMs, resetAt, retryAfterSource, rateLimitKind, probe } = settled;
      return { outcome: 'rate_limited', counts, retryAfterMs, resetAt, retryAfterSource, ...(rateLimitKind ? { rateLimitKind } : {}), ...(probe ? { probe } : {}) };
    }
    return { outcome: settled.outcome === 'needs_reauth' ? 'needs_reauth' : 'progress', counts };
  }
  await commit(false);
  return { outcome: 'progress', counts: countsOf(await loadImport(deps.db, importId)) };
}
