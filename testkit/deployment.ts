import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { connectAccount, type ConnectResult } from '../src/accounts/connect-account.js';
import { silentLogger } from '../src/api/logger.js';
import { startApi } from '../src/api/start-api.js';
import { loadConfig, type Config } from '../src/config/load-config.js';
import { createTokenCipher, type TokenCipher } from '../src/crypto/token-cipher.js';
import type { Db } from '../src/db/connect.js';
import { initialSyncWorkflowId, playbackWorkflowId } from '../src/ids.js';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../src/simulator/start-simulator.js';
import { createSyncWorker, type SyncWorker } from '../src/worker/create-worker.js';
import type { ActivityDeps } from '../activities/index.js';
import type { InitialSyncInput } from '../workflows/initial-sync.js';
import { startSimRouter } from './sim-router.js';
import { spawnWorker, type WorkerBuild, type WorkerProcess } from './worker-process.js';
import { workflowBundle } from './workflow-bundle.js';

/** A fresh, migrated database the deployment owns: `drop()` runs when it closes. */
export interface DeploymentDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export interface DeploymentTemporal {
  /** What the configuration (and so every worker process) names. */
  address: string;
  /** A client and native connection of the caller's (the time-skipping server, a benchmark's run); else the deployment connects to `address` itself. */
  client?: Client;
  nativeConnection?: NativeConnection;
}

export interface DeploymentCoreOptions {
  /** What runs it ("test", "bench"): the prefix of its task queue and the reason its workflows are terminated with. */
  name: string;
  database: DeploymentDatabase;
  temporal: DeploymentTemporal;
  /** One simulator per account (port 0 and seed 42 unless given); several sit behind one router. */
  sims: StartSimulatorOptions[];
  /** Environment over the deployment's own (DATABASE_URL, TEMPORAL_*, SPOTIFY_*_URL, TOKEN_ENCRYPTION_KEY, WORKER_METRICS_ADDRESS). */
  env?: Record<string, string>;
  /** Whether connect creates the Temporal Schedules (the dev server has them, the time-skipping one not). */
  schedules: boolean;
}

export interface InProcessWorker {
  worker: SyncWorker;
  stop(): Promise<void>;
}

export interface ConnectOptions {
  /** Default: the first simulator's demo refresh token. */
  refreshToken?: string;
  initialSync?: Partial<InitialSyncInput>;
  /** The Temporal client connect starts the account's workflows with; default the deployment's. */
  client?: Client;
}

/**
 * One self-hosted installation, for the tests and the benchmark alike: a Postgres database, a Spotify
 * (simulators), the configuration and token cipher a worker derives from its environment, Temporal, workers
 * on a task queue of its own (in this process or as `npm run worker` processes), the product's connect and
 * the status API on demand.
 */
export interface DeploymentCore {
  database: DeploymentDatabase;
  sims: RunningSimulator[];
  /** The address the configuration names for Spotify: the router's when there are several simulators. */
  spotifyUrl: string;
  encryptionKey: string;
  config: Config;
  cipher: TokenCipher;
  deps: ActivityDeps;
  client: Client;
  nativeConnection: NativeConnection;
  /** The environment a worker or CLI process of this deployment runs with (without PATH). */
  env: Record<string, string>;
  /** A worker in this process; `close()` stops it unless `stop()` did. */
  startWorker(options?: Partial<WorkerOptions>, activityDeps?: Pick<ActivityDeps, 'fetch' | 'now'>): Promise<InProcessWorker>;
  /** A worker process (`npm run worker`, or the build); `close()` stops it with SIGTERM. */
  spawnWorker(build?: WorkerBuild): Promise<WorkerProcess>;
  /** The product's connect: /v1/me, the account row, its workflows. */
  connect(options?: ConnectOptions): Promise<ConnectResult>;
  /** Starts the HTTP API (`npm run api`) on a free port; closed with the deployment. */
  startApi(): Promise<string>;
  /** Terminates the accounts' workflows, then closes everything in the reverse order of its start. */
  close(): Promise<void>;
}

/** A name no other deployment on the shared Temporal server uses (workflow ids derive from account ids). */
export const uniqueId = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function startDeploymentCore(options: DeploymentCoreOptions): Promise<DeploymentCore> {
  const { database } = options;
  const closers: (() => Promise<unknown>)[] = [() => database.drop()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    return await build(options, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function build(options: DeploymentCoreOptions, closers: (() => Promise<unknown>)[], closeAll: () => Promise<void>): Promise<DeploymentCore> {
  const { database } = options;
  const sims: RunningSimulator[] = [];
  for (const sim of options.sims) {
    const running = await startSimulator({ port: 0, seed: 42, ...sim });
    closers.push(() => running.close());
    sims.push(running);
  }
  const first = sims[0];
  if (!first) throw new Error('a deployment needs at least one simulator');
  let spotifyUrl = first.url;
  if (sims.length > 1) {
    const router = await startSimRouter(sims);
    closers.push(() => router.close());
    spotifyUrl = router.url;
  }

  const encryptionKey = randomBytes(32).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: options.temporal.address,
    TEMPORAL_TASK_QUEUE: uniqueId(options.name),
    SPOTIFY_API_URL: spotifyUrl,
    SPOTIFY_ACCOUNTS_URL: spotifyUrl,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    // Port 0: each worker process serves its SDK metrics on a port of its own, so parallel runs never collide.
    WORKER_METRICS_ADDRESS: '127.0.0.1:0',
    ...options.env,
  };
  const config = loadConfig(env);
  const cipher = createTokenCipher(encryptionKey);
  const deps: ActivityDeps = { db: database.db, config, cipher };
  const { client, nativeConnection } = await connectTemporal(options.temporal, closers);

  return {
    database,
    sims,
    spotifyUrl,
    encryptionKey,
    config,
    cipher,
    deps,
    client,
    nativeConnection,
    env,
    async startWorker(workerOptions, activityDeps) {
      // Spotify's quota windows follow the simulator's clock (the server's, under the time-skipping server).
      const spotifyNow = options.sims[0]?.clock;
      const worker = await createSyncWorker({
        ...(spotifyNow ? { spotifyNow } : {}),
        ...activityDeps,
        ...deps,
        connection: nativeConnection,
        workflowBundle: await workflowBundle(),
        options: { shutdownGraceTime: '1 second', ...workerOptions },
      });
      const running = worker.run();
      const stop = async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      };
      closers.push(stop);
      return { worker, stop };
    },
    async spawnWorker(workerBuild = 'tsx') {
      const child = await spawnWorker(env, workerBuild);
      closers.push(async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      });
      return child;
    },
    connect({ refreshToken = first.demoRefreshToken, initialSync, client: workflowClient = client } = {}) {
      return connectAccount(
        { db: database.db, config, cipher, workflows: async () => ({ client: workflowClient, config, schedules: options.schedules }) },
        { refreshToken },
        { initialSync },
      );
    },
    async startApi() {
      const api = await startApi({ db: database.db, config, temporal: async () => client, port: 0, logger: silentLogger });
      closers.push(() => api.close());
      return api.url;
    },
    async close() {
      // Workflows left running would keep timers firing with no worker to serve them (and, on the
      // time-skipping server, stop time from skipping for what comes next).
      const accountIds = (await database
        .db('accounts')
        .pluck('id')
        .catch(() => [])) as string[];
      for (const id of accountIds) {
        for (const workflowId of [initialSyncWorkflowId(id), playbackWorkflowId(id)]) {
          await client.workflow
            .getHandle(workflowId)
            .terminate(`${options.name} finished`)
            .catch(() => undefined);
        }
      }
      await closeAll();
    },
  };
}

/** The caller's client and native connection, or both connected to `address` (and closed with the deployment). */
async function connectTemporal(temporal: DeploymentTemporal, closers: (() => Promise<unknown>)[]): Promise<{ client: Client; nativeConnection: NativeConnection }> {
  if (temporal.client && temporal.nativeConnection) return { client: temporal.client, nativeConnection: temporal.nativeConnection };
  const connection = await Connection.connect({ address: temporal.address });
  closers.push(() => connection.close().catch(() => undefined));
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  closers.push(() => nativeConnection.close().catch(() => undefined));
  return { client: new Client({ connection }), nativeConnection };
}

/** A call to a simulator's control endpoints (`/_sim/...`); throws on an answer other than 2xx. */
export async function simRequest<T = unknown>(sim: RunningSimulator, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`simulator ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
