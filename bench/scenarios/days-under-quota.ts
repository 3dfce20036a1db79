import { playlistsFor, sizeLabel, type Scenario } from '../lib/context.js';
import { startDeployment } from '../lib/deployment.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';
import { minimumCalls, recentlyPlayedCalls, simSyncCalls, verifyMirror } from '../lib/measure.js';
import { formatInt } from '../lib/report.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

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
      while ((await handle.describe()).status.name === 'RUNNING') {
        const { plays = [] } = await sim.sim.mutate({ play: PLAYS_PER_STEP });
        played.push(...plays.map((p) => p.playedAt));
        await env.sleep(STEP_MS);
      }
      const description = await handle.describe();
      if (description.status.name !== 'COMPLETED') throw new Error(`initial sync ${description.status.name}`);
      const days = ((description.closeTime?.getTime() ?? NaN) - description.startTime.getTime()) / DAY_MS;
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
        ],
        raw: { library, quota, minimum, bound, days, windows, syncCalls, playbackCalls, plays: played.length, lost, gaps, requests: stats },
      };
    } finally {
      await deployment.close();
    }
  } finally {
    await env.teardown();
  }
};
