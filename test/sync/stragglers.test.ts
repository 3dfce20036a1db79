import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAccount } from '../../src/accounts/connect-account.js';
import { createActivities } from '../../activities/index.js';
import { OPEN_GATE } from '../../src/spotify/call-limiter.js';
import { selectStubs } from '../../activities/store/stub-queries.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import type { BatchResult } from '../../workflows/batch-result.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a batch and its stragglers', () => {
  it('commits the rest without waiting on a call in its retry backoff, and the next batch fetches it', async () => {
    const h = (harness = await createHarness({ sim: { seed: 21, tracks: 30, playlists: 1, appMode: 'development' } }));
    const noWorkflows = { workflow: { start: async () => undefined } } as unknown as Client;
    const { accountId } = await connectAccount(
      { db: h.db.db, config: h.config, cipher: h.cipher, workflows: async () => ({ client: noWorkflows, config: h.config, schedules: false }) },
      { refreshToken: h.sim.demoRefreshToken },
    );
    let straggler = '';
    let failing = true;
    let faults = 0;
    let artistCalls = 0;
    // Spotify answers 503 for one artist for as long as the first batch runs.
    const fetchWithFault: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.startsWith('/v1/artists/')) artistCalls += 1;
      if (failing && url.pathname === `/v1/artists/${straggler}`) {
        faults += 1;
        return new Response(JSON.stringify({ error: { status: 503, message: 'Service unavailable' } }), { status: 503 });
      }
      return fetch(input, init);
    };
    // Nothing known of the round trip: each retry waits at least 100 ms, far longer than the rest takes.
    const activities = createActivities({
      db: h.db.db,
      config: h.config,
      cipher: h.cipher,
      fetch: fetchWithFault,
      callGates: { gateFor: () => OPEN_GATE },
    });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    while (((await env.run(() => activities.syncSavedTracksBatch({ accountId }))) as BatchResult).outcome !== 'done');

    const stubs = (await selectStubs(h.db.db, 'artists', accountId, 6)).map((s) => s.id);
    expect(stubs).toHaveLength(6);
    straggler = stubs[2] as string;
    const first = (await env.run(() => activities.syncArtistsBatch({ accountId, batchSize: 6 }))) as BatchResult;
    failing = false;
    expect(first).toMatchObject({ entity: 'artists', outcome: 'progress', items: 5 });
    expect(faults).toBeGreaterThanOrEqual(1);
    // The five others are enriched and committed; the straggler is still a stub, nothing else lost.
    const left = (await selectStubs(h.db.db, 'artists', accountId, 100)).map((s) => s.id);
    expect(left).toContain(straggler);
    expect(left.filter((id) => stubs.includes(id))).toEqual([straggler]);

    while (((await env.run(() => activities.syncArtistsBatch({ accountId }))) as BatchResult).outcome !== 'done');
    expect(await selectStubs(h.db.db, 'artists', accountId, 100)).toEqual([]);
    // Every artist took one clean call; each fault cost one call more and nothing else.
    const artists = Number((await h.db.db('artists').whereNotNull('details_synced_at').count({ n: '*' }).first())?.n);
    expect(artistCalls).toBe(artists + faults);
  });
});
