import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { connectAccount, type ConnectResult } from '../../src/accounts/connect-account.js';
import { silentLogger } from '../../src/api/logger.js';
import { startApi } from '../../src/api/start-api.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createTokenCipher } from '../../src/crypto/token-cipher.js';
import { initialSyncWorkflowId, playbackWorkflowId } from '../../src/ids.js';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../../src/simulator/start-simulator.js';
import { createSyncWorker } from '../../src/worker/create-worker.js';
import type { ActivityDeps } from '../../activities/index.js';
import type { InitialSyncInput } from '../../workflows/initial-sync.js';
import type { BenchDatabase, DatabaseFactory } from './infra.js';
import { workflowBundle } from './infra.js';
import { startSimRouter } from '../../testkit/sim-router.js';
import { spawnWorker } from '../../testkit/worker-process.js';

export interface TemporalParts {
  client: Client;
  nativeConnection: NativeConnection;
  address: string;
}

/**
 * Where the worker runs: in this process (the usual case: no IPC between bench and worker), in a
 * child process started as `npm run worker` starts it (to measure the worker's own memory), in a
 * child process of the production build (`node dist/src/bin/main.js worker`, as the image runs it;
 * `npm run build` first), or nowhere (the plain-loop baseline, which calls the activities itself).
 */
export type WorkerPlacement = 'in-process' | 'child-process' | 'production-child' | 'none';

export interface DeploymentOptions {
  databases: DatabaseFactory;
  temporal: TemporalParts;
  /** One simulator per account; several sit behind one router. */
  sims: StartSimulatorOptions[];
  worker: WorkerPlacement;
  env?: Record<string, string>;
  /** Temporal Schedules exist on the dev server, not on the time-skipping one. Off by default: no run should start on its own. */
  schedules?: boolean;
}

/**
 * What one self-hosted installation is: a Postgres database, a Spotify (simulators), a worker on a task
 * queue of its own, the product's connect, and the status API on demand.
 */
export interface Deployment {
  db: BenchDatabase;
  sims: RunningSimulator[];
  config: Config;
  deps: ActivityDeps;
  /** The worker's pid when it runs in a child process. */
  workerPid: number | null;
  /** The environment a worker process of this deployment runs with (`spawnWorker(deployment.env)`). */
  env: Record<string, string>;
  /** The product's connect for the account of `sim` (default: the first): /v1/me, the account row, its workflows. */
  connect(sim?: RunningSimulator, initialSync?: Partial<InitialSyncInput>): Promise<ConnectResult>;
  /** The same connect with a Temporal client that starts nothing (the plain-loop baseline). */
  connectWithoutWorkflows(sim?: RunningSimulator): Promise<ConnectResult>;
  /** Starts the HTTP API (`npm run api`) on a free port; closed with the deployment. */
  startApi(): Promise<string>;
  close(): Promise<void>;
}

/** A Temporal client whose workflow starts succeed without doing anything. */
const noWorkflows = { workflow: { start: async () => undefined, getHandle: () => ({}) } } as unknown as Client;

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const db = await options.databases.create();
  const sims: RunningSimulator[] = [];
  for (const sim of options.sims) {
    const accountId = sim.accountId ?? `bench-${randomBytes(4).toString('hex')}`;
    sims.push(await startSimulator({ port: 0, seed: 42, ...sim, accountId, userId: accountId }));
  }
  const router = sims.length > 1 ? await startSimRouter(sims) : undefined;
  const spotifyUrl = router?.url ?? (sims[0] as RunningSimulator).url;
  const encryptionKey = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    TEMPORAL_ADDRESS: options.temporal.address,
    TEMPORAL_TASK_QUEUE: `bench-${randomBytes(4).toString('hex')}`,
    SPOTIFY_API_URL: spotifyUrl,
    SPOTIFY_ACCOUNTS_URL: spotifyUrl,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    SPOTIFY_APP_MODE: 'auto',
    // A child worker serves the SDK's metrics as in production, on a port of its own.
    WORKER_METRICS_ADDRESS: '127.0.0.1:0',
    ...options.env,
  };
  const config = loadConfig(env);
  const cipher = createTokenCipher(encryptionKey);
  const deps: ActivityDeps = { db: db.db, config, cipher };
  const { client } = options.temporal;
  const closers: (() => Promise<unknown>)[] = [];

  let workerPid: number | null = null;
  if (options.worker === 'in-process') {
    const worker = await createSyncWorker({
      config,
      db: db.db,
      cipher,
      connection: options.temporal.nativeConnection,
      workflowBundle: await workflowBundle(),
      options: { shutdownGraceTime: '1 second' },
    });
    const running = worker.run();
    closers.push(() => stopWorker(worker, running));
  } else if (options.worker === 'child-process' || options.worker === 'production-child') {
    const child = await spawnWorker(env, options.worker === 'production-child' ? 'production' : 'tsx');
    workerPid = child.pid;
    closers.push(async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    });
  }

  const connectWith = (workflowClient: Client, sim: RunningSimulator, initialSync?: Partial<InitialSyncInput>) =>
    connectAccount(
      { db: db.db, config, cipher, workflows: async () => ({ client: workflowClient, config, schedules: options.schedules ?? false }) },
      { refreshToken: sim.demoRefreshToken },
      { initialSync },
    );
  const first = sims[0] as RunningSimulator;

  return {
    db,
    sims,
    config,
    deps,
    workerPid,
    env,
    connect: (sim = first, initialSync) => connectWith(client, sim, initialSync),
    connectWithoutWorkflows: (sim = first) => connectWith(noWorkflows, sim),
    async startApi() {
      const api = await startApi({ db: db.db, config, temporal: async () => client, port: 0, logger: silentLogger });
      closers.push(() => api.close());
      return api.url;
    },
    async close() {
      // Workflows left running would keep polling timers on the shared dev server with no worker.
      const accountIds = (await db.db('accounts').pluck('id').catch(() => [])) as string[];
      for (const id of accountIds) {
        for (const workflowId of [initialSyncWorkflowId(id), playbackWorkflowId(id)]) {
          await client.workflow.getHandle(workflowId).terminate('benchmark finished').catch(() => undefined);
        }
      }
      for (const close of closers.reverse()) await close();
      await router?.close();
      for (const sim of sims) await sim.close();
      await db.drop();
    },
  };
}

async function stopWorker(worker: Worker, running: Promise<void>): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running.catch(() => undefined);
}
