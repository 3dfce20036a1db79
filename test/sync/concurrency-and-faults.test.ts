import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { minimumInitialSyncCalls, syncCalls } from '../../testkit/minimum-calls.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

interface Stats {
  requests: { total: number; rateLimited: number; serverErrors: number; malformed: number; byEndpoint: Record<string, { total: number }> };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A development-mode sync (one call per artist and album) from connect to completion, with the mirror checked. */
async function syncAndCheck(h: Harness) {
  const truth = await h.simRequest<Truth>('/_sim/truth');
  const minimum = await minimumInitialSyncCalls(h.sim.url, h.sim.demoRefreshToken, { appMode: 'development', configuredMode: 'auto', truth });
  await h.simRequest('/_sim/stats/reset', { method: 'POST' });
  await h.startWorker();
  const { accountId } = await h.connect();
  const result = (await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
  expect(result.state).toBe('complete');
  const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
  expect(mirror).toEqual(expected);
  expect(stubs).toEqual({ artists: [], albums: [] });
  // No stub anywhere: the artists and albums of tracks known only from the play history too.
  const anyStub = async (table: string) => Number((await h.db.db(table).whereNull('details_synced_at').count({ n: '*' }).first())?.n);
  expect([await anyStub('artists'), await anyStub('albums')]).toEqual([0, 0]);
  const stats = await h.simRequest<Stats>('/_sim/stats');
  return { accountId, minimum, calls: syncCalls(stats.requests.byEndpoint), stats };
}

describe('calls of a batch in flight together', () => {
  it('ends equal to the library with exactly the minimum calls, and keeps what the limiter learned in Postgres', async () => {
    const h = (harness = await createHarness({
      sim: { seed: 17, tracks: 320, playlists: 6, appMode: 'development', config: { latencyMs: 30, latencyJitterMs: 20 } },
      env: { SPOTIFY_MAX_CONCURRENCY: '8' },
    }));
    const { minimum, calls, accountId } = await syncAndCheck(h);
    expect(calls).toBe(minimum);
    // Committed batches still say what they cost, call for call.
    const history = await h.db.db('sync_history').where({ account_id: accountId });
    expect(history.reduce((n, r) => n + r.api_calls, 0)).toBe(minimum);
    const limits = (await h.db.db('spotify_app_limits').first())!;
    expect(limits).toMatchObject({ client_id: 'spotify-sync-demo', window_limit: null });
    expect(Number(limits.concurrency)).toBeGreaterThan(2);
    expect(Number(limits.concurrency)).toBeLessThanOrEqual(8);
  });

  it('stays under a rolling window it has to learn, and still spends only the minimum plus the short 429s', async () => {
    const h = (harness = await createHarness({
      sim: { seed: 19, tracks: 160, playlists: 3, appMode: 'development', config: { latencyMs: 10, latencyJitterMs: 5, rateLimit: { windowSeconds: 3, maxRequests: 60 } } },
      env: { SPOTIFY_MAX_CONCURRENCY: '8' },
    }));
    const { minimum, calls, stats } = await syncAndCheck(h);
    expect(stats.requests.rateLimited).toBeGreaterThan(0);
    expect(calls).toBe(minimum + stats.requests.rateLimited);
  });
});

describe('a bad day at Spotify: transient faults cost retries, not progress', () => {
  it.each([
    ['10% 5xx', { errorRate: 0.1 }],
    ['2% malformed answers', { malformedRate: 0.02 }],
  ])('with %s the sync completes equal to the library, with no more extra calls than faults', async (_name, faults) => {
    const h = (harness = await createHarness({
      sim: { seed: 23, tracks: 300, playlists: 6, appMode: 'development', config: { latencyMs: 5, ...faults } },
      env: { SPOTIFY_MAX_CONCURRENCY: '8' },
    }));
    const { minimum, calls, stats } = await syncAndCheck(h);
    const faultsMet = stats.requests.serverErrors + stats.requests.malformed;
    expect(faultsMet).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(minimum);
    expect(calls - minimum).toBeLessThanOrEqual(faultsMet);
  });
});
