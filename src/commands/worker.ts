import { Runtime } from '@temporalio/worker';
import { connectDb, describeDatabaseUrl } from '../db/connect.js';
import { createSyncWorker } from '../worker/create-worker.js';
import { ensureAllIncrementalSchedules } from '../accounts/incremental-schedule.js';
import { connectTemporalClient, connectTemporalWorker } from '../temporal/client.js';
import { loadCipher, loadRuntimeConfig, untilStopSignal } from './runtime.js';

/** `npm run worker`: runs workflows and activities until SIGINT/SIGTERM, then finishes in-flight work and exits. */
export async function workerCommand(): Promise<void> {
  const config = loadRuntimeConfig();
  const cipher = loadCipher(config);
  if (config.workerMetricsAddress) {
    // The SDK's own metrics (task latencies, slots, polls, workflow and activity outcomes), served
    // by the Temporal core; ours are the API's /metrics, read from Postgres.
    // Prometheus conventions: seconds, unit suffixes and `_total` on counters.
    const prometheus = { bindAddress: config.workerMetricsAddress, useSecondsForDurations: true, unitSuffix: true, countersTotalSuffix: true };
    try {
      Runtime.install({ telemetryOptions: { metrics: { prometheus } } });
    } catch (error) {
      throw new Error(`WORKER_METRICS_ADDRESS (${config.workerMetricsAddress}): ${(error as Error).message}; set another host:port, or off`, { cause: error });
    }
    console.log(`worker: Temporal SDK metrics on http://${config.workerMetricsAddress}/metrics`);
  }
  const db = connectDb(config.databaseUrl);
  await db.raw('select 1').catch((error: Error) => {
    throw new Error(`Cannot reach Postgres at ${describeDatabaseUrl(config.databaseUrl)}: ${error.message}`);
  });
  const connection = await connectTemporalWorker(config).catch((error: Error) => {
    throw new Error(`Cannot reach Temporal at ${config.temporal.address}: ${error.message}`);
  });
  const worker = await createSyncWorker({ config, db, cipher, connection });
  // Schedules follow the configuration: a changed SYNC_INCREMENTAL_INTERVAL_HOURS applies on restart.
  const client = await connectTemporalClient(config);
  const accountIds = (await db('accounts').pluck('id')) as string[];
  const schedules = await ensureAllIncrementalSchedules({ client, config }, accountIds);
  await client.connection.close();
  if (schedules.created > 0) console.log(`worker: created ${schedules.created} missing incremental-sync schedules`);
  console.log(`worker: polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address} (namespace ${config.temporal.namespace})`);
  const running = worker.run();
  const signal = await Promise.race([untilStopSignal(), running.then(() => null)]);
  if (signal) {
    console.log(`worker: ${signal} received, finishing in-flight batches (each is checkpointed) and stopping`);
    worker.shutdown();
  }
  await running;
  await connection.close();
  await db.destroy();
  console.log('worker: stopped');
}
