import { appModes, playlistsFor, sizeLabel, type Figure, type Scenario } from '../lib/context.js';
import { runInitialSync } from '../lib/initial-sync-run.js';
import { describeCollections, minimumCalls } from '../lib/measure.js';
import { formatInt } from '../lib/report.js';

/**
 * 1. Spotify calls of an initial sync through Temporal divided by the fewest the library allows
 * (testkit/minimum-calls.ts, computed from the simulator's answers, not from our code), per
 * library size and app mode. The libraries are the whole library: besides the saved tracks and
 * playlists, the simulator's default collections for the size (a saved album per 20 saved tracks, a
 * followed artist per 50, a show per 500 with its episodes, some saved episodes and audiobooks), and
 * the mirror is checked against the truth for every one of them. Calls are deterministic: one run per case.
 */
export const callsVsMinimum: Scenario = async (ctx) => {
  const sizes = ctx.quick ? [1_000] : [1_000, 10_000, 50_000];
  const figures: Figure[] = [];
  const raw = [];
  for (const tracks of sizes) {
    for (const appMode of appModes) {
      const library = { tracks, playlists: playlistsFor(tracks), appMode };
      const minimum = await minimumCalls({ seed: 42, ...library });
      const run = await runInitialSync(ctx, { ...library, via: 'temporal' });
      const ratio = run.calls / minimum;
      const collections = describeCollections(run.collections);
      ctx.log(`  ${sizeLabel(tracks)} ${appMode} (${collections}): ${run.calls} calls, minimum ${minimum}, ${(run.wallMs / 1000).toFixed(1)} s`);
      figures.push({
        case: `${sizeLabel(tracks)} tracks, ${library.playlists} playlists, ${collections}, ${appMode}`,
        figure: 'calls / minimum',
        value: `${ratio.toFixed(2)} (${formatInt(run.calls)} / ${formatInt(minimum)})`,
        target: '1.00',
        met: run.calls === minimum,
        limitedBy: `Spotify's API: pages of 50, ${appMode === 'development' ? 'one call per artist and album' : 'artists 50 and albums 20 per call'} (${(run.wallMs / 1000).toFixed(1)} s)`,
      });
      raw.push({ ...library, minimum, ratio, run });
    }
  }
  return { id: 1, title: 'Calls vs the minimum (initial sync through Temporal)', figures, raw };
};
