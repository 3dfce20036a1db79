import { performance } from 'node:perf_hooks';
import { recordPlaylistVersions } from '../../activities/store/playlist-versions-store.js';
import { restoreWorkflowId } from '../../src/ids.js';
import { diffVersions } from '../../src/library/time-machine.js';
import { startRestore } from '../../src/restores/restores.js';
import { readPlaylistVersion } from '../../src/versions/version-store.js';
import type { RestoreStatus } from '../../workflows/contract.js';
import { type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { startDeployment } from '../lib/deployment.js';
import { writeLibrary } from '../lib/library-fixture.js';
import { formatInt } from '../lib/report.js';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Scenario 12, the time machine: playlists of 1,000 to 5,000 entries (evenly spread) edited every day
 * for a simulated year (0–3 entries removed, 1–4 added, as the simulator's `editPlaylists` does), each
 * day's snapshot recorded as the sync records it (recordPlaylistVersions, in a transaction). Then: the
 * storage of every version against one full copy of the library, p95 of reading a random version and of
 * a diff between two random versions (as the API computes them), and a real restore of a deleted
 * 5,000-entry playlist through restoreWorkflow on a worker against the simulator: its calls counted by
 * the simulator against the minimum, and its wall time. `--playlists` and `--days` set the shape (the
 * sync's recording takes ~50–90 ms a playlist-day on the loaded 2-core machine).
 */
export const timeMachine: Scenario = async (ctx: BenchContext) => {
  const shape = {
    playlists: ctx.scale?.playlists ?? (ctx.quick ? 3 : 100),
    days: ctx.scale?.days ?? (ctx.quick ? 120 : 365),
  };
  const largest = 5000;
  const sizeOf = (i: number) => 1000 + Math.round((4000 * i) / Math.max(1, shape.playlists - 1));
  const database = await ctx.databases.create();
  const db = database.db;
  const accountId = 'bench-account';
  await writeLibrary(db, accountId, { tracks: 20_000, playlists: shape.playlists, itemsPerPlaylist: largest, plays: 0 });
  const ids = Array.from({ length: shape.playlists }, (_, i) => `pl${i + 1}`);
  for (const [i, id] of ids.entries()) {
    await db('playlist_items').where({ account_id: accountId, playlist_id: id }).where('position', '>=', sizeOf(i)).delete();
    await db('playlists')
      .where({ account_id: accountId, id })
      .update({ total_items: sizeOf(i) });
  }
  const day0 = Date.parse('2026-01-01T06:00:00Z');
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  // The positions of each playlist's entries, kept here as the edits make them (in order), so the edit
  // loop does not read them back: the recording is what is measured.
  const positionsOf = new Map(ids.map((id, i) => [id, Array.from({ length: sizeOf(i) }, (_, n) => n)]));
  const t0 = performance.now();
  let editedEntries = 0;
  for (let d = 0; d <= shape.days; d++) {
    const now = new Date(day0 + d * 86_400_000);
    await db.transaction(async (trx) => {
      if (d > 0) {
        // The day's edits of every playlist in three statements (the edit loop is not what is measured).
        const goneRows: [string, number][] = [];
        const addedRows: Record<string, unknown>[] = [];
        for (const id of ids) {
          const positions = positionsOf.get(id)!;
          const gone = new Set(Array.from({ length: rand(4) }, () => positions[rand(positions.length)]!));
          const last = positions[positions.length - 1] ?? 0;
          const added = 1 + rand(4);
          const kept = positions.filter((p) => !gone.has(p));
          for (let k = 0; k < added; k++) {
            kept.push(last + 1 + k);
            addedRows.push({ account_id: accountId, playlist_id: id, position: last + 1 + k, track_id: `t${1 + rand(20_000)}`, added_at: now, added_by: accountId });
          }
          positionsOf.set(id, kept);
          for (const p of gone) goneRows.push([id, p]);
          editedEntries += gone.size + added;
        }
        if (goneRows.length > 0) await trx('playlist_items').where({ account_id: accountId }).whereIn(['playlist_id', 'position'], goneRows).delete();
        await trx('playlist_items').insert(addedRows);
        const snapshot = trx.raw("'s' || ?::text || '-' || id", [d]);
        await trx('playlists').where({ account_id: accountId }).whereIn('id', ids).update({ snapshot_id: snapshot, items_snapshot_id: snapshot });
      }
      await recordPlaylistVersions(trx, accountId, ids, now);
    });
  }
  const recordSeconds = (performance.now() - t0) / 1000;
  ctx.log(
    `  ${shape.playlists} playlists × ${shape.days} days recorded in ${recordSeconds.toFixed(1)} s (${((recordSeconds * 1000) / (shape.playlists * shape.days)).toFixed(0)} ms a playlist-day)`,
  );

  const sizes = (
    await db.raw(`select pg_total_relation_size('playlist_versions') as total, sum(octet_length(entries::text)) as entries, count(*) as versions from playlist_versions`)
  ).rows[0] as {
    total: string;
    entries: string;
    versions: string;
  };
  let fullCopyBytes = 0;
  for (const id of ids) fullCopyBytes += JSON.stringify((await readPlaylistVersion(db, accountId, id))!.entries).length;
  const storageMb = Number(sizes.total) / 2 ** 20;
  const copyMb = fullCopyBytes / 2 ** 20;

  const reads: number[] = [];
  for (let i = 0; i < (ctx.quick ? 100 : 300); i++) {
    const t = performance.now();
    await readPlaylistVersion(db, accountId, ids[rand(ids.length)]!, 1 + rand(shape.days + 1));
    reads.push(performance.now() - t);
  }
  const diffs: number[] = [];
  for (let i = 0; i < (ctx.quick ? 50 : 150); i++) {
    const from = 1 + rand(shape.days + 1);
    const to = 1 + rand(shape.days + 1);
    if (from === to) continue;
    const t = performance.now();
    await diffVersions(db, accountId, ids[rand(ids.length)]!, from, to);
    diffs.push(performance.now() - t);
  }
  reads.sort((a, b) => a - b);
  diffs.sort((a, b) => a - b);
  await database.drop();
  const restore = await restoreRun(ctx, largest);

  const label = `${shape.playlists} playlists of 1k–5k entries, ${shape.days} daily edits`;
  const figures: Figure[] = [
    {
      case: label,
      figure: 'storage of every version (MB) / one full copy of the library (MB)',
      value: `${storageMb.toFixed(1)} / ${copyMb.toFixed(1)} (${(storageMb / copyMb).toFixed(1)}×)`,
      limitedBy: 'Postgres',
    },
    { case: label, figure: 'entries edited (the edits’ weight) / versions', value: `${formatInt(editedEntries)} / ${formatInt(Number(sizes.versions))}` },
    { case: label, figure: 'read any version, p95 (ms)', value: percentile(reads, 95).toFixed(1), target: '< 100', met: percentile(reads, 95) < 100, limitedBy: 'Postgres' },
    { case: label, figure: 'diff of two versions, p95 (ms)', value: percentile(diffs, 95).toFixed(1), target: '< 100', met: percentile(diffs, 95) < 100, limitedBy: 'Postgres' },
    {
      case: '5k-entry deleted playlist restored (restoreWorkflow, simulator)',
      figure: 'calls / minimum (⌈n/100⌉ writes + ⌈n/50⌉ reads back); planned',
      value: `${restore.calls} / ${restore.minimum}; ${restore.planned}`,
      met: restore.verified,
    },
    {
      case: '5k-entry deleted playlist restored (restoreWorkflow, simulator)',
      figure: 'wall time, start to verified (s)',
      value: restore.wallSeconds.toFixed(1),
      limitedBy: 'one write at a time, each checkpointed',
    },
  ];
  return {
    id: 12,
    title: 'Time machine: a year of daily edits',
    figures,
    raw: {
      shape,
      sizes: ids.map((_, i) => sizeOf(i)),
      recordSeconds,
      storageBytes: Number(sizes.total),
      entriesBytes: Number(sizes.entries),
      fullCopyBytes,
      versions: Number(sizes.versions),
      editedEntries,
      reads,
      diffs,
      restore,
    },
  };
};

/**
 * A deleted playlist of `entries` tracks restored for real: a simulator holding those tracks, the
 * account connected (no sync: its mirror holds only the playlist's one version, written here), and
 * restoreWorkflow run on an in-process worker. Calls are the simulator's count of Web API requests.
 */
async function restoreRun(ctx: BenchContext, entries: number) {
  const deployment = await startDeployment({
    databases: ctx.databases,
    temporal: ctx.temporal,
    sims: [{ seed: 12, tracks: entries, playlists: 2, appMode: 'extended' }],
    worker: 'in-process',
  });
  try {
    const { accountId } = await deployment.connectWithoutWorkflows();
    const sim = deployment.sims[0]!;
    const db = deployment.db.db;
    const userId = (await db('accounts').where({ id: accountId }).first('spotify_user_id'))!.spotify_user_id as string;
    const target = sim.sim
      .truth()
      .savedTracks.slice(0, entries)
      .map((id, i) => ({ u: `spotify:track:${id}`, k: 'track', n: `Track ${i}`, a: 'Artist', t: '2026-01-01T06:00:00.000Z', b: userId }));
    const playlistId = 'deletedplaylist0000001';
    const at = new Date('2026-06-01T06:00:00Z');
    await db('playlists').insert({ account_id: accountId, id: playlistId, name: 'A year of mornings', owner_id: userId, snapshot_id: 's1', total_items: entries, removed_at: at });
    const row = { account_id: accountId, playlist_id: playlistId, snapshot_id: 's1', observed_at: at, name: 'A year of mornings', owner_id: userId, total_items: entries };
    await db('playlist_versions').insert([
      { ...row, version: 1, event: 'version', items_known: true, base_version: 1, entries: JSON.stringify(target), added: entries },
      { ...row, version: 2, event: 'deleted', items_known: false, base_version: 2, entries: '[]' },
    ]);
    const before = sim.sim.stats().requests.total;
    const t0 = performance.now();
    const started = await startRestore(
      { db, workflows: async () => ({ client: ctx.temporal.client, config: deployment.config }) },
      { accountId, target: { kind: 'playlist', playlistId, version: 1 }, actor: 'cli' },
    );
    const status = (await ctx.temporal.client.workflow.getHandle(restoreWorkflowId(accountId, started.restoreId)).result()) as RestoreStatus;
    const wallSeconds = (performance.now() - t0) / 1000;
    const calls = sim.sim.stats().requests.total - before;
    const planned = ((await db('restores').where({ id: started.restoreId }).first('plan'))!.plan as { calls: number }).calls;
    const restored = sim.sim.truth().playlists.find((p) => p.name === 'A year of mornings');
    const equal = restored !== undefined && restored.entryUris.every((u, i) => u === target[i]!.u);
    ctx.log(`  restore of ${entries} entries: ${status.state}, verified ${status.verified}, equal to the target ${equal}, ${calls} calls in ${wallSeconds.toFixed(1)} s`);
    return { calls, planned, minimum: Math.ceil(entries / 100) + Math.ceil(entries / 50), wallSeconds, verified: status.verified === true && equal, state: status.state };
  } finally {
    await deployment.close();
  }
}
