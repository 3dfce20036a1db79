import { playlistsFor, sizeLabel, type Scenario } from '../lib/context.js';
import { describeCpu, sumCpu } from '../lib/cpu.js';
import { runInitialSync, type InitialSyncRunResult } from '../lib/initial-sync-run.js';
import { spread } from '../lib/measure.js';
import { formatSpread } from '../lib/report.js';

const TARGET = 1.15;

/**
 * 2. What durability costs: the same initial sync through Temporal and through the plain loop (the
 * same activities called in this process), alternating, the order swapped every pair so neither
 * side always runs on a warmer machine. The ratio is taken per pair (neighbours in time share the
 * machine's state) and summarized over the pairs.
 */
export const durabilityCost: Scenario = async (ctx) => {
  const tracks = ctx.quick ? 1_000 : 10_000;
  const library = { tracks, playlists: playlistsFor(tracks), appMode: 'development' as const };
  const pairs: { temporal: InitialSyncRunResult; plain: InitialSyncRunResult; ratio: number }[] = [];
  // A first, unmeasured Temporal run warms the bundle, the server's namespace cache and the JIT.
  await runInitialSync(ctx, { ...library, tracks: 200, playlists: 2, via: 'temporal' });
  for (let i = 0; i < ctx.repeat; i++) {
    const order = i % 2 === 0 ? (['temporal', 'plain'] as const) : (['plain', 'temporal'] as const);
    const runs: Partial<Record<'temporal' | 'plain', InitialSyncRunResult>> = {};
    for (const via of order) runs[via] = await runInitialSync(ctx, { ...library, via });
    const { temporal, plain } = runs as Record<'temporal' | 'plain', InitialSyncRunResult>;
    const ratio = temporal.wallMs / plain.wallMs;
    ctx.log(`  pair ${i + 1}: Temporal ${(temporal.wallMs / 1000).toFixed(2)} s, plain ${(plain.wallMs / 1000).toFixed(2)} s, ratio ${ratio.toFixed(3)}`);
    pairs.push({ temporal, plain, ratio });
  }
  const ratios = spread(pairs.map((p) => p.ratio));
  const seconds = (via: 'temporal' | 'plain') => spread(pairs.map((p) => p[via].wallMs / 1000));
  const cpu = (via: 'temporal' | 'plain') => sumCpu(pairs.map((p) => p[via].cpu));
  const batches = pairs[0]?.temporal.batches ?? 0;
  const activities = pairs[0]?.temporal.history?.activities ?? 0;
  const overheadPerActivityMs = ((seconds('temporal').median - seconds('plain').median) * 1000) / activities;
  const caseLabel = `${sizeLabel(library.tracks)} tracks, development, simulator at 0 ms`;
  return {
    id: 2,
    title: 'What durability costs (Temporal vs the same activities in a plain loop)',
    figures: [
      {
        case: caseLabel,
        figure: 'wall time Temporal / plain',
        value: formatSpread(ratios, '', 3),
        target: `≤ ${TARGET}`,
        met: ratios.median <= TARGET,
        limitedBy: `Temporal round-trips: ≈ ${overheadPerActivityMs.toFixed(1)} ms more per activity (${batches} batches in ${activities} activities, each 1 activity task + 1 workflow task)`,
      },
      { case: caseLabel, figure: 'wall time through Temporal', value: formatSpread(seconds('temporal'), 's'), limitedBy: `${describeCpu(cpu('temporal'))} (all runs)` },
      {
        case: caseLabel,
        figure: 'wall time, plain loop',
        value: formatSpread(seconds('plain'), 's'),
        limitedBy: `${describeCpu(cpu('plain'), 'node (simulator + loop)')} (all runs)`,
      },
    ],
    raw: { library, batches, activities, overheadPerActivityMs, pairs },
  };
};
