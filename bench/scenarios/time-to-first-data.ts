import { performance } from 'node:perf_hooks';
import { playlistsFor, sizeLabel, type Scenario } from '../lib/context.js';
import { startDeployment } from '../lib/deployment.js';
import { sleep, spread, verifyMirror } from '../lib/measure.js';
import { formatSpread } from '../lib/report.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

const FIRST_TRACKS = 200;
const POLL_MS = 5;

interface StatusBody {
  phases?: { entity: string; synced: number }[];
}

/**
 * 3. Time to first data: from calling the product's connect until GET /api/sync/status (which reads
 * Postgres only) shows the first 200 saved tracks, polled every 5 ms. Each repeat is a fresh account,
 * synced to the end and checked against the simulator's truth.
 */
export const timeToFirstData: Scenario = async (ctx) => {
  const tracks = ctx.quick ? 1_000 : 3_500;
  const runs: { firstDataMs: number; connectMs: number }[] = [];
  for (let i = 0; i < ctx.repeat; i++) {
    const deployment = await startDeployment({
      databases: ctx.databases,
      temporal: ctx.temporal,
      sims: [{ tracks, playlists: playlistsFor(tracks), appMode: 'development' }],
      worker: 'in-process',
    });
    try {
      const api = await deployment.startApi();
      const t0 = performance.now();
      const { accountId } = await deployment.connect();
      const connectMs = performance.now() - t0;
      for (;;) {
        const body = (await (await fetch(`${api}/api/sync/status?accountId=${accountId}`)).json()) as StatusBody;
        if ((body.phases?.find((p) => p.entity === 'tracks')?.synced ?? 0) >= FIRST_TRACKS) break;
        if (performance.now() - t0 > 60_000) throw new Error('no data after 60 s');
        await sleep(POLL_MS);
      }
      const firstDataMs = performance.now() - t0;
      await initialSyncHandle(ctx.temporal.client, accountId).result();
      await verifyMirror(deployment.db.db, deployment.sims[0] as (typeof deployment.sims)[number], accountId);
      ctx.log(`  run ${i + 1}: first ${FIRST_TRACKS} tracks after ${firstDataMs.toFixed(0)} ms (connect ${connectMs.toFixed(0)} ms)`);
      runs.push({ firstDataMs, connectMs });
    } finally {
      await deployment.close();
    }
  }
  const caseLabel = `${sizeLabel(tracks)} tracks, development`;
  return {
    id: 3,
    title: 'Time to first data (connect until /api/sync/status shows 200 tracks)',
    figures: [
      {
        case: caseLabel,
        figure: `connect → ${FIRST_TRACKS} tracks in the status API`,
        value: formatSpread(spread(runs.map((r) => r.firstDataMs)), 'ms', 0),
        limitedBy: 'Temporal round-trips (workflow start, first workflow task, activity dispatch) + 4 Spotify pages + 1 Postgres transaction',
      },
      {
        case: caseLabel,
        figure: 'of which connect() (token, /v1/me, account row, workflow starts)',
        value: formatSpread(spread(runs.map((r) => r.connectMs)), 'ms', 0),
        limitedBy: 'Spotify token + /v1/me, Temporal start requests',
      },
    ],
    raw: { tracks, pollMs: POLL_MS, runs },
  };
};
