import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { initialSyncWorkflowId, playbackWorkflowId } from '../../src/ids.js';
import type { InitialSyncStatus } from '../../workflows/contract.js';
import { killWorker, spawnWorker, type WorkerProcess } from '../../testkit/worker-process.js';
import type { BenchContext, Figure, Scenario } from '../lib/context.js';
import { startDeployment } from '../lib/deployment.js';
import { sleep, verifyMirror } from '../lib/measure.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const WORKERS = 3;
const ACCOUNTS = 10;

interface ActivityRun {
  type: string;
  taskQueue: string;
  scheduledAt: number;
  startedAt: number;
  attempt: number;
  identity: string;
}

/** Every activity of every run of a workflow (back through continue-as-new), with who ran its last attempt. */
async function activityRuns(client: Client, workflowId: string): Promise<ActivityRun[]> {
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  const runs: ActivityRun[] = [];
  while (runId) {
    const events: HistoryEvent[] = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const scheduled = new Map<string, HistoryEvent>();
    for (const event of events) {
      if (event.activityTaskScheduledEventAttributes) scheduled.set(String(event.eventId), event);
      const started = event.activityTaskStartedEventAttributes;
      if (!started) continue;
      const from = scheduled.get(String(started.scheduledEventId));
      const attributes = from?.activityTaskScheduledEventAttributes;
      if (!from || !attributes) continue;
      runs.push({
        type: attributes.activityType?.name ?? '?',
        taskQueue: attributes.taskQueue?.name ?? '?',
        scheduledAt: tsToMs(from.eventTime),
        startedAt: tsToMs(event.eventTime),
        attempt: started.attempt ?? 1,
        identity: started.identity ?? '?',
      });
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

const ms = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN };
};

/**
 * 13. Several workers: three `npm run worker` processes on one task queue, ten accounts connected at
 * once; one worker SIGKILLed halfway through the calls. All ten mirrors must equal the simulators'
 * truth; the activities each worker ran (from the histories' ActivityTaskStarted identities), the
 * time the killed worker's batches lost before another worker ran them, and the playback polls'
 * schedule-to-start while the workers are busy with batches.
 */
export const severalWorkers: Scenario = async (ctx: BenchContext) => {
  const tracks = ctx.quick ? 300 : 1500;
  const libraries = Array.from({ length: ACCOUNTS }, (_, i) => ({ seed: 1300 + i, tracks, playlists: 3, appMode: 'development' as const }));
  const deployment = await startDeployment({ databases: ctx.databases, temporal: ctx.temporal, sims: libraries, worker: 'none' });
  const workers: WorkerProcess[] = [];
  try {
    for (let i = 0; i < WORKERS; i++) workers.push(await spawnWorker(deployment.env, 'tsx'));
    const identities = new Map(workers.map((w, i) => [w.pid, `worker ${i + 1}`]));
    const nameOf = (identity: string) => identities.get(Number(identity.split('@')[0])) ?? identity;
    for (const sim of deployment.sims) sim.sim.resetStats();
    const requests = () => deployment.sims.reduce((n, s) => n + s.sim.stats().requests.total, 0);

    const t0 = performance.now();
    const accountIds: string[] = [];
    const done = Promise.all(
      deployment.sims.map(async (sim) => {
        const { accountId } = await deployment.connect(sim);
        accountIds.push(accountId);
        const result = (await ctx.temporal.client.workflow.getHandle(initialSyncWorkflowId(accountId)).result()) as InitialSyncStatus;
        if (result.state !== 'complete') throw new Error(`initial sync ended ${result.state}`);
        return { accountId, sim };
      }),
    );
    // Midway: a run of this size makes somewhat under one Spotify call per 2 tracks (development mode).
    const killAfterRequests = Math.round((ACCOUNTS * tracks) / 5);
    let finished = false;
    void done.then(() => (finished = true)).catch(() => (finished = true));
    while (requests() < killAfterRequests && !finished) await sleep(100);
    if (finished) throw new Error(`all accounts finished before ${killAfterRequests} requests: nothing left to kill`);
    const killed = workers[0] as WorkerProcess;
    const killedAt = Date.now();
    const killedAtMs = performance.now() - t0;
    await killWorker(killed);
    ctx.log(`  SIGKILLed worker 1 (pid ${killed.pid}) after ${(killedAtMs / 1000).toFixed(1)} s, ${requests()} Spotify requests`);
    const accounts = await done;
    const wallMs = performance.now() - t0;
    for (const { accountId, sim } of accounts) await verifyMirror(deployment.db.db, sim, accountId);

    const client = ctx.temporal.client;
    const syncRuns = (await Promise.all(accountIds.map((id) => activityRuns(client, initialSyncWorkflowId(id))))).flat();
    const playbackRuns = (await Promise.all(accountIds.map((id) => activityRuns(client, playbackWorkflowId(id))))).flat();
    const perWorker = new Map<string, number>();
    for (const run of [...syncRuns, ...playbackRuns]) perWorker.set(nameOf(run.identity), (perWorker.get(nameOf(run.identity)) ?? 0) + 1);
    const spreadText = [...perWorker.entries()]
      .sort()
      .map(([name, n]) => `${name}: ${n}`)
      .join(', ');
    // The killed worker's batches: retried (attempt > 1) and started after the kill by another worker.
    const retried = syncRuns.filter((r) => r.attempt > 1 && r.startedAt >= killedAt);
    const lost = ms(retried.map((r) => r.startedAt - killedAt));
    const polls = playbackRuns.filter((r) => r.type === 'pollRecentlyPlayed');
    const busyPolls = polls.filter((r) => r.scheduledAt < killedAt + (wallMs - killedAtMs));
    const pollWait = ms(busyPolls.map((r) => r.startedAt - r.scheduledAt));
    const batchWait = ms(syncRuns.filter((r) => r.attempt === 1).map((r) => r.startedAt - r.scheduledAt));
    const pollQueue = polls[0]?.taskQueue ?? '?';

    const label = `${ACCOUNTS} accounts × ${tracks} tracks, ${WORKERS} worker processes, one SIGKILLed`;
    ctx.log(`  all ${ACCOUNTS} complete and equal to the truth in ${(wallMs / 1000).toFixed(1)} s; activities per worker: ${spreadText}`);
    ctx.log(`  ${retried.length} batches retried after the kill: restarted elsewhere after p50 ${lost.p50} ms, max ${lost.max} ms`);
    ctx.log(`  playback poll schedule-to-start (${pollWait.n} polls on "${pollQueue}"): p50 ${pollWait.p50} ms, p95 ${pollWait.p95} ms, max ${pollWait.max} ms`);
    ctx.log(`  sync batch schedule-to-start (${batchWait.n} first attempts): p50 ${batchWait.p50} ms, p95 ${batchWait.p95} ms, max ${batchWait.max} ms`);
    const figures: Figure[] = [
      {
        case: label,
        figure: 'accounts complete and equal to the truth',
        value: `${accounts.length}/${ACCOUNTS} in ${(wallMs / 1000).toFixed(1)} s`,
        met: accounts.length === ACCOUNTS,
      },
      { case: label, figure: 'activities per worker (ActivityTaskStarted identity)', value: spreadText, limitedBy: 'worker 1 ran only until its kill' },
      {
        case: label,
        figure: 'time lost to the kill (kill → retry started on another worker)',
        value: `${retried.length} batches, p50 ${(lost.p50 / 1000).toFixed(1)} s, max ${(lost.max / 1000).toFixed(1)} s`,
        limitedBy: "the batch activities' 15 s heartbeat timeout, then the retry's backoff",
      },
      {
        case: label,
        figure: 'playback poll schedule-to-start while the workers run batches',
        value: `p50 ${pollWait.p50} ms, p95 ${pollWait.p95} ms, max ${pollWait.max} ms (${pollWait.n} polls; batches: p50 ${batchWait.p50} ms, p95 ${batchWait.p95} ms)`,
        limitedBy: `polls have their own task queue (${pollQueue}), polled by every worker`,
      },
    ];
    return {
      id: 13,
      title: 'Several workers',
      figures,
      raw: { tracks, accounts: ACCOUNTS, workers: WORKERS, wallMs, killedAtMs, perWorker: Object.fromEntries(perWorker), lost, pollWait, batchWait },
    };
  } finally {
    for (const worker of workers) await killWorker(worker);
    await deployment.close();
  }
};
