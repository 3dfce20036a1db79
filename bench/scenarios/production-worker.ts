import { playlistsFor, sizeLabel, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { startDeployment, type WorkerPlacement } from '../lib/deployment.js';
import { runInitialSync } from '../lib/initial-sync-run.js';
import { procMemory, sleep } from '../lib/measure.js';
import { formatInt } from '../lib/report.js';
import { buildProduction } from '../lib/build.js';

const IDLE_TARGET_MIB = 200;
const END_TARGET_MIB = 300;

/** A worker that has polled for a while with nothing to do: its resident memory. */
async function idleMemory(ctx: BenchContext, worker: WorkerPlacement): Promise<{ rssMiB: number; peakRssMiB: number }> {
  const deployment = await startDeployment({ databases: ctx.databases, temporal: ctx.temporal, sims: [{ tracks: 10, playlists: 1 }], worker });
  try {
    await sleep(10_000);
    const memory = await procMemory(deployment.workerPid ?? -1);
    if (!memory) throw new Error(`no memory figure for the ${worker} worker`);
    return memory;
  } finally {
    await deployment.close();
  }
}

/**
 * 11. The production worker (compiled JavaScript, prebuilt workflow bundle, no tsx): its memory idle,
 * side by side with the tsx worker of `npm run worker`, and at the end of a large initial sync.
 */
export const productionWorker: Scenario = async (ctx) => {
  await buildProduction(ctx);
  const idleTsx = await idleMemory(ctx, 'child-process');
  const idleProduction = await idleMemory(ctx, 'production-child');
  ctx.log(`  idle RSS: tsx ${Math.round(idleTsx.rssMiB)} MiB, production build ${Math.round(idleProduction.rssMiB)} MiB`);

  const tracks = ctx.quick ? 10_000 : 100_000;
  const library = { tracks, playlists: playlistsFor(tracks), appMode: 'development' as const };
  const run = await runInitialSync(ctx, { ...library, via: 'temporal-production' });
  ctx.log(`  ${sizeLabel(tracks)} with the production worker: ${(run.wallMs / 1000).toFixed(1)} s, RSS at the end ${run.workerEndRssMiB} MiB, peak ${run.workerPeakRssMiB} MiB`);

  const caseIdle = 'worker polling, nothing to do (10 s after start)';
  const caseSync = `${sizeLabel(tracks)} tracks, ${library.playlists} playlists, development, production worker`;
  const figures: Figure[] = [
    {
      case: caseIdle,
      figure: 'worker memory (VmRSS), production build',
      value: `${Math.round(idleProduction.rssMiB)} MiB (tsx worker: ${Math.round(idleTsx.rssMiB)} MiB)`,
      target: `< ${IDLE_TARGET_MIB} MiB`,
      met: idleProduction.rssMiB < IDLE_TARGET_MIB,
      limitedBy: 'Node, the Temporal core bridge and the workflow bundle loaded once',
    },
    {
      case: caseSync,
      figure: 'worker memory at the end of the sync (VmRSS)',
      value: `${run.workerEndRssMiB} MiB (peak ${run.workerPeakRssMiB} MiB, ${run.workerIdleRssMiB} MiB when it started polling)`,
      target: `< ${END_TARGET_MIB} MiB`,
      met: (run.workerEndRssMiB ?? Infinity) < END_TARGET_MIB,
      limitedBy: 'the V8 heap the batches leave behind; one batch is held at a time',
    },
    {
      case: caseSync,
      figure: 'entities per second',
      value: `${formatInt(Math.round(run.entities / (run.wallMs / 1000)))} /s (${formatInt(run.entities)} in ${(run.wallMs / 1000).toFixed(1)} s)`,
      limitedBy: 'Spotify calls (one per artist and album in development mode) to the simulator in the bench process',
    },
  ];
  return { id: 11, title: 'Production worker memory', figures, raw: { idleTsx, idleProduction, library, run } };
};
