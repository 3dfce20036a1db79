import { Runtime } from '@temporalio/worker';
import { describeDatabaseUrl } from '../db/connect.js';
import { createSyncWorker } from '../worker/create-worker.js';
import { playbackActivityTaskQueue } from '../../workflows/contract.js';
import { ensureAllIncrementalSchedules } from '../accounts/incremental-schedule.js';
import { connectTemporalWorker } from '../temporal/client.js';
import { loadRuntimeConfig, untilStopSignal, withCommandRuntime } from './runtime.js';

/** `npm run worker`: runs workflows and activities until SIGINT/SIGTERM, then finishes in-flight work and exits. */
export async function workerCommand(): Promise<void> {
  const { workerMetricsAddress } = loadRuntimeConfig();
  if (workerMetricsAddress) {
    // The SDK's own metrics (task latencies, slots, polls, workflow and activity outcomes), served
    // by the Temporal core; ours are the API's /metrics, read from Postgres.
    // Prometheus conventions: seconds, unit suffixes and `_total` on counters.
    const prometheus = { bindAddress: workerMetricsAddress, useSecondsForDurations: true, unitSuffix: true, countersTotalSuffix: true };
    try {
      Runtime.install({ telemetryOptions: { metrics: { prometheus } } });
    } catch (error) {
      throw new Error(`WORKER_METRICS_ADDRESS (${workerMetricsAddress}): ${(error as Error).message}; set another host:port, or off`, { cause: error });
    }
    console.log(`worker: Temporal SDK metrics on http://${workerMetricsAddress}/metrics`);
  }
  await withCommandRuntime({ poolMax: 10 }, async ({ config, db, cipher, temporal }) => {
    const tokenCipher = cipher();
    await db.raw('select 1').catch((error: Error) => {
      throw new Error(`Cannot reach Postgres at ${describeDatabaseUrl(config.databaseUrl)}: ${error.message}`);
    });
    const connection = await connectTemporalWorker(config).catch((error: Error) => {
      throw new Error(`Cannot reach Temporal at ${config.temporal.address}: ${error.message}`);
    });
    try {
      const worker = await createSyncWorker({ config, db, cipher: tokenCipher, connection });
      // Schedules follow the configuration: a changed SYNC_INCREMENTAL_INTERVAL_HOURS applies on restart.
      const accountIds = await db('accounts').pluck('id');
      const schedules = await ensureAllIncrementalSchedules({ client: await temporal(), config }, accountIds);
      if (schedules.created > 0) console.log(`worker: created ${schedules.created} missing incremental-sync schedules`);
      console.log(
        `worker: polling task queue "${config.temporal.taskQueue}" (and "${playbackActivityTaskQueue(config.temporal.taskQueue)}" for playback polls) on ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      );
      const running = worker.run();
      const signal = await Promise.race([untilStopSignal(), running.then(() => null)]);
      if (signal) {
        console.log(`worker: ${signal} received, finishing in-flight batches (each is checkpointed) and stopping`);
        worker.shutdown();
      }
      await running;
    } finally {
      await connection.close();
    }
  });
  console.log('worker: stopped');
}
