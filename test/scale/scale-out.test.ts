import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/dev/ports.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator.js';
import { initialSyncWorkflowId } from '../../src/ids.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { startSimRouter } from '../../testkit/sim-router.js';
import { killWorker, spawnWorker, type WorkerProcess } from '../../testkit/worker-process.js';
import { mirrorMatchesTruth, type Truth } from '../../testkit/mirror.js';
import { createHarness, type Harness } from '../helpers/sync-harness.js';

const ACCOUNTS = 10;
const WORKERS = 3;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
});

/** Which worker processes (by pid) started an activity of this workflow, and when. */
async function activityStarts(h: Harness, workflowId: string): Promise<{ pid: number; at: number }[]> {
  const starts: { pid: number; at: number }[] = [];
  let runId: string | undefined;
  // Follow continue-as-new: the chain of runs of one workflow id, newest first, until the first.
  const runs = h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` });
  for await (const run of runs) {
    runId = run.runId;
    const history = await h.client.workflow.getHandle(workflowId, runId).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) starts.push({ pid: Number(identity.split('@')[0]), at: Number(event.eventTime?.seconds ?? 0) * 1000 });
    }
  }
  return starts;
}

describe('scale-out: several workers on one task queue', () => {
  it('three worker processes sync ten accounts; one SIGKILLed mid-sync, every account still completes equal to its library, and both survivors ran activities', async () => {
    const sims: RunningSimulator[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const accountId = `scale-${i}-${randomBytes(3).toString('hex')}`;
      // Development mode (one call per artist and album) with some latency: long enough to kill a worker mid-sync.
      sims.push(await startSimulator({ port: 0, seed: 500 + i, tracks: 120, playlists: 3, appMode: 'development', accountId, userId: accountId, config: { latencyMs: 15 } }));
    }
    cleanups.push(async () => Promise.all(sims.map((s) => s.close())));
    const router = await startSimRouter(sims);
    cleanups.push(() => router.close());
    const h = await createHarness({ env: { SPOTIFY_API_URL: router.url, SPOTIFY_ACCOUNTS_URL: router.url } });
    cleanups.push(() => h.close());
    const env = { ...h.processEnv(), SPOTIFY_API_URL: router.url, SPOTIFY_ACCOUNTS_URL: router.url };

    const workers: WorkerProcess[] = [];
    const metricsPorts: number[] = [];
    for (let i = 0; i < WORKERS; i++) {
      metricsPorts.push(await findFreePort());
      const worker = await spawnWorker({ ...env, WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPorts[i]}` });
      cleanups.push(() => killWorker(worker));
      workers.push(worker);
    }

    const accountIds: string[] = [];
    for (const sim of sims) accountIds.push((await h.connect(sim.demoRefreshToken, { heartbeatTimeoutSeconds: 3 })).accountId);

    // Mid-sync: some batches of several accounts are committed, none of the accounts is done yet.
    await expect
      .poll(async () => Number((await h.db.db('sync_history').countDistinct({ n: 'account_id' }).first())?.n), { timeout: 120_000, interval: 200 })
      .toBeGreaterThanOrEqual(3);
    const [victim, ...survivors] = workers as [WorkerProcess, ...WorkerProcess[]];
    await killWorker(victim);
    const killedAt = Date.now();
    const unfinished = Number((await h.db.db('sync_state').where({ phase: 'initial', is_complete: false }).countDistinct({ n: 'account_id' }).first())?.n);
    expect(unfinished).toBeGreaterThan(0);

    const results = await Promise.all(accountIds.map((id) => h.client.workflow.getHandle(initialSyncWorkflowId(id)).result() as Promise<InitialSyncStatus>));
    expect(results.map((r) => r.state)).toEqual(accountIds.map(() => 'complete'));

    for (const [i, accountId] of accountIds.entries()) {
      const sim = sims[i]!;
      const truth = (await (await fetch(`${sim.url}/_sim/truth`)).json()) as Truth;
      const { mirror, expected, stubs } = await mirrorMatchesTruth(h.db.db, accountId, truth);
      expect(mirror, `account ${accountId}`).toEqual(expected);
      expect(stubs).toEqual({ artists: [], albums: [] });
    }

    const starts = (await Promise.all(accountIds.map((id) => activityStarts(h, initialSyncWorkflowId(id))))).flat();
    const after = new Set(starts.filter((s) => s.at >= killedAt - 1_000).map((s) => s.pid));
    for (const survivor of survivors) expect(after.has(survivor.pid), `worker ${survivor.pid} ran activities after the kill`).toBe(true);
    // The victim's last activity task may be stamped in the second before the kill: it is dead a second later.
    expect(new Set(starts.filter((s) => s.at > killedAt + 1_000).map((s) => s.pid)).has(victim.pid)).toBe(false);
    expect(new Set(starts.map((s) => s.pid)).has(victim.pid)).toBe(true);

    // Each survivor's Temporal SDK metrics say the same: activities executed on its task queue.
    for (const port of metricsPorts.slice(1)) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const executed = [...text.matchAll(/^temporal_activity_execution_latency_seconds_count\{[^}]*task_queue="([^"]+)"[^}]*\} (\d+)/gm)];
      expect(
        executed.some(([, queue, n]) => queue === h.config.temporal.taskQueue && Number(n) > 0),
        text.slice(0, 2000),
      ).toBe(true);
    }
  });
});
