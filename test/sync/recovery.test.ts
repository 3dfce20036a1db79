import { afterEach, describe, expect, it } from 'vitest';
import { migrateLatest, migrateRollbackAll } from '../../src/db/migrate.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

/**
 * The mirror is the truth the workflows follow: after the database is recreated (a restore gone wrong,
 * a new volume), connecting the account again starts what is needed, whatever Temporal remembers.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** As a restore gone wrong would: every table dropped and made again, under whatever the worker is doing. */
async function recreateDatabase(h: Harness): Promise<void> {
  // Dropping a table a running sync writes to can deadlock with its transaction; Postgres then aborts
  // one of the two. When that is the drop, the migration's own transaction rolls back: drop again.
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateRollbackAll(h.db.db);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
    }
  }
  await migrateLatest(h.db.db);
  expect(await h.db.db('accounts').pluck('id')).toEqual([]);
}

async function expectMirrorComplete(h: Harness, accountId: string): Promise<void> {
  const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, await h.simRequest<Truth>('/_sim/truth'));
  expect(mirror).toEqual(expected);
  expect(stubs).toEqual({ artists: [], albums: [] });
  expect((await h.db.db('accounts').where({ id: accountId }).first())!.sync_state).toBe('complete');
}

describe('a recreated database', () => {
  it('after a completed initial sync: connect starts a fresh one, which rebuilds the mirror', async () => {
    const h = (harness = await createHarness({ sim: { seed: 51, tracks: 120, playlists: 3 } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    const handle = h.client.workflow.getHandle(initialSyncWorkflowId(accountId));
    expect(((await handle.result()) as InitialSyncStatus).state).toBe('complete');
    const firstRun = (await handle.describe()).runId;

    await recreateDatabase(h);
    const again = await h.connect();
    expect(again).toMatchObject({ accountId, created: true, initialSyncStarted: true });
    const rerun = h.client.workflow.getHandle(initialSyncWorkflowId(accountId));
    expect((await rerun.describe()).runId).not.toBe(firstRun);
    expect(((await rerun.result()) as InitialSyncStatus).state).toBe('complete');
    await expectMirrorComplete(h, accountId);

    // Connecting a complete account once more starts nothing new.
    expect(await h.connect()).toMatchObject({ created: false, initialSyncStarted: false });
  });

  it('under a running initial sync: connect replaces the run that carries progress the database lost', async () => {
    const h = (harness = await createHarness({ sim: { seed: 52, tracks: 300, playlists: 3, config: { latencyMs: 5 } } }));
    await h.startWorker();
    const { accountId } = await h.connect();
    await expect
      .poll(async () => Number((await h.db.db('saved_tracks').where({ account_id: accountId }).count({ n: '*' }).first())?.n), { timeout: 60_000, interval: 100 })
      .toBeGreaterThan(0);
    const running = await h.client.workflow.getHandle(initialSyncWorkflowId(accountId)).describe();
    expect(running.status.name).toBe('RUNNING');

    await recreateDatabase(h);
    expect(await h.connect()).toMatchObject({ accountId, created: true, initialSyncStarted: true });
    const replaced = await h.client.workflow.getHandle(initialSyncWorkflowId(accountId), running.runId).describe();
    expect(replaced.status.name).toBe('TERMINATED');
    const rerun = h.client.workflow.getHandle(initialSyncWorkflowId(accountId));
    expect(((await rerun.result()) as InitialSyncStatus).state).toBe('complete');
    await expectMirrorComplete(h, accountId);
  });
});
