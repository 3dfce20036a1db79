import { performance } from 'node:perf_hooks';
import type { IncrementalSyncResult } from '../../workflows/incremental-sync.js';
import { sizeLabel, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { startDeployment, type Deployment } from '../lib/deployment.js';
import { simSyncCalls, spread, verifyMirror } from '../lib/measure.js';
import type { Truth } from '../../test/helpers/mirror.js';
import { formatSpread } from '../lib/report.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

/** Held equal across sizes, so only the saved-track library differs (listing playlists costs ceil(P/50) calls). */
const PLAYLISTS = 60;
const NEW_SAVES = 100;

interface IncrementalRun {
  calls: number;
  minimum: number;
  wallMs: number;
  byEndpoint: Record<string, number>;
}

/**
 * The fewest calls an incremental run can make for a change, from the simulator's truth before and
 * after it (not from our code): saved-track pages, newest first, up to the first with nothing new;
 * the playlist listing (no playlist changed); in development mode one call per artist and per album
 * the change brought into the library.
 */
function minimumForChange(before: Truth, after: Truth, newSaves: number): number {
  const added = (k: 'artists' | 'albums') => {
    const known = new Set(before[k]);
    return after[k].filter((id) => !known.has(id)).length;
  };
  return Math.floor(newSaves / 50) + 1 + Math.max(1, Math.ceil(after.playlists.length / 50)) + added('artists') + added('albums');
}

/** One incremental run after `newSaves` new saves, as the Schedule would start it; the mirror is checked after it. */
async function runIncremental(ctx: BenchContext, deployment: Deployment, accountId: string, label: string, newSaves: number): Promise<IncrementalRun> {
  const sim = deployment.sims[0] as Deployment['sims'][number];
  const before = sim.sim.truth() as unknown as Truth;
  if (newSaves > 0) await sim.sim.mutate({ saveTracks: newSaves });
  const minimum = minimumForChange(before, sim.sim.truth() as unknown as Truth, newSaves);
  sim.sim.resetStats();
  const t0 = performance.now();
  const result = (await ctx.temporal.client.workflow.execute('incrementalSyncWorkflow', {
    taskQueue: deployment.config.temporal.taskQueue,
    workflowId: `incremental-sync:${accountId}:bench-${label}`,
    args: [{ accountId }],
  })) as IncrementalSyncResult;
  const wallMs = performance.now() - t0;
  if (result.outcome !== 'completed') throw new Error(`incremental run ${result.outcome}: ${result.reason}`);
  await verifyMirror(deployment.db.db, sim, accountId);
  const byEndpoint = Object.fromEntries(
    Object.entries(sim.sim.stats().requests.byEndpoint)
      .filter(([e, v]) => e.includes(' /v1/') && !e.includes('recently-played') && v.total > 0)
      .map(([e, v]) => [e, v.total]),
  );
  return { calls: simSyncCalls(sim), minimum, wallMs, byEndpoint };
}

/**
 * 4. Incremental cost: calls and wall time of an incremental run right after the initial sync
 * (unchanged library) and after 100 new saves, on libraries of different sizes; calls against the
 * fewest the change allows (the mutations pick different tracks, so the counts vary run to run).
 */
export const incrementalCost: Scenario = async (ctx) => {
  const sizes = ctx.quick ? [1_000] : [1_000, 10_000];
  const figures: Figure[] = [];
  const raw = [];
  let allAtMinimum = true;
  for (const tracks of sizes) {
    const deployment = await startDeployment({
      databases: ctx.databases,
      temporal: ctx.temporal,
      sims: [{ tracks, playlists: PLAYLISTS, appMode: 'development' }],
      worker: 'in-process',
    });
    try {
      const { accountId } = await deployment.connect();
      await initialSyncHandle(ctx.temporal.client, accountId).result();
      const unchanged: IncrementalRun[] = [];
      const afterSaves: IncrementalRun[] = [];
      for (let i = 0; i < ctx.repeat; i++) unchanged.push(await runIncremental(ctx, deployment, accountId, `unchanged-${i}`, 0));
      for (let i = 0; i < ctx.repeat; i++) afterSaves.push(await runIncremental(ctx, deployment, accountId, `saves-${i}`, NEW_SAVES));
      const shown = (runs: IncrementalRun[]) => runs.map((r) => `${r.calls}/${r.minimum}`).join(', ');
      ctx.log(`  ${sizeLabel(tracks)}: calls/minimum unchanged ${shown(unchanged)}; after ${NEW_SAVES} saves ${shown(afterSaves)}`);
      for (const [label, runs] of [
        ['unchanged library', unchanged],
        [`after ${NEW_SAVES} new saves`, afterSaves],
      ] as const) {
        const caseLabel = `${sizeLabel(tracks)} tracks, ${PLAYLISTS} playlists, development, ${label}`;
        const atMinimum = runs.every((r) => r.calls === r.minimum);
        allAtMinimum &&= atMinimum;
        figures.push(
          {
            case: caseLabel,
            figure: 'Spotify calls (minimum for the change)',
            value: runs.map((r) => `${r.calls} (${r.minimum})`).join(', '),
            target: '= minimum',
            met: atMinimum,
            limitedBy: `the change, not the library: ${JSON.stringify(runs[runs.length - 1]?.byEndpoint ?? {})}`,
          },
          {
            case: caseLabel,
            figure: 'wall time',
            value: formatSpread(spread(runs.map((r) => r.wallMs)), 'ms', 0),
            limitedBy: 'Temporal round-trips (≥ 7 activities in sequence) and Postgres queries over the stored library',
          },
        );
      }
      raw.push({ tracks, playlists: PLAYLISTS, unchanged, afterSaves });
    } finally {
      await deployment.close();
    }
  }
  if (sizes.length > 1) {
    figures.push({
      case: `${sizes.map(sizeLabel).join(' vs ')} tracks`,
      figure: 'calls independent of library size',
      value: allAtMinimum ? 'every run at the minimum for its change, which does not depend on the library size' : 'some run above its minimum',
      target: 'independent',
      met: allAtMinimum,
    });
  }
  return { id: 4, title: 'Incremental cost', figures, raw };
};
