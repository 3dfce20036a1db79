import { playlistsFor, sizeLabel, type Figure, type Scenario } from '../lib/context.js';
import { runAccounts, type AccountsRunResult } from '../lib/accounts-run.js';
import { formatInt } from '../lib/report.js';

/** The simulator's latency and window: 150 ms ± 50 ms a call, W calls per rolling 30 s. */
const LATENCY_MS = 150;
const JITTER_MS = 50;
const WINDOW_SECONDS = 30;
/**
 * 20 calls a second: more than one call at a time can make (6.7 /s at 150 ms), less than the
 * highest concurrency can (8 at a time: 53 /s), so the window, not latency, binds the adaptive run.
 */
const WINDOW_CALLS = 600;
const MAX_CONCURRENCY = 8;
const TARGET_VS_BOUND = 1.25;
const TARGET_SHORT_429_SHARE = 0.01;

/** The fastest any client could be: latency spread over the calls in flight, or the window, whichever binds. */
function boundSeconds(calls: number, concurrency: number): { seconds: number; binds: string } {
  const latency = (calls * LATENCY_MS) / 1000 / concurrency;
  const window = (calls * WINDOW_SECONDS) / WINDOW_CALLS;
  return latency >= window ? { seconds: latency, binds: `latency (${concurrency} in flight)` } : { seconds: window, binds: `the window (${WINDOW_CALLS} per ${WINDOW_SECONDS} s)` };
}

function figuresFor(label: string, mode: 'sequential' | 'adaptive', run: AccountsRunResult): Figure[] {
  const concurrency = mode === 'sequential' ? 1 : MAX_CONCURRENCY;
  const bound = boundSeconds(run.calls, concurrency);
  const ratio = run.wallMs / 1000 / bound.seconds;
  const share = run.shortRateLimited / Math.max(1, run.calls);
  const c = `${label}, ${mode}${mode === 'adaptive' ? ` (cap ${MAX_CONCURRENCY})` : ' (SPOTIFY_MAX_CONCURRENCY=1)'}`;
  return [
    {
      case: c,
      figure: 'wall time / bound',
      value: `${ratio.toFixed(2)} (${(run.wallMs / 1000).toFixed(0)} s / ${bound.seconds.toFixed(0)} s)`,
      ...(mode === 'adaptive' ? { target: `≤ ${TARGET_VS_BOUND}`, met: ratio <= TARGET_VS_BOUND } : {}),
      limitedBy: bound.binds,
    },
    {
      case: c,
      figure: 'short 429s / calls',
      value: `${(share * 100).toFixed(2)}% (${formatInt(run.shortRateLimited)} / ${formatInt(run.calls)})`,
      target: '< 1%',
      met: share < TARGET_SHORT_429_SHARE,
    },
    {
      case: c,
      figure: 'calls / minimum',
      value: `${(run.calls / run.minimum).toFixed(2)} (${formatInt(run.calls)} / ${formatInt(run.minimum)})`,
      target: '1.00',
      met: run.calls === run.minimum,
    },
  ];
}

/**
 * 9. Against latency: the development-mode initial sync (one call per artist and album) with the
 * simulator at 150 ms ± 50 ms per call and a rolling window of 600 calls per 30 s, one call at a
 * time and with the adaptive concurrency, side by side in one run; then five accounts of one app
 * (one shared window) syncing at once, both ways. Wall time is set against the bound
 * max(calls × latency / concurrency, calls × 30 s / W).
 */
export const againstLatency: Scenario = async (ctx) => {
  const tracks = ctx.quick ? 1_000 : 10_000;
  const eachOfFive = ctx.quick ? 300 : 2_000;
  const simConfig = { latencyMs: LATENCY_MS, latencyJitterMs: JITTER_MS, rateLimit: { windowSeconds: WINDOW_SECONDS, maxRequests: WINDOW_CALLS } };
  const one = [{ seed: 42, tracks, playlists: playlistsFor(tracks), appMode: 'development' as const }];
  const five = Array.from({ length: 5 }, (_, i) => ({ seed: 300 + i, tracks: eachOfFive, playlists: playlistsFor(eachOfFive), appMode: 'development' as const }));
  const figures: Figure[] = [];
  const raw: Record<string, AccountsRunResult> = {};
  for (const [label, libraries] of [
    [`${sizeLabel(tracks)} tracks, development, one account`, one],
    [`5 accounts × ${sizeLabel(eachOfFive)} tracks of one app, development`, five],
  ] as const) {
    for (const mode of ['sequential', 'adaptive'] as const) {
      const run = await runAccounts(ctx, {
        libraries: [...libraries],
        simConfig,
        oneApp: true,
        env: { SPOTIFY_MAX_CONCURRENCY: mode === 'sequential' ? '1' : String(MAX_CONCURRENCY) },
      });
      ctx.log(`  ${label}, ${mode}: ${(run.wallMs / 1000).toFixed(1)} s, ${run.calls} calls (minimum ${run.minimum}), ${run.shortRateLimited} short 429s`);
      figures.push(...figuresFor(label, mode, run));
      raw[`${label}, ${mode}`] = run;
    }
  }
  return { id: 9, title: `Against latency (${LATENCY_MS} ± ${JITTER_MS} ms a call, ${WINDOW_CALLS} calls per ${WINDOW_SECONDS} s window)`, figures, raw };
};
