import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyImportWorkflowId, initialSyncWorkflowId } from '../../src/ids.js';
import { startHistoryImport } from '../../src/history-import/start-history-import.js';
import type { DataExportTruth, ExportedPlay } from '../../src/simulator/data-export.js';
import type { HistoryImportStatus } from '../../workflows/history-import.js';
import type { Harness } from './sync-harness.js';

export interface DownloadedExport {
  dir: string;
  extended: string;
  account: string;
  /** The extended history as older exports shaped it (one unnumbered endsong.json). */
  endsong: string;
  truth: DataExportTruth;
}

/** The simulator's data exports of its demo user, saved as the user would save them. */
export async function downloadExport(h: Harness): Promise<DownloadedExport> {
  const dir = await mkdtemp(join(tmpdir(), 'spotify-export-'));
  const paths: Record<string, string> = {};
  for (const which of ['extended', 'account', 'endsong']) {
    const res = await fetch(`${h.sim.url}/_sim/export/${which}.zip`);
    if (!res.ok) throw new Error(`export ${which}: ${res.status}`);
    paths[which] = join(dir, `my_spotify_data_${which}.zip`);
    await writeFile(paths[which], Buffer.from(await res.arrayBuffer()));
  }
  const truth = await h.simRequest<DataExportTruth>('/_sim/export/truth');
  return { dir, extended: paths.extended as string, account: paths.account as string, endsong: paths.endsong as string, truth };
}

export function startImport(h: Harness, accountId: string, paths: string[], options: { heartbeatTimeoutSeconds?: number } = {}) {
  return startHistoryImport({ db: h.db.db, workflows: async () => ({ client: h.client, config: h.config }) }, { accountId, paths, sourceDir: paths[0] ?? '.', ...options });
}

export async function importResult(h: Harness, accountId: string, importId: string): Promise<HistoryImportStatus> {
  return (await h.client.workflow.getHandle(historyImportWorkflowId(accountId, importId)).result()) as HistoryImportStatus;
}

/** Connects the demo account, lets the initial sync finish and the first poll store the recent plays. */
export async function syncedAccount(h: Harness): Promise<string> {
  const { accountId } = await h.connect();
  await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const polled = Number((await h.db.db('play_history').where({ account_id: accountId, source: 'poll' }).count({ n: '*' }).first())?.n);
    if (polled > 0) return accountId;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the first recently-played poll stored nothing within a minute');
}

export interface StoredPlay {
  played_at: Date;
  source: string;
  content_type: string;
  track_id: string | null;
  track_name: string | null;
  spotify_uri: string | null;
  ms_played: number | null;
  is_short: boolean;
  incognito: boolean | null;
  unresolved_reason: string | null;
  medium: 'audio' | 'video' | null;
}

export async function storedPlays(h: Harness, accountId: string): Promise<StoredPlay[]> {
  return h.db.db('play_history').where({ account_id: accountId }).orderBy('played_at') as Promise<StoredPlay[]>;
}

/**
 * Pairs every play the simulator says happened with one stored row (the same thing played, ending
 * within the tolerance; account-data-only plays at their minute). Returns what is left on either side.
 */
export function pairPlays(truth: readonly ExportedPlay[], rows: readonly StoredPlay[]) {
  const left = [...rows];
  const missing: ExportedPlay[] = [];
  for (const play of truth) {
    const at = Date.parse(play.endedAt);
    const i = left.findIndex(
      (r) =>
        r.content_type === play.contentType &&
        (play.trackId !== null ? r.track_id === play.trackId : r.track_id === null && r.track_name === play.trackName) &&
        Math.abs(r.played_at.getTime() - at) <= (play.in === 'account' ? 0 : 10_000),
    );
    if (i === -1) missing.push(play);
    else left.splice(i, 1);
  }
  return { missing, extra: left };
}
