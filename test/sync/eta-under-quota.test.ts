import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { DEMO_CLIENT_ID } from '../../src/spotify/accounts.js';
import { readAccountStatus } from '../../src/status/read-status.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Calls a quota window holds, and how long a call counts against it: the simulator's quota, a 24 h window in small. */
const QUOTA = { perDay: 60, windowSeconds: 20 };

interface Reading {
  at: number;
  eta: number | null;
  basis: string | null;
  state: string | null;
}

describe('the ETA under a quota of several windows (simulator quota of 20 s windows)', () => {
  it(
    'is within 10% of the real finish (95% of readings, from the second window to 90% of the way), and the sync sends at most one call past the wall per window once the quota is learned',
    { timeout: 300_000 },
    async () => {
      // No playlists: the artists and albums that only playlist tracks bring are known once those items are
      // read, near the end; until then the ETA can be short by the windows they need (see docs/operations.md).
      const h = (harness = await createHarness({ sim: { seed: 23, tracks: 200, playlists: 0, appMode: 'development', config: { quota: QUOTA } } }));
      // What reached Spotify: the time of every quota 429 the sync met.
      const quota429s: number[] = [];
      await h.startWorker(undefined, {
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          if (res.status === 429) quota429s.push(Date.now());
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
        readings.push({ at: now.getTime(), eta: status?.eta ? Date.parse(status.eta) : null, basis: status?.etaDetail?.basis ?? null, state: status?.state ?? null });
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
      // Learned within a call or two of the truth: connect's own call to /v1/me is not the worker's to count.
      expect(learned?.calls_per_window).toBeGreaterThanOrEqual(QUOTA.perDay - 2);
      expect(learned?.calls_per_window).toBeLessThanOrEqual(QUOTA.perDay);
      const windows = Math.ceil(took / (QUOTA.windowSeconds * 1000));
      expect(windows).toBeGreaterThanOrEqual(3);
      // Each reading from 10% of the way on: its error against the time that was really left. Until the
      // last window the error is a share of the time left; within the last window (a few seconds here,
      // not a day) a second of timers and probes would be a large share, so it is held to seconds.
      const windowMs = QUOTA.windowSeconds * 1000;
      const errors = readings
        .filter((r) => r.at >= startedAt + 0.1 * took && r.at < finishedAt)
        .map((r) => ({ ...r, left: finishedAt - r.at, off: r.eta === null ? Infinity : Math.abs(r.eta - finishedAt) }))
        .map((r) => ({ ...r, error: r.off / r.left }));
      const early = errors.filter((e) => e.left >= windowMs);
      const last = errors.filter((e) => e.left < windowMs);
      const worst = Math.max(...early.map((e) => e.error));
      const worstLastMs = Math.max(...last.map((e) => e.off));
      // The quota is learned from the first 429; the calls already in flight with it meet it too. After
      // that a window sends at most one call past the wall (a probe refused: the window was longer than learned).
      const first429 = quota429s[0] ?? Infinity;
      const learning = quota429s.filter((t) => t - first429 < 1_000).length;
      const later = quota429s.length - learning;
      console.log(
        `ETA: ${errors.length} readings over ${(took / 1000).toFixed(1)} s, ${windows} windows; worst error before the last window ${(worst * 100).toFixed(1)}% ` +
          `(${early.length} readings), in the last window ${(worstLastMs / 1000).toFixed(1)} s; quota 429s: ${learning} while learning (calls in flight), ${later} after`,
      );
      console.log(errors.map((e) => `${((e.at - startedAt) / 1000).toFixed(1)}s ${e.basis} ${(e.error * 100).toFixed(1)}%`).join(' | '));
      expect(later).toBeLessThanOrEqual(windows - 1);
      expect(early.length).toBeGreaterThan(10);
      expect(errors.every((e) => e.basis === 'quota')).toBe(true);
      // Every reading but a stray one at a window's turn (seen off by a whole window for one read; not
      // understood yet): 95% of them within 10% of the time left.
      const p95 = [...early.map((e) => e.error)].sort((a, b) => a - b)[Math.floor(early.length * 0.95)] ?? Infinity;
      expect(p95).toBeLessThanOrEqual(0.1);
      expect(early.filter((e) => e.error > 0.1).length).toBeLessThanOrEqual(2);
      expect(worstLastMs).toBeLessThanOrEqual(2_500);
    },
  );
});
