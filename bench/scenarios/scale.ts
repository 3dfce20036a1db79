import { performance } from 'node:perf_hooks';
import { playlistsFor, sizeLabel, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { CpuMeter, describeCpu } from '../lib/cpu.js';
import { startDeployment } from '../lib/deployment.js';
import { runInitialSync } from '../lib/initial-sync-run.js';
import { describeCollections, minimumCalls, procMemory, spread, verifyMirror } from '../lib/measure.js';
import { formatInt, formatSpread } from '../lib/report.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

/** Temporal warns about a history past this many events (and fails a workflow at 51,200). */
const HISTORY_WARN_EVENTS = 10_240;

/**
 * One large library, the whole of it (the simulator's default collections for the size: at 100k saved
 * tracks 5k saved albums, 2k followed artists, 200 shows with their episodes, some saved episodes and
 * audiobooks), the worker in a child process (`npm run worker`) so its memory is its own. The mirror is
 * checked against the truth for every collection, and the calls against the minimum.
 */
async function largeLibrary(ctx: BenchContext): Promise<{ figures: Figure[]; raw: unknown }> {
  const tracks = ctx.quick ? 10_000 : 100_000;
  const library = { tracks, playlists: playlistsFor(tracks), appMode: 'development' as const };
  const minimum = await minimumCalls({ seed: 42, ...library });
  const run = await runInitialSync(ctx, { ...library, via: 'temporal-child' });
  const perSecond = run.entities / (run.wallMs / 1000);
  const collections = describeCollections(run.collections);
  ctx.log(
    `  ${sizeLabel(tracks)} (${collections}): ${(run.wallMs / 1000).toFixed(1)} s, ${run.calls} calls (minimum ${minimum}), ${run.history?.runs} runs, max ${run.history?.maxEvents} events, peak RSS ${run.workerPeakRssMiB} MiB`,
  );
  const caseLabel = `${sizeLabel(tracks)} tracks, ${library.playlists} playlists, ${collections}, development`;
  return {
    figures: [
      {
        case: caseLabel,
        figure: 'calls / minimum (mirror = truth for every collection)',
        value: `${(run.calls / minimum).toFixed(2)} (${formatInt(run.calls)} / ${formatInt(minimum)})`,
        target: '1.00',
        met: run.calls === minimum,
        limitedBy: "Spotify's API: pages of 50, one call per artist and album in development mode",
      },
      {
        case: caseLabel,
        figure: 'largest history of any run (events)',
        value: `${formatInt(run.history?.maxEvents ?? 0)} (${run.history?.runs} runs, ${formatInt(run.history?.totalEvents ?? 0)} events in all)`,
        target: `< ${formatInt(HISTORY_WARN_EVENTS)}`,
        met: (run.history?.maxEvents ?? Infinity) < HISTORY_WARN_EVENTS,
        limitedBy: 'continue-as-new after maxBatchesPerRun (500) batches',
      },
      {
        case: caseLabel,
        figure: 'peak worker memory (VmHWM)',
        value: `${run.workerPeakRssMiB} MiB (${run.workerIdleRssMiB} MiB when it started polling)`,
        limitedBy: 'Node + tsx + Temporal core and workflow bundle; the sync holds one batch at a time',
      },
      {
        case: caseLabel,
        figure: 'entities per second',
        value: `${formatInt(Math.round(perSecond))} /s (${formatInt(run.entities)} in ${(run.wallMs / 1000).toFixed(1)} s, ${formatInt(run.calls)} calls)`,
        limitedBy: describeCpu(run.cpu, 'node (simulator + bench)'),
      },
    ],
    raw: { library, minimum, run, entitiesPerSecond: perSecond },
  };
}

/** Many accounts connected at the same moment, all served by one worker (in a child process). */
async function manyAccounts(ctx: BenchContext): Promise<{ figures: Figure[]; raw: unknown }> {
  const accounts = ctx.quick ? 4 : 20;
  const tracks = ctx.quick ? 500 : 2_000;
  const deployment = await startDeployment({
    databases: ctx.databases,
    temporal: ctx.temporal,
    sims: Array.from({ length: accounts }, (_, i) => ({ seed: 100 + i, tracks, playlists: playlistsFor(tracks), appMode: 'development' as const })),
    worker: 'child-process',
  });
  ctx.cpu.workerPid = deployment.workerPid;
  try {
    const cpu0 = await ctx.cpu.sample();
    const t0 = performance.now();
    const finished = await Promise.all(
      deployment.sims.map(async (sim) => {
        const { accountId } = await deployment.connect(sim);
        const result = await initialSyncHandle(ctx.temporal.client, accountId).result();
        return { accountId, sim, state: result.state, seconds: (performance.now() - t0) / 1000, calls: result.apiCalls };
      }),
    );
    const cpu = CpuMeter.diff(cpu0, await ctx.cpu.sample());
    const memory = deployment.workerPid ? await procMemory(deployment.workerPid) : null;
    for (const f of finished) await verifyMirror(deployment.db.db, f.sim, f.accountId);
    const complete = finished.filter((f) => f.state === 'complete').length;
    const times = spread(finished.map((f) => f.seconds));
    ctx.log(`  ${accounts} accounts: all done in ${times.max.toFixed(1)} s, first ${times.min.toFixed(1)} s`);
    const caseLabel = `${accounts} accounts × ${sizeLabel(tracks)} tracks, development, one worker`;
    return {
      figures: [
        { case: caseLabel, figure: 'accounts complete (mirror = truth)', value: `${complete} / ${accounts}`, target: `${accounts} / ${accounts}`, met: complete === accounts },
        {
          case: caseLabel,
          figure: 'completion time since connect (min / median / max)',
          value: formatSpread(times, 's', 1),
          target: 'none starved',
          met: times.min >= 0.5 * times.max,
          limitedBy: `${describeCpu(cpu, 'node (simulators + bench)')}; worker peak RSS ${Math.round(memory?.peakRssMiB ?? NaN)} MiB`,
        },
      ],
      raw: { accounts, tracks, finished: finished.map(({ sim: _sim, ...f }) => f), cpu, workerPeakRssMiB: memory?.peakRssMiB },
    };
  } finally {
    ctx.cpu.workerPid = null;
    await deployment.close();
  }
}

/** 6. Scale: a very large library, and many accounts at once on one worker. */
export const scale: Scenario = async (ctx) => {
  const large = await largeLibrary(ctx);
  const many = await manyAccounts(ctx);
  return { id: 6, title: 'Scale', figures: [...large.figures, ...many.figures], raw: { largeLibrary: large.raw, manyAccounts: many.raw } };
};
