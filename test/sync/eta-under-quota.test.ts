import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import { readAccountStatus } from '../../src/status/read-status.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { createTimeSkippingEnv } from '../../testkit/time-skipping.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Calls a quota window holds, and how long a call counts against it: the simulator's quota, a 24 h window in small. */
const QUOTA = { perDay: 50, windowSeconds: 15 };

interface Reading {
  at: number;
  eta: number | null;
  basis: string | null;
  state: string | null;
  calls: number | null;
  windows: number | null;
}

describe('the ETA under a quota of several windows (simulator quota of 15 s windows)', () => {
  it(
    'learns the app’s quota before 10% of the way, gives an ETA in calls through several quota windows close to the time really left, and sends at most one call past the wall per window once the quota is learned',
    { timeout: 300_000 },
    async () => {
      // With playlists: the artists and albums that only their tracks bring are found once their items are read,
      // after the saved tracks' artists and albums; until then the ETA estimates them (README, "When it ends").
      const h = (harness = await createHarness({ sim: { seed: 23, tracks: 200, playlists: 5, appMode: 'development', config: { quota: QUOTA } } }));
      // What reached Spotify: the time of every quota 429 the sync met, and of every call it answered.
      const quota429s: number[] = [];
      const answered: number[] = [];
      await h.startWorker(undefined, {
        fetch: async (input, init) => {
          const sent = Date.now();
          const res = await fetch(input, init);
          if (res.status === 429) quota429s.push(Date.now());
          else if (res.ok && String(input instanceof Request ? input.url : input).includes('/v1/')) answered.push(sent);
          return res;
        },
      });
      const startedAt = Date.now();
      const { accountId } = await h.connect();
      const handle = initialSyncHandle(h.client, accountId);

      const readings: Reading[] = [];
      let finished = false;
      const result = handle.result().finally(() => (finished = true));
      while (!finished) {
        const now = new Date();
        const status = await readAccountStatus(h.db.db, accountId, { now, incrementalIntervalHours: 6, spotifyClientId: h.config.spotify.clientId ?? DEMO_CLIENT_ID });
        readings.push({
          at: now.getTime(),
          eta: status?.eta ? Date.parse(status.eta) : null,
          basis: status?.etaDetail?.basis ?? null,
          state: status?.state ?? null,
          calls: status?.etaDetail?.callsLeft ?? null,
          windows: status?.etaDetail?.windowsLeft ?? null,
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect((await result).state).toBe('complete');
      const finishedAt = (await handle.describe()).closeTime?.getTime() ?? Date.now();
      const took = finishedAt - startedAt;

      // What the user checks: the mirror is whole.
      const truth = await h.simRequest<Truth>('/_sim/truth');
      const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, truth);
      expect(mirror).toEqual(expected);

      // The sync went through several quota windows.
      const learned = await h.db
        .db('spotify_app_quota')
        .where({ client_id: h.config.spotify.clientId ?? DEMO_CLIENT_ID })
        .first();
      // Learned within a call or two of the truth (connect's own call to /v1/me counts too).
      expect(learned?.calls_per_window).toBeGreaterThanOrEqual(QUOTA.perDay - 2);
      expect(learned?.calls_per_window).toBeLessThanOrEqual(QUOTA.perDay);
      const windows = Math.ceil(took / (QUOTA.windowSeconds * 1000));
      expect(windows).toBeGreaterThanOrEqual(3);
      const windowMs = QUOTA.windowSeconds * 1000;
      // Each reading from 10% of the way on (the quota is learned by then: the first window ends within a few
      // seconds), while the status does not say complete yet: its error against the time that was really left.
      const errors = readings
        .filter((r) => r.at >= startedAt + 0.1 * took && r.at < finishedAt && r.state !== 'complete')
        .map((r) => ({ ...r, left: finishedAt - r.at, off: r.eta === null ? Infinity : Math.abs(r.eta - finishedAt) }))
        .map((r) => ({ ...r, error: r.off / r.left }));
      // The contract's bound: 10% of the time left, never less than 2 s (in the last seconds a durable timer's
      // firing and the workflow's closing steps are a large share of what is left, as they are not of a day).
      const beyondContract = errors.filter((e) => e.off > Math.max(0.1 * e.left, 2_000));
      // The quota is learned from the first 429; the calls already in flight with it meet it too. After
      // that a window sends at most one call past the wall (the one that confirms the figure learned).
      const first429 = quota429s[0] ?? Infinity;
      const learning = quota429s.filter((t) => t - first429 < 1_000);
      const later = quota429s.slice(learning.length);
      const rel = (t: number): string => ((t - startedAt) / 1000).toFixed(1);
      const worst = Math.max(...errors.map((e) => e.error));
      const median = [...errors].sort((a, b) => a.error - b.error)[Math.floor(errors.length / 2)]?.error ?? Infinity;
      console.log(
        `ETA: ${errors.length} readings from 10% of ${(took / 1000).toFixed(1)} s, ${windows} windows; median error ${(median * 100).toFixed(1)}%, worst ${(worst * 100).toFixed(1)}% of the time left, ` +
          `${beyondContract.length} readings beyond max(10%, 2 s); first quota 429 at ${rel(first429)} s; quota 429s: ${learning.length} while learning (calls in flight), ${later.length} after (${later.map(rel).join(' ')})`,
      );
      if (beyondContract.length > 0)
        console.log(
          readings
            .map((r) => `${rel(r.at)}s ${r.state} ${r.basis} calls ${r.calls} windows ${r.windows} off ${r.eta === null ? 'null' : ((r.eta - finishedAt) / 1000).toFixed(1)}`)
            .join(' | '),
        );
      expect(first429).toBeLessThan(startedAt + 0.1 * took);
      expect(errors.length).toBeGreaterThan(50);
      // Every reading counts the quota windows the sync really went on to use: the windows whose first call came
      // after it (a window is a burst of calls, the next one a window's length later). A reading within a
      // second of a window's first call may see it or not.
      const windowStarts = answered.filter((t, i) => i === 0 || t - (answered[i - 1] as number) > windowMs / 2);
      const countedWrong = errors.filter((e) => {
        if (windowStarts.some((t) => Math.abs(t - e.at) < 1_000)) return false;
        return e.windows !== windowStarts.filter((t) => t > e.at).length;
      });
      expect(countedWrong.map((e) => `${rel(e.at)}s: ${e.windows} windows`)).toEqual([]);
      // The time: a median within 15%, each reading within 25% of the time left or 8 s. In windows of 15 s,
      // seconds that a day-long window makes nothing of are a large share of the time left: the window is
      // learned from Retry-After in whole seconds (16 s for these 15), the steps between batches are counted at
      // their measured half second each though quick batches share an activity, and a loaded machine's timers
      // fire late. Five runs with playlists: every reading 0.4 to 8 s late from the second window on, median
      // 1.5% to 14%, the windows counted right in every reading. The contract's 10% is asserted in 24 h windows of server
      // time below, and BENCHMARKS.md (5) measures it at 10%, 50% and 90%.
      expect(median).toBeLessThanOrEqual(0.15);
      expect(errors.filter((e) => e.off > Math.max(0.25 * e.left, 8_000))).toEqual([]);
      // At most one call past the wall per window: no two later quota 429s within one window.
      expect(later.length).toBeLessThanOrEqual(windows - 1);
      expect(later.every((t, i) => i === 0 || t - (later[i - 1] as number) >= windowMs / 2)).toBe(true);
    },
  );
});

describe('the ETA under a daily quota (time-skipping server, 24 h windows, the simulator’s clock following it)', () => {
  const HOUR = 3_600_000;
  /** How often the test reads the status, in server time: a reading is never staler than this. */
  const READ_EVERY = HOUR;
  let env: TestWorkflowEnvironment | undefined;
  afterEach(async () => {
    // The harness's worker holds the server's connection: closed first.
    await harness?.close();
    harness = undefined;
    await env?.teardown();
    env = undefined;
  });

  it(
    'from 10% of the way on, each reading is within 10% of the time really left, the playlists’ artists and albums estimated before their items are read',
    { timeout: 300_000 },
    async () => {
      env = await createTimeSkippingEnv();
      const server = env;
      // Playlists whose tracks bring artists and albums that only they credit: found once their items are read,
      // after the saved tracks' artists and albums, two windows before the end.
      const h = (harness = await createHarness({
        sim: { seed: 23, tracks: 200, playlists: 5, appMode: 'development', clock: () => server.currentTimeMs(), config: { quota: { perDay: 50, retryAfterSeconds: null } } },
        temporal: { client: server.client, nativeConnection: server.nativeConnection },
      }));
      await h.startWorker();
      const { accountId } = await h.connect();
      const handle = initialSyncHandle(h.client, accountId);
      const readings: { at: number; eta: number | null; estimated: number | null }[] = [];
      while ((await handle.describe()).status.name === 'RUNNING') {
        const at = await server.currentTimeMs();
        const status = await readAccountStatus(h.db.db, accountId, {
          now: new Date(at),
          incrementalIntervalHours: 6,
          spotifyClientId: h.config.spotify.clientId ?? DEMO_CLIENT_ID,
        });
        readings.push({ at, eta: status?.eta ? Date.parse(status.eta) : null, estimated: status?.etaDetail?.callsEstimated ?? null });
        await server.sleep(READ_EVERY);
      }
      const description = await handle.describe();
      expect(description.status.name).toBe('COMPLETED');
      const truth = await h.simRequest<Truth>('/_sim/truth');
      const { mirror, expected } = await mirrorMatchesTruth(h.db.db, accountId, truth);
      expect(mirror).toEqual(expected);
      const startedAt = description.startTime.getTime();
      const finishedAt = description.closeTime?.getTime() ?? NaN;
      const took = finishedAt - startedAt;
      // Several windows: the sync needs about 280 calls at 50 a day.
      expect(took).toBeGreaterThan(4 * 24 * HOUR);
      const errors = readings
        .filter((r) => r.at >= startedAt + 0.1 * took && r.at < finishedAt)
        .map((r) => ({ ...r, left: finishedAt - r.at, off: r.eta === null ? Infinity : Math.abs(r.eta - finishedAt) }));
      console.log(
        `ETA (24 h windows): ${errors.length} readings from 10% of ${(took / HOUR).toFixed(1)} h; ` +
          errors.map((e) => `${((e.at - startedAt) / HOUR).toFixed(0)}h ${((e.off / e.left) * 100).toFixed(1)}%${e.estimated ? ` (${e.estimated} est.)` : ''}`).join(', '),
      );
      // The playlists' work was estimated for a while before their items were read, and nothing is estimated at the end.
      expect(errors.some((e) => (e.estimated ?? 0) > 0)).toBe(true);
      expect(errors.at(-1)?.estimated).toBe(0);
      // The contract: within 10% of the time left. The floor is the interval between two readings (a quota
      // window's end falls between two of them: the wait is counted to the minute, the reading to the hour).
      expect(errors.length).toBeGreaterThan(50);
      expect(errors.filter((e) => e.off > Math.max(0.1 * e.left, READ_EVERY))).toEqual([]);
    },
  );
});
