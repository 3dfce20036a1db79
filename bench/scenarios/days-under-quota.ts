import { playlistsFor, sizeLabel, type Scenario } from '../lib/context.js';
import { startDeployment } from '../lib/deployment.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { minimumCalls, recentlyPlayedCalls, simSyncCalls, syncRateLimited, verifyMirror } from '../lib/measure.js';
import { formatInt } from '../lib/report.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import { readAccountStatus } from '../../src/status/read-status.js';

const DAY_MS = 86_400_000;
/** How the bench advances server time between looks, and how much the user listens in each step. */
const STEP_MS = 2 * 3_600_000;
const PLAYS_PER_STEP = 3;

/**
 * 5. Days under a quota: development mode, a rolling 24 h quota of Q calls with no Retry-After, on
 * the time-skipping server with the simulator's clock following it. The user keeps listening (3
 * plays every 2 hours, 36 a day); the playback workflow must record every one of them while the sync
 * waits out the quota. Days are counted from connect to the initial sync's close, in server time.
 */
export const daysUnderQuota: Scenario = async (ctx) => {
  const quota = ctx.quick ? 400 : 1_000;
  const tracks = ctx.quick ? 1_000 : 3_500;
  const library = { seed: 42, tracks, playlists: playlistsFor(tracks), appMode: 'development' as const };
  const minimum = await minimumCalls(library);
  const bound = Math.ceil(minimum / quota);
  const env = await createTimeSkippingEnv();
  try {
    const deployment = await startDeployment({
      databases: ctx.databases,
      temporal: { client: env.client, nativeConnection: env.nativeConnection, address: env.address },
      sims: [{ ...library, clock: () => env.currentTimeMs(), config: { quota: { perDay: quota, retryAfterSeconds: null } } }],
      worker: 'in-process',
    });
    try {
      const sim = deployment.sims[0] as (typeof deployment.sims)[number];
      const { accountId } = await deployment.connect();
      const handle = initialSyncHandle(env.client, accountId);
      const played: string[] = [];
      // The status's ETA at each step (server time), and the sync's 429s the simulator counted by then.
      const readings: { at: number; eta: number | null; callsLeft: number | null; callsEstimated: number | null; rateLimited: number }[] = [];
      while ((await handle.describe()).status.name === 'RUNNING') {
        const { plays = [] } = await sim.sim.mutate({ play: PLAYS_PER_STEP });
        played.push(...plays.map((p) => p.playedAt));
        const at = await env.currentTimeMs();
        const status = await readAccountStatus(deployment.db.db, accountId, { now: new Date(at), incrementalIntervalHours: 6, spotifyClientId: DEMO_CLIENT_ID });
        readings.push({
          at,
          eta: status?.eta ? Date.parse(status.eta) : null,
          callsLeft: status?.etaDetail?.callsLeft ?? null,
          callsEstimated: status?.etaDetail?.callsEstimated ?? null,
          rateLimited: syncRateLimited(sim),
        });
        await env.sleep(STEP_MS);
      }
      const description = await handle.describe();
      if (description.status.name !== 'COMPLETED') throw new Error(`initial sync ${description.status.name}`);
      const startedAt = description.startTime.getTime();
      const finishedAt = description.closeTime?.getTime() ?? NaN;
      const days = (finishedAt - startedAt) / DAY_MS;
      // The ETA's error against the time really left, at the reading nearest 10%, 50% and 90% of the way.
      const etaError = (fraction: number): { error: number | null; left: number } => {
        const target = startedAt + fraction * (finishedAt - startedAt);
        const reading = readings.filter((r) => r.at < finishedAt).sort((a, b) => Math.abs(a.at - target) - Math.abs(b.at - target))[0];
        if (!reading) return { error: null, left: NaN };
        const left = finishedAt - reading.at;
        return { error: reading.eta === null ? null : Math.abs(reading.eta - finishedAt) / left, left };
      };
      const errors = [0.1, 0.5, 0.9].map(etaError);
      // Calls past the wall: the sync's quota 429s after the first window's (the calls on their way when the
      // quota was learned), per 24 h window of server time after it. The playback poll asks even at the wall.
      const firstLimited = readings.find((r) => r.rateLimited > 0);
      const learning = firstLimited?.rateLimited ?? 0;
      const pastWallByWindow = new Map<number, number>();
      let counted = learning;
      for (const r of readings) {
        if (!firstLimited || r.at <= firstLimited.at || r.rateLimited <= counted) continue;
        const window = Math.floor((r.at - firstLimited.at) / DAY_MS);
        pastWallByWindow.set(window, (pastWallByWindow.get(window) ?? 0) + r.rateLimited - counted);
        counted = r.rateLimited;
      }
      const pastWallMax = Math.max(0, ...pastWallByWindow.values());
      const pastWallTotal = [...pastWallByWindow.values()].reduce((n, c) => n + c, 0);
      const pct = (e: { error: number | null }): string => (e.error === null ? 'none' : `${(e.error * 100).toFixed(1)}%`);
      // A sync that ends 3.0 days after it started has used its 4th quota window.
      const windows = Math.floor(days) + 1;
      // One more poll interval, so the playback workflow can fetch what was played last.
      await env.sleep(STEP_MS);
      await verifyMirror(deployment.db.db, sim, accountId);
      const recorded = new Set(((await deployment.db.db('play_history').where({ account_id: accountId }).pluck('played_at')) as Date[]).map((d) => d.toISOString()));
      const lost = played.filter((at) => !recorded.has(at)).length;
      const gaps = Number((await deployment.db.db('playback_gaps').where({ account_id: accountId }).count({ n: '*' }).first())?.n ?? 0);
      const stats = sim.sim.stats().requests;
      const syncCalls = simSyncCalls(sim);
      const playbackCalls = recentlyPlayedCalls(sim);
      ctx.log(`  ${days.toFixed(2)} days, ${windows} windows (bound ${bound}), ${syncCalls} sync calls, ${played.length} plays, ${lost} lost, ${gaps} gaps`);
      ctx.log(`  ETA error at 10/50/90%: ${errors.map(pct).join(' / ')}; quota 429s: ${learning} learning, then ${pastWallTotal} (at most ${pastWallMax} a window)`);
      const caseLabel = `${sizeLabel(tracks)} tracks, development, Q = ${formatInt(quota)}/24 h, no Retry-After`;
      return {
        id: 5,
        title: 'Days under a quota (time-skipping server, simulator clock following it)',
        figures: [
          {
            case: caseLabel,
            figure: 'days to finish (24 h quota windows used)',
            value: `${windows} (${days.toFixed(2)} days of server time from connect to complete)`,
            target: `= ceil(${formatInt(minimum)} / ${formatInt(quota)}) = ${bound}`,
            met: windows === bound,
            limitedBy: `Spotify quota: ${formatInt(syncCalls)} sync calls answered (minimum ${formatInt(minimum)}), ${formatInt(stats.rateLimited)} 429s in all`,
          },
          {
            case: caseLabel,
            figure: 'plays lost by the playback workflow meanwhile',
            value: `${lost} of ${played.length} (${gaps} gaps recorded)`,
            target: '0',
            met: lost === 0,
            limitedBy: `recently-played requests ${playbackCalls} (only the last 50 plays are visible)`,
          },
          {
            case: caseLabel,
            figure: 'ETA error against the time really left, at 10% / 50% / 90% of the way',
            value: errors.map(pct).join(' / '),
            target: '≤ 10% each',
            met: errors.every((e) => e.error !== null && e.error <= 0.1),
            limitedBy: `readings every ${STEP_MS / 3_600_000} h of server time (the nearest to each point: ${errors.map((e) => `${(e.left / 3_600_000).toFixed(0)} h left`).join(', ')})`,
          },
          {
            case: caseLabel,
            figure: 'sync calls past the wall per quota window (the sync’s quota 429s after the first window’s)',
            value: `at most ${pastWallMax} a window (${pastWallTotal} in all; ${learning} in the first window, the calls on their way when the quota was learned)`,
            target: '≤ 1',
            met: pastWallMax <= 1,
            limitedBy: 'the simulator’s 429 count of every endpoint but recently-played (the playback poll asks even at the wall), read every 2 h of server time',
          },
        ],
        raw: {
          library,
          quota,
          minimum,
          bound,
          days,
          windows,
          syncCalls,
          playbackCalls,
          plays: played.length,
          lost,
          gaps,
          requests: stats,
          etaErrors: errors,
          learning,
          pastWallByWindow: Object.fromEntries(pastWallByWindow),
          readings,
        },
      };
    } finally {
      await deployment.close();
    }
  } finally {
    await env.teardown();
  }
};
