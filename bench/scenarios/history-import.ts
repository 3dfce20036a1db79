import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initialSyncWorkflowId, historyImportWorkflowId } from '../../src/ids.js';
import { startHistoryImport } from '../../src/history-import/start-history-import.js';
import type { DataExportTruth } from '../../src/simulator/data-export.js';
import type { HistoryImportStatus } from '../../workflows/contract.js';
import { playlistsFor, sizeLabel, type Scenario } from '../lib/context.js';
import { CpuMeter, describeCpu } from '../lib/cpu.js';
import { startDeployment } from '../lib/deployment.js';
import { buildProduction } from '../lib/build.js';
import { procMemory } from '../lib/measure.js';
import { formatInt } from '../lib/report.js';
import { countStubs } from '../../activities/store/stub-queries.js';

const MEMORY_TARGET_MIB = 100;

/**
 * 8. History import: a decade of heavy listening (300k plays in 20 files; --quick: 20k) into a synced
 * 10k-track library (--quick: 1k), the worker in a child process of the production build (as the
 * image runs it: compiled code, the prebuilt bundle, the runtime stage's ENV) so its memory is its own. Plays per second, the worker's peak memory above idle while importing, and the Spotify calls
 * spent resolving tracks and enriching the artists and albums they bring against the minimum (extended
 * mode: one per 50 unknown tracks, one per 50 new artists, one per 20 new albums).
 */
export const historyImport: Scenario = async (ctx) => {
  await buildProduction(ctx);
  const tracks = ctx.quick ? 1_000 : 10_000;
  const plays = ctx.quick ? 20_000 : 300_000;
  const sim = { seed: 8, tracks, playlists: playlistsFor(tracks), appMode: 'extended' as const, dataExport: { olderPlays: plays, audioFiles: 20 } };
  const deployment = await startDeployment({ databases: ctx.databases, temporal: ctx.temporal, sims: [sim], worker: 'production-child' });
  const dir = await mkdtemp(join(tmpdir(), 'bench-export-'));
  ctx.cpu.workerPid = deployment.workerPid;
  try {
    const running = deployment.sims[0]!;
    const { accountId } = await deployment.connect(running);
    await ctx.temporal.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result();
    const paths: string[] = [];
    let bytes = 0;
    for (const which of ['extended', 'account']) {
      const body = Buffer.from(await (await fetch(`${running.url}/_sim/export/${which}.zip`)).arrayBuffer());
      bytes += body.length;
      const path = join(dir, `my_spotify_data_${which}.zip`);
      await writeFile(path, body);
      paths.push(path);
    }
    const truth = (await (await fetch(`${running.url}/_sim/export/truth`)).json()) as DataExportTruth;

    // What the catalog already holds with details costs no call; the rest of the unknown tracks' artists and albums do.
    const detailed = async (table: 'artists' | 'albums') => new Set(await deployment.db.db(table).whereNotNull('details_synced_at').pluck('id'));
    const [detailedArtists, detailedAlbums] = [await detailed('artists'), await detailed('albums')];
    const newArtists = truth.unknownTrackCatalog.artists.filter((id) => !detailedArtists.has(id)).length;
    const newAlbums = truth.unknownTrackCatalog.albums.filter((id) => !detailedAlbums.has(id)).length;

    const pid = deployment.workerPid as number;
    const idle = await procMemory(pid);
    let peakMiB = idle?.rssMiB ?? NaN;
    const sampler = setInterval(() => void procMemory(pid).then((m) => (peakMiB = Math.max(peakMiB, m?.rssMiB ?? 0))), 100);
    const cpu0 = await ctx.cpu.sample();
    const t0 = performance.now();
    const started = await startHistoryImport(
      { db: deployment.db.db, workflows: async () => ({ client: ctx.temporal.client, config: deployment.config }) },
      { accountId, paths, sourceDir: dir },
    );
    const result = (await ctx.temporal.client.workflow.getHandle(historyImportWorkflowId(accountId, started.importId)).result()) as HistoryImportStatus;
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    const cpu = CpuMeter.diff(cpu0, await ctx.cpu.sample());
    const entries = result.counts.plays + result.counts.duplicates + result.counts.skipped;
    const stored = Number((await deployment.db.db('play_history').where({ account_id: accountId }).count({ n: '*' }).first())?.n);
    const lookups = truth.unknownTrackIds.length + truth.goneTrackIds.length;
    const minimumCalls = Math.ceil(lookups / 50) + Math.ceil(newArtists / 50) + Math.ceil(newAlbums / 20);
    const stubsLeft = (await countStubs(deployment.db.db, 'artists', accountId)) + (await countStubs(deployment.db.db, 'albums', accountId));
    const aboveIdle = peakMiB - (idle?.rssMiB ?? NaN);
    ctx.log(`  ${formatInt(entries)} entries in ${(wallMs / 1000).toFixed(1)} s; worker ${idle?.rssMiB.toFixed(0)} → ${peakMiB.toFixed(0)} MiB; ${result.counts.apiCalls} calls`);
    const caseLabel = `${sizeLabel(plays)} plays in ${started.files.length} files (${(bytes / 1024 ** 2).toFixed(0)} MB zipped) into ${sizeLabel(tracks)} tracks, extended`;
    return {
      id: 8,
      title: 'History import',
      figures: [
        {
          case: caseLabel,
          figure: 'plays stored once (rows = what the simulator says was played)',
          value: `${formatInt(stored)} / ${formatInt(truth.plays.length)} (${result.state})`,
          target: formatInt(truth.plays.length),
          met: stored === truth.plays.length && result.state === 'complete',
        },
        {
          case: caseLabel,
          figure: 'entries per second (checked, then stored; resolution included)',
          value: `${formatInt(Math.round(entries / (wallMs / 1000)))} /s (${formatInt(entries)} in ${(wallMs / 1000).toFixed(1)} s)`,
          limitedBy: `${describeCpu(cpu, 'node (simulator + bench)')}; every file is parsed twice (checked, then stored)`,
        },
        {
          case: caseLabel,
          figure: 'worker memory above idle while importing (peak RSS)',
          value: `${aboveIdle.toFixed(0)} MiB (${idle?.rssMiB.toFixed(0)} → ${peakMiB.toFixed(0)} MiB)`,
          target: `< ${MEMORY_TARGET_MIB} MiB`,
          met: aboveIdle < MEMORY_TARGET_MIB,
          limitedBy: 'one chunk of 1,000 entries and the parser buffers; independent of the file size',
        },
        {
          case: caseLabel,
          figure: 'Spotify calls resolving tracks and enriching their artists and albums (minimum: one per 50 tracks, 50 artists, 20 albums)',
          value:
            `${formatInt(result.counts.apiCalls)} (minimum ${formatInt(minimumCalls)} for ${formatInt(lookups)} tracks, ` +
            `${formatInt(newArtists)} new artists, ${formatInt(newAlbums)} new albums)`,
          target: formatInt(minimumCalls),
          met: result.counts.apiCalls === minimumCalls,
          limitedBy: 'GET /v1/tracks?ids= (50 ids a call), /v1/artists?ids= (50), /v1/albums?ids= (20)',
        },
        {
          case: caseLabel,
          figure: "stub artists and albums left in the account's catalog when the import is complete",
          value: formatInt(stubsLeft),
          target: '0',
          met: stubsLeft === 0,
        },
      ],
      raw: { sim, entries, wallMs, idle, peakMiB, counts: result.counts, lookups, newArtists, newAlbums, minimumCalls, stubsLeft, bytes, cpu },
    };
  } finally {
    ctx.cpu.workerPid = null;
    await rm(dir, { recursive: true, force: true });
    await deployment.close();
  }
};
