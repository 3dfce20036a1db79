import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { killWorker, spawnWorker } from '../../testkit/worker-process.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';

let harness: Harness | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await harness?.close();
  harness = undefined;
});

describe('a worker killed in the middle of a batch', () => {
  it('leaves nothing half-written, and a new worker finishes the sync equal to the library', async () => {
    const h = (harness = await createHarness({ sim: { seed: 31, tracks: 300, playlists: 6, appMode: 'development', config: { latencyMs: 25 } } }));
    // `npm run worker` as its own process, so it can be killed like a crashed container.
    const worker = (child = await spawnWorker(h.processEnv()));
    const { accountId } = await h.connect(undefined, { heartbeatTimeoutSeconds: 3 });

    // Wait until the artists phase (single calls, slow) has committed a batch, then kill mid-batch.
    await expect
      .poll(async () => Number((await h.db.db('sync_history').where({ account_id: accountId, entity_type: 'artists' }).count({ n: '*' }).first())?.n), {
        timeout: 90_000,
        interval: 100,
      })
      .toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1200));
    await killWorker(worker);
    const before = (await h.db.db('sync_state').where({ account_id: accountId, entity_type: 'artists', phase: 'initial' }).first())!;

    // The checkpoint and the rows agree: every artist counted as synced has its details stored.
    const enriched = Number((await h.db.db('artists').whereNotNull('details_synced_at').count({ n: '*' }).first())?.n);
    expect(enriched).toBe(before.synced_count);

    await h.startWorker();
    const result = await initialSyncHandle(h.client, accountId).result();
    expect(result.state).toBe('complete');
    const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
    expect(mirror).toEqual(expected);
    expect(stubs).toEqual({ artists: [], albums: [] });
  });
});
