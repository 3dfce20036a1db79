import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { initialSyncHandle } from '../../src/accounts/account-workflows.js';
import { incrementalSyncScheduleId, restoreWorkflowId } from '../../src/ids.js';
import { startRestore } from '../../src/restores/restores.js';
import { readPlaylistVersion } from '../../src/versions/version-store.js';
import { openSpotifySession } from '../../activities/shared/spotify-session.js';
import type { RestoreStatus } from '../../workflows/contract.js';
import { killWorker, spawnWorker } from '../../testkit/worker-process.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

let harness: Harness | undefined;
let accountId: string | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  if (harness && accountId) {
    await harness.client.schedule
      .getHandle(incrementalSyncScheduleId(accountId))
      .delete()
      .catch(() => undefined);
  }
  await harness?.close();
  harness = undefined;
});

/** The playlist write endpoints the restore uses, as the simulator counts them. */
const WRITE_ENDPOINTS = ['PUT /v1/playlists/{id}/items', 'POST /v1/playlists/{id}/items'];

describe('a worker killed in the middle of a restore', () => {
  it('adds no entry twice: a new worker reads the playlist back, carries on, and ends verified with the target exactly', async () => {
    const h = (harness = await createHarness({ sim: { seed: 71, tracks: 700, playlists: 3, appMode: 'development' } }));
    const setupWorker = await h.startWorker();
    ({ accountId } = await h.connect());
    const account = accountId;
    await initialSyncHandle(h.client, account).result();
    let runs = 0;
    const runIncremental = () =>
      h.client.workflow.execute('incrementalSyncWorkflow', {
        taskQueue: h.config.temporal.taskQueue,
        workflowId: `incremental-sync:${account}:crash-${(runs += 1)}`,
        args: [{ accountId: account }],
      });

    // A playlist of 650 distinct tracks (seven writes of at most 100 to put back), seen by a sync, then emptied by a slip.
    const truth = () => h.sim.sim.truth();
    const target = truth()
      .savedTracks.slice(0, 650)
      .map((id) => `spotify:track:${id}`);
    expect(new Set(target).size).toBe(650);
    const client = openSpotifySession({ db: h.db.db, config: h.config, cipher: h.cipher }, account).client;
    const created = await client.createPlaylist({ name: 'Six hundred and fifty' });
    for (let i = 0; i < target.length; i += 100) await client.addPlaylistItems(created.id, target.slice(i, i + 100));
    await runIncremental();
    const version = (await readPlaylistVersion(h.db.db, account, created.id))!;
    expect(version.entries.map((e) => e.u)).toEqual(target);
    await client.replacePlaylistItems(created.id, []);
    await runIncremental();
    await setupWorker.stop();

    // Each call now takes ~400 ms (the write lands half way), so the kill falls between writes.
    await h.simRequest('/_sim/config', { method: 'POST', body: { latencyMs: 400 } });
    h.sim.sim.resetStats();
    const writes = () => {
      const byEndpoint = h.sim.sim.stats().requests.byEndpoint;
      return WRITE_ENDPOINTS.reduce((sum, e) => sum + (byEndpoint[e]?.total ?? 0), 0);
    };
    const held = () => truth().playlists.find((p) => p.id === created.id)?.entryUris.length ?? 0;

    // `npm run worker` in a process of its own, so it can be killed like a crashed container.
    const first = (child = await spawnWorker(h.processEnv()));
    const started = await startRestore(
      { db: h.db.db, workflows: async () => ({ client: h.client, config: h.config }) },
      { accountId: account, target: { kind: 'playlist', playlistId: created.id, version: version.version }, actor: 'cli' },
    );
    // Kill once two writes were answered and a third has reached Spotify but not yet been answered: its checkpoint is lost with the worker.
    await expect.poll(() => writes() >= 2 && held() > 100 * writes(), { timeout: 120_000, interval: 10 }).toBe(true);
    await killWorker(first);
    const atKill = { writes: writes(), held: held() };
    expect(atKill.held).toBeLessThan(target.length);
    const checkpointed = (await h.db.db('restores').where({ id: started.restoreId }).first('done'))!.done as number;
    // Spotify holds more than the restore recorded as written: a new worker that wrote from its checkpoint would add entries twice.
    expect(atKill.held).toBeGreaterThan(checkpointed);

    child = await spawnWorker(h.processEnv());
    const status = (await h.client.workflow.getHandle(restoreWorkflowId(account, started.restoreId)).result()) as RestoreStatus;
    expect(status).toMatchObject({ state: 'complete', verified: true });
    const row = await h.db.db('restores').where({ id: started.restoreId }).first('state', 'result');
    expect(row).toMatchObject({ state: 'complete', result: { verified: true } });

    // Exactly the target: every entry once, in order.
    expect(truth().playlists.find((p) => p.id === created.id)!.entryUris).toEqual(target);
    // At most the minimum (⌈650 / 100⌉ = 7) plus the one in flight at the kill.
    const minimum = Math.ceil(target.length / 100);
    expect(writes()).toBeGreaterThanOrEqual(minimum);
    expect(writes()).toBeLessThanOrEqual(minimum + 1);
  }, 300_000);
});
