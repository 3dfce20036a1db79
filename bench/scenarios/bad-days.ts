import { playlistsFor, sizeLabel, type Figure, type Scenario } from '../lib/context.js';
import { runAccounts, type AccountsRunResult } from '../lib/accounts-run.js';
import { formatInt } from '../lib/report.js';

const TARGET_TIME = 1.3;
const KILL_EVERY_MS = 30_000;
/** A little latency, so that a call costs what a round trip costs and retries are not free. */
const LATENCY_MS = 20;
const JITTER_MS = 10;

const profiles = (killEveryMs: number) =>
  [
    { name: 'fault-free', config: {} },
    { name: '10% 5xx', config: { errorRate: 0.1 } },
    { name: '2% malformed', config: { malformedRate: 0.02 } },
    { name: `worker SIGKILL every ${killEveryMs / 1000} s`, config: {}, killEveryMs },
  ] as const;

/**
 * 10. Bad days: the development-mode initial sync fault-free, with 10% of calls answering 5xx, with
 * 2% answering malformed 200s, and with the worker SIGKILLed every 30 s (and started again at once;
 * every 8 s with --quick), in one run: wall time and calls of each against the fault-free run.
 */
export const badDays: Scenario = async (ctx) => {
  const tracks = ctx.quick ? 1_000 : 10_000;
  const libraries = [{ seed: 42, tracks, playlists: playlistsFor(tracks), appMode: 'development' as const }];
  const runs: { name: string; run: AccountsRunResult }[] = [];
  // Unmeasured: the first run would also pay for a cold database cluster and a cold JIT.
  await runAccounts(ctx, { libraries: [{ seed: 7, tracks: 200, playlists: 2, appMode: 'development' }], simConfig: { latencyMs: LATENCY_MS } });
  // --quick: a 1k sync takes well under 30 s, so the worker is killed more often to be killed at all.
  for (const profile of profiles(ctx.quick ? 8_000 : KILL_EVERY_MS)) {
    const run = await runAccounts(ctx, {
      libraries,
      simConfig: { latencyMs: LATENCY_MS, latencyJitterMs: JITTER_MS, ...profile.config },
      ...('killEveryMs' in profile ? { killEveryMs: profile.killEveryMs } : {}),
    });
    ctx.log(
      `  ${profile.name}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.calls} calls (minimum ${run.minimum}), ${run.serverErrors} 5xx, ${run.malformed} malformed, ${run.kills} kills`,
    );
    runs.push({ name: profile.name, run });
  }
  const base = runs[0]?.run as AccountsRunResult;
  const figures: Figure[] = [];
  for (const { name, run } of runs) {
    const c = `${sizeLabel(tracks)} tracks, development, ${name}`;
    const faults = run.serverErrors + run.malformed;
    const extra = run.calls - run.minimum;
    const timeRatio = run.wallMs / base.wallMs;
    const killed = run.kills > 0;
    figures.push(
      {
        case: c,
        figure: 'wall time / fault-free',
        value: `${timeRatio.toFixed(2)} (${(run.wallMs / 1000).toFixed(1)} s)`,
        ...(name !== 'fault-free' && !killed ? { target: `≤ ${TARGET_TIME}`, met: timeRatio <= TARGET_TIME } : {}),
        limitedBy: killed ? `${run.kills} kills: each waits out the 15 s heartbeat timeout and a worker start` : undefined,
      },
      {
        case: c,
        figure: killed ? 'calls repeated per kill' : 'extra calls / faults',
        value: killed
          ? `${(extra / Math.max(1, run.kills)).toFixed(1)} (${formatInt(extra)} extra in ${run.kills} kills; ${formatInt(run.calls)} / ${formatInt(run.minimum)})`
          : `${formatInt(extra)} / ${formatInt(faults)} (${formatInt(run.calls)} calls, minimum ${formatInt(run.minimum)})`,
        ...(killed ? {} : { target: 'extra ≤ faults', met: extra <= faults }),
      },
    );
  }
  return { id: 10, title: 'Bad days (transient faults and worker crashes)', figures, raw: runs };
};
